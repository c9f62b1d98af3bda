//! Symbol resolution (wasm-ld `SymbolTable`, `InputFiles`): objects read in
//! command-line order, archive members extracted lazily when a reference
//! needs them, COMDAT groups, symbol kinds and signature variants, the
//! synthetic symbols, `-u`, `--export` and the entry.
//!
//! The phase's submodules, in the order a link runs them:
//! - [`inputs`]: reading the command line's files (OBJ-*, CLI-4, AR-4,
//!   COMDAT-1) and adding each object's symbols;
//! - [`symbols`]: one symbol meeting the table (SYM-1..SYM-6, UND-NAME,
//!   UND-MODULE), with [`kinds`] (SYM-5) and [`signatures`] (SIG-*);
//! - [`archives`]: lazy symbols and member extraction (AR-1..AR-3);
//! - [`roots`]: `-u`, `--export`, the entry and `__wasm_call_dtors` (AR-3,
//!   CTOR-2, CTOR-3);
//! - [`shared`]: shared libraries' and stub libraries' symbols (DYN-SHLIB,
//!   DYN-STUB);
//! - [`synthetic`]: the linker-defined symbols (SYN-*);
//! - [`order`]: files in wasm-ld's order (LOAD-ORDER);
//! - [`wrap`]: `--wrap` (WRAP-1);
//! - [`query`]: what a resolved input symbol stands for, as methods of
//!   [`Resolution`].

mod archives;
mod inputs;
pub(crate) mod kinds;
mod order;
pub(crate) mod query;
mod roots;
mod shared;
pub(crate) mod signatures;
mod symbols;
pub(crate) mod symtab;
pub(crate) mod synthetic;
pub(crate) mod wrap;

use crate::archive::Member;
use crate::config::Config;
use crate::diag::Diagnostics;
use crate::error::InputError;
use crate::input::InputProvider;
use crate::object::ObjectFile;
use rustc_hash::FxHashSet as HashSet;
pub(crate) use query::Target;
pub(crate) use symtab::{Def, FileId, Reference, SymbolId, SymbolTable};
pub(crate) use synthetic::Synthetic;

/// Members removed from the link by COMDAT (rule COMDAT-1), per file.
#[derive(Debug, Clone, Default)]
pub struct Discarded {
    /// Defined-function positions (index minus imported functions).
    pub functions: HashSet<u32>,
    pub segments: HashSet<u32>,
    /// Defined-global positions.
    pub globals: HashSet<u32>,
    /// Custom section positions in [`ObjectFile::customs`].
    pub sections: HashSet<u32>,
}

/// The state after symbol resolution: every loaded object and what each of
/// its symbols resolves to.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    /// Loaded objects: command-line objects and extracted members, in
    /// wasm-ld's order (LOAD-ORDER: a member extracted while a file's
    /// symbols are read comes before that file).
    pub files: Vec<ObjectFile>,
    /// Per file, per symbol index: the global symbol, `None` for local and
    /// section symbols.
    pub file_syms: Vec<Vec<Option<SymbolId>>>,
    pub table: SymbolTable,
    pub discarded: Vec<Discarded>,
    /// The names of the lazy members (archive members, `--start-lib`
    /// objects), by member number: `lib.a(x.o)`.
    pub members: Vec<String>,
    /// CTOR-2: no input calls `__wasm_call_ctors` and it is neither the
    /// entry nor `--export`ed: exported functions get command-export
    /// wrappers that run the ctors first (and `__wasm_call_dtors` after).
    pub command_wrappers: bool,
    /// CTOR-3: the defined `__wasm_call_dtors` the wrappers call.
    pub call_dtors: Option<SymbolId>,
    /// UND-ALLOW: names allowed to be undefined (they become imports):
    /// `--allow-undefined-file` names and those of a `NAME.imports` file
    /// beside an archive `NAME.a`.
    pub allowed_undefined: HashSet<String>,
    /// GC-2: archive members and `--start-lib` objects; the other files
    /// (objects named on the command line) are live from the start.
    pub lazy_files: HashSet<FileId>,
    /// DYN-SHLIB: the shared libraries of the command line, in order.
    pub shared_libs: Vec<crate::object::shared::SharedLibrary>,
    /// DYN-STUB: symbols exported (and roots of garbage collection)
    /// because a stub library's used symbol depends on them.
    pub force_export: HashSet<SymbolId>,
    /// WRAP-1: the `--wrap` names set up, until [`wrap::apply`] redirects
    /// their references.
    pub wrapped: Vec<wrap::Wrapped>,
    /// WHY-1: the members extracted, each once read (with what it
    /// extracted in turn), in that order.
    pub extractions: Vec<Extraction>,
    /// QUIRK-LAZY-LOCAL: names whose lazy symbol came from a member's local
    /// symbol and whose member was then extracted: no definition, no
    /// diagnostic, address 0 and index 0 at their uses.
    pub left_lazy: HashSet<SymbolId>,
    /// TRACE-1, TRACE-2: the `--trace` and `-y` lines, in the order the
    /// files and symbols were read.
    pub trace: Vec<String>,
}

/// WHY-1: one extracted member for `--why-extract`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extraction {
    /// The file whose reference extracted it (`lib.a(m.o)` for a member),
    /// `<internal>` for `-u` and `--wrap`, `--export`, `--entry`.
    pub reference: String,
    /// The member: `lib.a(m.o)`, or the path of a `--start-lib` object.
    pub extracted: String,
    /// The symbol it was extracted for.
    pub symbol: String,
}

/// The resolver's working state: the resolution being built, the members
/// not extracted yet, and the sink its diagnostics go to.
struct Resolver<'a> {
    config: &'a Config,
    diags: &'a mut Diagnostics,
    res: Resolution,
    /// Lazy members by member number; `None` once extracted.
    members: Vec<Option<Member>>,
    /// COMDAT-1: the groups some object kept.
    comdats: HashSet<String>,
    /// LOAD-ORDER: files in the order their symbols were read to the end.
    loaded: Vec<FileId>,
    /// DYN-SHLIB: per shared library, how many files were loaded before it
    /// (its place among the inputs, for diagnostics' order).
    shared_at: Vec<usize>,
    /// DYN-STUB: the stub libraries of the command line, in order.
    stubs: Vec<crate::object::shared::StubLibrary>,
}

/// Reads every input and resolves symbols, adding the diagnostics of
/// resolution to `diags`: the inputs' symbols, then (unless those gave
/// errors) the roots, then the synthetic symbols; files end in wasm-ld's
/// order. Signature variants are left to [`signature_variants`].
///
/// Errors: an input that cannot be read or is malformed (the first such
/// error ends the link, as nothing sound can follow).
pub(crate) fn resolve(config: &Config, provider: &dyn InputProvider, diags: &mut Diagnostics) -> Result<Resolution, InputError> {
    let mut r = Resolver { config, diags, res: Resolution::default(), members: Vec::new(), comdats: HashSet::default(), loaded: Vec::new(), shared_at: Vec::new(), stubs: Vec::new() };
    r.res.allowed_undefined.extend(config.allow_undefined_names.iter().cloned());
    // DIAG-1: every input is read before any symbol is added.
    let mut read = Vec::new();
    for spec in &config.inputs {
        read.extend(r.read_input(spec, provider)?);
    }
    for input in read {
        r.add_input(input)?;
    }
    r.claim_shared_symbols();
    // DIAG-1: wasm-ld stops here when the inputs' symbols gave errors
    // (warnings too under `--fatal-warnings`): a member that `--export`
    // would extract is never read (measured).
    if !r.diags.has_errors() {
        r.extract_roots()?;
        r.claim_shared_symbols();
        // DYN-STUB: after the roots, as wasm-ld's `processStubLibraries`.
        let stubs = std::mem::take(&mut r.stubs);
        r.process_stubs(&stubs)?;
        r.claim_shared_symbols();
    }
    r.synthesize();
    // WRAP-1: after the synthetic symbols, unless errors stopped the roots.
    if !r.diags.has_errors() {
        r.add_wrapped_symbols()?;
    }
    r.reorder_files();
    if config.quirks.has(crate::quirks::Quirk::LazyLocalSymbols) {
        let members = &r.members;
        r.res.left_lazy = r.res.table.symbols.iter().enumerate().filter(|(_, s)| matches!(s.def, Def::Lazy { member } if members[member.index()].is_none())).map(|(i, _)| SymbolId::from(i)).collect();
    }
    if config.quirks.has(crate::quirks::Quirk::WeakDefinitionsBindOwnReferences) {
        r.bind_own_weak_definitions(false);
    } else if config.quirks.has(crate::quirks::Quirk::WeakDataBindsOwnReferences) {
        // QUIRK-ZIG-WEAK-OWN: Zig 0.17 does it for data alone.
        r.bind_own_weak_definitions(true);
    }
    Ok(r.res)
}

/// SIG-1, SIG-2: the kept definition of each name with variants; the
/// others become stubs (warnings), or the link fails (an error). wasm-ld
/// does this after the entry check (measured). The names go in the order
/// their first variant was made, or in wasm-ld's hash order under
/// QUIRK-VARIANTS-ORDER (which then orders the stubs too: layout walks the
/// same list).
pub(crate) fn signature_variants(res: &mut Resolution, config: &Config, diags: &mut Diagnostics) {
    let names: Vec<&str> = res.table.variants.iter().map(|g| res.table.symbols[g[0]].name.as_str()).collect();
    let order = crate::quirks::walk_order(config.quirks, crate::quirks::HashWalk::SymbolVariants, &names);
    res.table.reorder_variants(&order);
    let origins = res.table.variants.iter().flatten().map(|&v| (v, res.origin_name(v))).collect();
    for d in signatures::resolve_variants(res, &origins) {
        diags.push(d);
    }
}
