//! Explaining undefined symbols: who references each one, how, with which
//! import attributes, whether it fails the link (as given, or under the
//! default policy), and what becomes of it under each policy; and which
//! symbols a library file defines, so that a missing library can be named.
//! The data behind `linkcheck explain`, which words it for people and
//! checks each fix it proposes by explaining the link again with the fix.

use crate::config::{Config, UnresolvedPolicy};
use crate::error::InputError;
use crate::input::InputProvider;
use crate::diag::Diagnostics;
use crate::live::{mark_live, Chunk, LiveSet};
use crate::object::SymbolKind;
use crate::resolve::{self, Resolution, SymbolId};
use crate::undefined::{self, Fate};
use wasmparser::RelocationType as R;

/// How a reference uses the symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UseKind {
    /// A direct call (FUNCTION_INDEX_LEB).
    Call,
    /// The function's table slot is taken (TABLE_INDEX_*).
    AddressTaken,
    /// A data address (MEMORY_ADDR_*).
    Data,
    /// A global index (GLOBAL_INDEX_*).
    Global,
    /// Anything else (debug info, FUNCTION_INDEX_I32, ...).
    Other,
}

impl UseKind {
    /// A short word for tables: `call`, `address`, `data`, `global`, `other`.
    pub fn word(self) -> &'static str {
        match self {
            UseKind::Call => "call",
            UseKind::AddressTaken => "address",
            UseKind::Data => "data",
            UseKind::Global => "global",
            UseKind::Other => "other",
        }
    }
}

/// One relocation that refers to the symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referrer {
    /// `x.o` or `lib.a(x.o)`.
    pub file: String,
    /// The function (or data segment, or custom section) containing the site.
    pub within: String,
    pub kind: UseKind,
    /// The containing chunk survives `--gc-sections`.
    pub live: bool,
    /// The referencing symbol is weak.
    pub weak: bool,
    /// The reference's import module (function/global/table/tag symbols).
    pub import_module: Option<String>,
    /// The reference's explicit import name (EXPLICIT_NAME), if any.
    pub import_name: Option<String>,
    /// The referencing file's `producers` section, `language` and
    /// `processed-by` names in order (`["rustc"]` for rustc's objects,
    /// `["C11", "clang"]` for clang's with debug info): what tells a Rust
    /// user from a C one.
    pub producers: Vec<String>,
}

/// What becomes of the symbol under one way of linking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyFate {
    /// The policy, as its command-line flags: `(default)`,
    /// `--import-undefined`, `--allow-undefined`, `(all references weak)`.
    pub policy: &'static str,
    /// `error`, `import MODULE.FIELD`, `trapping stub`, `address 0`,
    /// `weak stub (traps when called)`, or `not referenced by live code`.
    pub fate: String,
}

/// One undefined symbol explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndefinedSymbol {
    pub name: String,
    pub kind: SymbolKind,
    /// Some live code refers to it (otherwise nothing happens to it).
    pub live: bool,
    /// The link as given reports it as an error (UND-REPORT; a warning
    /// under `--warn-unresolved-symbols --fatal-warnings` too): it makes
    /// the link fail.
    pub fails_as_given: bool,
    /// The default policy (report-all, no `--import-undefined`; the rest
    /// of the command line as given, `--allow-undefined-file` included)
    /// reports it as an error: the link fails without `--allow-undefined`,
    /// as it does under Rust 1.96's wasm targets.
    pub fails_by_default: bool,
    pub referrers: Vec<Referrer>,
    /// The import `(module, field)` it would become (UND-IMPORT).
    pub import: (String, String),
    pub fates: Vec<PolicyFate>,
    /// Nearest defined symbols (UND-HINT): `(name, file)`.
    pub suggestions: Vec<(String, String)>,
}

/// Import attribute conflicts: one symbol imported under several modules
/// or names (the shape of rust-lang/rust#148347).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub name: String,
    /// Every distinct (module, field) with the files asking for it.
    pub imports: Vec<(String, String, Vec<String>)>,
    /// Whether the link reports it (a definition seen first hides it).
    pub reported: bool,
}

/// Everything `linkcheck explain` prints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Explanation {
    pub undefined: Vec<UndefinedSymbol>,
    pub conflicts: Vec<Conflict>,
    /// The errors of symbol resolution other than undefined symbols
    /// (`duplicate symbol: X`, `symbol type mismatch: X`, import
    /// conflicts...), each a diagnostic's text: what a fix adding a
    /// library must not bring.
    pub other_errors: Vec<String>,
}

/// A symbol a library file defines (AR-1's lazy definitions of an
/// archive's members, or an object's defined non-local symbols).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    pub name: String,
    pub kind: SymbolKind,
    /// `lib.a(x.o)` for an archive member, the path for an object.
    pub file: String,
}

/// The defined non-local symbols of the object or archive `bytes` (named
/// `path` in the result), read as refld reads a lazy archive member
/// (AR-1: symbol tables only, so a large `libc.a` costs little). Members
/// that are not wasm (an rlib's `lib.rmeta`) are skipped (AR-4).
///
/// Errors: a malformed archive or object.
pub fn defined_symbols(path: &str, bytes: &[u8]) -> Result<Vec<Definition>, InputError> {
    let members = if crate::archive::is_archive(bytes) {
        crate::archive::read_archive(path, bytes)?.0
    } else {
        vec![crate::archive::Member { name: path.to_string(), bytes: bytes.to_vec() }]
    };
    let mut out = Vec::new();
    for m in members {
        for e in crate::archive::scan_defined_symbols(&m.name, &m.bytes)?.into_iter().filter(|e| !e.local) {
            out.push(Definition { name: e.name, kind: e.kind, file: m.name.clone() });
        }
    }
    Ok(out)
}

/// Explains the undefined symbols of the link `config` describes.
///
/// Errors: an input that cannot be read or is malformed.
pub fn explain(config: &Config, provider: &dyn InputProvider) -> Result<Explanation, InputError> {
    // The phases of a link up to the undefined symbols' fates, none of
    // them stopping: the diagnostics tell which conflicts were reported.
    let mut diags = Diagnostics::new(false);
    let mut res = resolve::resolve(config, provider, &mut diags)?;
    resolve::signature_variants(&mut res, config, &mut diags);
    let live = mark_live(config, &res);
    let mut out = Explanation::default();
    let policies: [(&'static str, Config); 3] = [
        ("(default)", Config { unresolved: UnresolvedPolicy::ReportAll, import_undefined: false, ..config.clone() }),
        ("--import-undefined", Config { unresolved: UnresolvedPolicy::ReportAll, import_undefined: true, ..config.clone() }),
        ("--allow-undefined", Config { unresolved: UnresolvedPolicy::IgnoreAll, import_undefined: true, ..config.clone() }),
    ];
    // Each policy's fates, and the symbols it reports as errors: UND-REPORT's
    // messages say which (a warning counts under --fatal-warnings,
    // CLI-FATAL). A reported symbol fails the link whatever its fate
    // (an undefined global under --import-undefined is imported and still
    // reported, UND-IMPORT).
    let decide = |c: &Config| {
        let mut d = Diagnostics::new(c.fatal_warnings);
        let fates = undefined::decide(c, &res, &live, &mut d);
        let fatal = d.has_errors();
        let reported: rustc_hash::FxHashSet<String> = d.iter().filter(|d| d.severity == crate::Severity::Error || fatal).filter_map(|d| undefined_name(&d.message)).collect();
        (fates, reported)
    };
    let decided: Vec<_> = policies.iter().map(|(_, c)| decide(c)).collect();
    let fail_as_given = decide(config).1;
    let fail_by_default = &decided[0].1;
    for (sid, sym) in res.table.symbols.iter().enumerate().map(|(i, s)| (SymbolId::from(i), s)) {
        if !sym.is_undefined() || sym.refs.is_empty() {
            continue;
        }
        let is_live = live.symbols.contains(&sid);
        let mut fates: Vec<PolicyFate> = policies
            .iter()
            .zip(&decided)
            .map(|((p, _), (f, reported))| PolicyFate { policy: p, fate: describe(f.fates.get(&sid), is_live, reported.contains(&sym.name)) })
            .collect();
        let weak_fate = match sym.kind {
            SymbolKind::Function => "weak stub (traps when called), table index 0",
            SymbolKind::Data => "address 0",
            _ => "error",
        };
        fates.push(PolicyFate { policy: "(all references weak)", fate: if is_live { weak_fate.to_string() } else { describe(None, false, false) } });
        out.undefined.push(UndefinedSymbol {
            name: sym.name.clone(),
            kind: sym.kind,
            live: is_live,
            fails_as_given: is_live && fail_as_given.contains(&sym.name),
            fails_by_default: is_live && fail_by_default.contains(&sym.name),
            referrers: referrers(&res, &live, sid),
            import: res.import_of(sid),
            fates,
            suggestions: crate::didyoumean::suggestions(&res, sid),
        });
    }
    out.conflicts = conflicts(&res, &diags);
    out.other_errors = diags.iter().filter(|d| d.severity == crate::Severity::Error).map(|d| d.message.clone()).collect();
    Ok(out)
}

/// The symbol of UND-REPORT's message `FILE: undefined symbol: NAME`
/// (its first line; `>>> did you mean` lines may follow).
fn undefined_name(message: &str) -> Option<String> {
    let first = message.lines().next()?;
    first.split_once(": undefined symbol: ").map(|(_, name)| name.to_string())
}

/// The words for a fate: `reported`, the policy reports the symbol as an
/// error, which wins over the fate (the link fails).
fn describe(f: Option<&Fate>, live: bool, reported: bool) -> String {
    match f {
        _ if !live => "not referenced by live code: nothing".to_string(),
        _ if reported => "error: undefined symbol".to_string(),
        Some(Fate::Import { module, field }) => format!("import {module}.{field}"),
        Some(Fate::WeakStub) => "weak stub (traps when called), table index 0".to_string(),
        Some(Fate::TrapStub) => "trapping stub, table index 0".to_string(),
        Some(Fate::Zero) => "address 0".to_string(),
        Some(Fate::GotOnly) => "reached through its GOT.func import only".to_string(),
        Some(Fate::InvalidIndex) => "no import: index 0xFFFFFFFF (an invalid module)".to_string(),
        Some(Fate::Error) | None => "error: undefined symbol".to_string(),
    }
}

fn use_kind(ty: R) -> UseKind {
    match crate::object::reloc_types::narrow(ty) {
        R::FunctionIndexLeb => UseKind::Call,
        R::TableIndexSleb | R::TableIndexI32 => UseKind::AddressTaken,
        R::MemoryAddrLeb | R::MemoryAddrSleb | R::MemoryAddrI32 | R::MemoryAddrLocrelI32 | R::MemoryAddrTlsSleb => UseKind::Data,
        R::GlobalIndexLeb | R::GlobalIndexI32 => UseKind::Global,
        _ => UseKind::Other,
    }
}

fn referrers(res: &Resolution, live: &LiveSet, sid: SymbolId) -> Vec<Referrer> {
    let mut out = Vec::new();
    for r in &res.table.symbols[sid].refs {
        let obj = &res.files[r.file];
        let s = &obj.symbols[r.sym.index()];
        let base = Referrer {
            file: obj.name.clone(),
            within: String::new(),
            kind: UseKind::Other,
            live: false,
            weak: r.weak,
            import_module: s.import_module.clone(),
            import_name: s.has_explicit_name().then(|| s.import_name.clone()).flatten(),
            producers: obj.producers.iter().filter(|(field, _, _)| field == "language" || field == "processed-by").map(|(_, name, _)| name.clone()).collect(),
        };
        let mut any = false;
        for (i, range) in obj.func_relocs.iter().enumerate() {
            for rel in obj.code_relocs[range.clone()].iter().filter(|x| x.index == r.sym.0 && x.ty != R::TypeIndexLeb) {
                any = true;
                let idx = i as u32 + obj.num_imported_funcs();
                let within = obj.symbols.iter().find(|x| x.kind == SymbolKind::Function && x.is_defined() && x.index == idx).map(|x| x.name.clone()).unwrap_or_else(|| format!("function #{idx}"));
                out.push(Referrer { within, kind: use_kind(rel.ty), live: live.is_live(Chunk::Function(r.file, i.into())), ..base.clone() });
            }
        }
        for (i, range) in obj.segment_relocs.iter().enumerate() {
            for rel in obj.data_relocs[range.clone()].iter().filter(|x| x.index == r.sym.0) {
                any = true;
                out.push(Referrer { within: obj.segments[i].name.clone(), kind: use_kind(rel.ty), live: live.is_live(Chunk::Segment(r.file, i.into())), ..base.clone() });
            }
        }
        if !any {
            out.push(Referrer { within: "(symbol table only)".into(), ..base });
        }
    }
    out
}

fn conflicts(res: &Resolution, diags: &Diagnostics) -> Vec<Conflict> {
    let mut out = Vec::new();
    for sym in &res.table.symbols {
        let mut imports: Vec<(String, String, Vec<String>)> = Vec::new();
        for r in &sym.refs {
            let s = &res.files[r.file].symbols[r.sym.index()];
            let Some(module) = s.import_module.clone() else { continue };
            let field = if s.has_explicit_name() { s.import_name.clone().unwrap_or_default() } else { sym.name.clone() };
            let file = res.files[r.file].name.clone();
            match imports.iter_mut().find(|(m, f, _)| *m == module && *f == field) {
                Some(e) => e.2.push(file),
                None => imports.push((module, field, vec![file])),
            }
        }
        if imports.len() > 1 {
            let reported = diags.iter().any(|d| d.message.contains(&format!("mismatch for symbol: {}\n", sym.name)));
            out.push(Conflict { name: sym.name.clone(), imports, reported });
        }
    }
    out
}
