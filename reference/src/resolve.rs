//! Loading inputs and resolving symbols: objects in command-line order,
//! archive members extracted lazily when a reference needs them, COMDAT
//! groups, the synthetic symbols, `-u`, `--export` and the entry.

use crate::archive::{self, Member};
use crate::config::{Config, InputSpec};
use crate::diag::Diagnostic;
use crate::error::InputError;
use crate::input::InputProvider;
use crate::object::{parse_object, ObjectFile, SymbolKind};
use crate::symtab::*;
use rustc_hash::FxHashSet as HashSet;

mod kinds;
pub use kinds::mixed_references;

/// SYN-1: synthetic symbols wasm-ld defines before reading the inputs; an
/// input defining one is a duplicate. The other synthetic symbols are
/// optional: an input's definition wins (SYN-2).
pub const RESERVED: &[&str] = &["__stack_pointer", "__wasm_call_ctors"];

/// SYN-2: the optional linker-defined data symbols.
pub const OPTIONAL_DATA: &[&str] = &[
    "__dso_handle",
    "__data_end",
    "__stack_low",
    "__stack_high",
    "__global_base",
    "__heap_base",
    "__heap_end",
    "__memory_base",
    "__table_base",
    "__wasm_first_page_end",
];

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
    /// Warnings and errors of resolution.
    pub diagnostics: Vec<Diagnostic>,
    /// SIG-1, SIG-2: the signature-mismatch warnings or the error of
    /// [`crate::signatures::resolve_variants`], reported after the entry
    /// check (wasm-ld's phases, measured).
    pub signature_diagnostics: Vec<Diagnostic>,
    /// DIAG-1: reading the inputs' symbols found errors, so `-u`,
    /// `--export` and the entry extracted nothing and the entry is not
    /// checked (wasm-ld stops before them).
    pub stopped_after_inputs: bool,
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
}

/// A lazy member: an archive member or `--start-lib` object not loaded yet.
struct LazyMember {
    member: Option<Member>,
}

struct Resolver<'c> {
    config: &'c Config,
    res: Resolution,
    members: Vec<LazyMember>,
    comdats: HashSet<String>,
    /// LOAD-ORDER: files in the order their symbols were read to the end.
    loaded: Vec<FileId>,
}

/// Reads every input and resolves symbols.
///
/// Errors: an input that cannot be read or is malformed (the first such
/// error ends the link, as nothing sound can follow); otherwise resolution
/// problems are collected as diagnostics in the result.
pub fn resolve(config: &Config, provider: &dyn InputProvider) -> Result<Resolution, InputError> {
    let mut r = Resolver { config, res: Resolution::default(), members: Vec::new(), comdats: HashSet::default(), loaded: Vec::new() };
    r.res.allowed_undefined.extend(config.allow_undefined_names.iter().cloned());
    for spec in &config.inputs {
        r.add_input(spec, provider)?;
    }
    // DIAG-1: wasm-ld stops here when the inputs' symbols gave errors
    // (warnings too under `--fatal-warnings`): a member that `--export`
    // would extract is never read (measured).
    if r.res.diagnostics.iter().any(|d| d.severity == crate::diag::Severity::Error || config.fatal_warnings) {
        r.res.stopped_after_inputs = true;
    } else {
        r.roots()?;
    }
    r.synthesize();
    r.resolve_variants();
    r.reorder_files();
    Ok(r.res)
}

/// The state of undefined symbol `sid` as reference `r` makes it (a new
/// symbol, a new variant, or SIG-REPLACE): its binding, signature (for
/// functions), direct-call mark, import module and explicit import name,
/// and origin.
pub(crate) fn make_undefined(res: &mut Resolution, sid: SymbolId, r: &Reference) {
    let s = &res.files[r.file].symbols[r.sym as usize];
    let module = s.import_module.clone();
    let name = if s.has_explicit_name() { s.import_name.clone() } else { None };
    let g = &mut res.table.symbols[sid];
    g.def = Def::Undefined;
    g.weak = r.weak;
    g.called_directly = r.called_directly;
    g.sig = (g.kind == SymbolKind::Function).then_some((r.file, r.sym));
    g.import_module = module;
    g.import_name = name;
    g.origin = Some(r.file);
}

impl Resolver<'_> {
    fn add_input(&mut self, spec: &InputSpec, provider: &dyn InputProvider) -> Result<(), InputError> {
        let (path, whole, lazy) = match spec {
            InputSpec::File { path, whole_archive, lazy } => (path.clone(), *whole_archive, *lazy),
            InputSpec::Library { name, whole_archive } => (self.find_library(name, provider)?, *whole_archive, false),
        };
        let bytes = provider.read(&path).map_err(|e| InputError::file(&path, format!("cannot open: {e}")))?;
        if archive::is_archive(&bytes) {
            if let Some(stem) = path.strip_suffix(".a") {
                let imports = format!("{stem}.imports");
                if provider.exists(&imports) {
                    let text = provider.read(&imports).map_err(|e| InputError::file(&imports, format!("cannot open: {e}")))?;
                    self.res.allowed_undefined.extend(crate::args::symbol_list(&String::from_utf8_lossy(&text)));
                }
            }
            let (members, skipped) = archive::read_archive(&path, &bytes)?;
            for s in skipped {
                // AR-4: non-wasm members are skipped with wasm-ld's warning.
                self.res.diagnostics.push(Diagnostic::warning(format!("{path}: archive member '{s}' is neither Wasm object file nor LLVM bitcode")));
            }
            for m in members {
                if whole {
                    self.res.lazy_files.insert(self.res.files.len());
                    self.add_object(parse_object(&m.name, m.bytes)?)?;
                } else {
                    self.add_lazy(m)?;
                }
            }
        } else if lazy {
            self.add_lazy(Member { name: path, bytes })?;
        } else {
            self.add_object(parse_object(&path, bytes)?)?;
        }
        Ok(())
    }

    /// CLI-4: `-lNAME` is the first `libNAME.a` in the `-L` paths.
    fn find_library(&self, name: &str, provider: &dyn InputProvider) -> Result<String, InputError> {
        for dir in &self.config.search_paths {
            let p = format!("{}/lib{name}.a", dir.trim_end_matches('/'));
            if provider.exists(&p) {
                return Ok(p);
            }
        }
        Err(InputError::file(&format!("-l{name}"), format!("unable to find library -l{name}")))
    }

    /// AR-1: each defined non-local symbol of a member becomes lazy unless
    /// the name is already known; AR-2: an undefined reference already
    /// waiting for it extracts the member at once.
    fn add_lazy(&mut self, m: Member) -> Result<(), InputError> {
        let entries = archive::scan_defined_symbols(&m.name, &m.bytes)?;
        let id = self.members.len();
        self.members.push(LazyMember { member: Some(m) });
        for e in entries {
            let (sid, created) = self.res.table.insert(&e.name, e.kind);
            let sym = &mut self.res.table.symbols[sid];
            if created {
                sym.def = Def::Lazy { member: id };
                continue;
            }
            // wasm-ld `addLazy`: an undefined symbol with a weak binding
            // becomes lazy, keeping its signature; a strong one extracts
            // the member while it is still undefined (so the definition
            // meets the references' signatures, SIG-VARIANT).
            if sym.def == Def::Undefined {
                if reference_extracts(sym.kind, sym.weak) {
                    self.extract(id)?;
                } else {
                    sym.def = Def::Lazy { member: id };
                }
            }
        }
        Ok(())
    }

    fn extract(&mut self, member: usize) -> Result<(), InputError> {
        if let Some(m) = self.members[member].member.take() {
            let obj = parse_object(&m.name, m.bytes)?;
            self.res.lazy_files.insert(self.res.files.len());
            self.add_object(obj)?;
        }
        Ok(())
    }

    fn add_object(&mut self, obj: ObjectFile) -> Result<(), InputError> {
        let fid = self.res.files.len();
        let mut discarded = Discarded::default();
        let nif = obj.num_imported_funcs();
        let nig = obj.num_imported_globals();
        for c in &obj.comdats {
            // COMDAT-1: the first object to declare a COMDAT keeps it.
            if self.comdats.insert(c.name.clone()) {
                continue;
            }
            discarded.functions.extend(c.functions.iter().map(|f| f - nif));
            discarded.segments.extend(c.segments.iter().copied());
            discarded.globals.extend(c.globals.iter().map(|g| g - nig));
            discarded.sections.extend(c.sections.iter().copied());
        }
        let syms: Vec<_> = obj
            .symbols
            .iter()
            .map(|s| {
                let in_discarded = s.is_defined()
                    && match s.kind {
                        SymbolKind::Function => discarded.functions.contains(&(s.index - nif)),
                        SymbolKind::Data => s.data.is_some_and(|d| discarded.segments.contains(&d.segment)),
                        SymbolKind::Global => discarded.globals.contains(&(s.index - nig)),
                        _ => false,
                    };
                (s.name.clone(), s.kind, s.is_local() || s.kind == SymbolKind::Section, s.is_defined() && !in_discarded, s.is_weak(), s.is_no_strip())
            })
            .collect();
        let called: HashSet<u32> = obj.code_relocs.iter().filter(|r| r.ty == wasmparser::RelocationType::FunctionIndexLeb).map(|r| r.index).collect();
        let name = obj.name.clone();
        self.res.files.push(obj);
        self.res.discarded.push(discarded);
        self.res.file_syms.push(vec![None; syms.len()]);
        for (i, (sname, kind, local, defined, weak, no_strip)) in syms.into_iter().enumerate() {
            if local {
                continue;
            }
            let (sid, created) = self.res.table.insert(&sname, kind);
            self.res.file_syms[fid][i] = Some(sid);
            if self.res.table.symbols[sid].kind != kind {
                if no_strip {
                    self.res.table.symbols[sid].no_strip = true;
                }
                self.meet_other_kind(sid, kinds::Incoming { file: fid, sym: i as u32, kind, defined, weak });
                continue;
            }
            let target = if defined {
                self.add_defined(sid, fid, i as u32, weak, &name)
            } else {
                let called_directly = called.contains(&(i as u32));
                self.add_undefined(sid, created, Reference { file: fid, sym: i as u32, weak, called_directly })?
            };
            self.res.file_syms[fid][i] = Some(target);
            if no_strip {
                self.res.table.symbols[target].no_strip = true;
            }
        }
        self.loaded.push(fid);
        Ok(())
    }

    /// LOAD-ORDER: files in the order wasm-ld lists them (`objectFiles`):
    /// a file goes in once its symbols are read, so a member its reading
    /// extracts comes before it (measured). Renumbers the files, and every
    /// file index in the table, to that order.
    fn reorder_files(&mut self) {
        let order = std::mem::take(&mut self.loaded);
        let mut new_id = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_id[old] = new;
        }
        let res = &mut self.res;
        let mut files: Vec<Option<ObjectFile>> = std::mem::take(&mut res.files).into_iter().map(Some).collect();
        let mut syms: Vec<Option<Vec<Option<SymbolId>>>> = std::mem::take(&mut res.file_syms).into_iter().map(Some).collect();
        let mut discarded: Vec<Option<Discarded>> = std::mem::take(&mut res.discarded).into_iter().map(Some).collect();
        for &old in &order {
            res.files.extend(files[old].take());
            res.file_syms.extend(syms[old].take());
            res.discarded.extend(discarded[old].take());
        }
        res.lazy_files = res.lazy_files.iter().map(|&f| new_id[f]).collect();
        for sym in &mut res.table.symbols {
            for r in &mut sym.refs {
                r.file = new_id[r.file];
            }
            if let Def::Defined { file, .. } = &mut sym.def {
                *file = new_id[*file];
            }
            if let Some((file, _)) = &mut sym.sig {
                *file = new_id[*file];
            }
            if let Some(file) = &mut sym.origin {
                *file = new_id[*file];
            }
        }
    }

    /// SYM-5: `symbol type mismatch: X` between what `sid` holds and a
    /// symbol of `kind` in `file` (kinds spelt as wasm-ld does:
    /// `WASM_SYMBOL_TYPE_FUNCTION`, ...).
    fn type_mismatch(&mut self, sid: SymbolId, kind: SymbolKind, file: &str) {
        let sym = &self.res.table.symbols[sid];
        let first = self.describe_origin(sid);
        let msg = format!("symbol type mismatch: {}\n>>> defined as {} in {}\n>>> defined as {} in {}", sym.name, wasm_type(sym.kind), first, wasm_type(kind), file);
        self.res.diagnostics.push(Diagnostic::error(msg));
    }

    /// Where a symbol comes from, for `>>>` lines.
    fn describe_origin(&self, sid: SymbolId) -> String {
        let sym = &self.res.table.symbols[sid];
        match &sym.def {
            Def::Defined { file, .. } => self.res.files[*file].name.clone(),
            Def::Lazy { member } => self.members[*member].member.as_ref().map(|m| m.name.clone()).unwrap_or_default(),
            Def::Synthetic(_) | Def::SignatureStub => "<internal>".to_string(),
            Def::Undefined => sym.origin.or(sym.refs.first().map(|r| r.file)).map(|f| self.res.files[f].name.clone()).unwrap_or_default(),
        }
    }

    /// A definition of `sid`'s name; returns the symbol it resolves to
    /// (`sid`, or a variant of another signature, SIG-VARIANT).
    fn add_defined(&mut self, sid: SymbolId, fid: FileId, sym: u32, weak: bool, file: &str) -> SymbolId {
        let name = &self.res.table.symbols[sid].name;
        if RESERVED.contains(&name.as_str()) {
            // SYN-1: wasm-ld defines these before reading any input.
            let msg = format!("duplicate symbol: {name}\n>>> defined in <internal>\n>>> defined in {file}");
            self.res.diagnostics.push(Diagnostic::error(msg));
            return sid;
        }
        let (target, new_variant) = crate::signatures::definition_target(&mut self.res, sid, (fid, sym));
        // wasm-ld weighs a definition against the symbol it met (`sid`),
        // also when it lands on an existing variant.
        let action = if new_variant { DefineAction::Replace } else { define_action(&self.res.table.symbols[sid], weak) };
        match action {
            DefineAction::Replace => self.define(target, fid, sym, weak),
            DefineAction::Keep => {}
            DefineAction::Duplicate => {
                if !self.config.allow_multiple_definition {
                    let first = self.describe_origin(sid);
                    let name = &self.res.table.symbols[sid].name;
                    self.res.diagnostics.push(Diagnostic::error(format!("duplicate symbol: {name}\n>>> defined in {first}\n>>> defined in {file}")));
                    // SYM-4 (wasm-ld `shouldReplace`, measured): the new
                    // definition takes the name, so a third one is
                    // reported against it.
                    self.define(target, fid, sym, weak);
                }
            }
        }
        target
    }

    /// Symbol `target` becomes the definition `sym` of file `fid`.
    fn define(&mut self, target: SymbolId, fid: FileId, sym: u32, weak: bool) {
        let s = &mut self.res.table.symbols[target];
        let was_lazy = matches!(s.def, Def::Lazy { .. });
        s.def = Def::Defined { file: fid, sym };
        s.weak_def = weak;
        s.origin = Some(fid);
        if s.kind == SymbolKind::Function {
            s.sig = Some((fid, sym));
            if was_lazy {
                crate::signatures::split_lazy_references(&mut self.res, target);
            }
        }
    }

    /// An undefined reference to `sid`'s name (`created`: by this very
    /// reference); returns the symbol it resolves to (`sid`, or a variant
    /// of another signature, SIG-VARIANT).
    fn add_undefined(&mut self, sid: SymbolId, created: bool, r: Reference) -> Result<SymbolId, InputError> {
        if created {
            make_undefined(&mut self.res, sid, &r);
            self.res.table.symbols[sid].refs.push(r);
            return Ok(sid);
        }
        let sym = &mut self.res.table.symbols[sid];
        if let Def::Lazy { member } = sym.def {
            if !reference_extracts(sym.kind, r.weak) {
                // AR-2: a weak reference leaves the symbol lazy and weak,
                // with this reference's signature (wasm-ld, measured; but
                // see SIG-LAZY).
                sym.weak = true;
                let target = if sym.kind == SymbolKind::Function { crate::signatures::lazy_reference_target(&mut self.res, sid, &r) } else { sid };
                self.res.table.symbols[target].refs.push(r);
                return Ok(target);
            }
            // SIG-LAZY: the reference then meets the member's definition
            // like any other (wasm-ld skips that check here).
            self.extract(member)?;
        }
        let target = crate::signatures::reference_target(&mut self.res, sid, &r);
        if self.res.table.symbols[sid].def == Def::Undefined {
            // wasm-ld `updateExistingUndefined`, on the symbol met.
            self.check_import_attributes(sid, r);
            let sym = &mut self.res.table.symbols[sid];
            sym.weak &= r.weak;
            sym.called_directly |= r.called_directly;
        }
        self.res.table.symbols[target].refs.push(r);
        Ok(target)
    }

    /// UND-NAME / UND-MODULE (wasm-ld `updateExistingUndefined`): while a
    /// symbol is still undefined, a reference with an explicit import name
    /// other than the symbol's (the first explicit one) is an error
    /// `import name mismatch for symbol: X`, and one whose import module
    /// differs from the symbol's (that of the reference that made it) is
    /// `import module mismatch for symbol: X`; `>>> defined as` the
    /// symbol's in its origin file, then this reference's. A definition
    /// seen first means no check: the result depends on input order, as in
    /// wasm-ld. A symbol without an import name takes this one's.
    fn check_import_attributes(&mut self, sid: SymbolId, r: Reference) {
        let files = &self.res.files;
        let this = &files[r.file].symbols[r.sym as usize];
        let sym = &self.res.table.symbols[sid];
        let origin = sym.origin.map(|f| files[f].name.as_str()).unwrap_or("");
        let mut errors = Vec::new();
        let mut take_name = None;
        if this.has_explicit_name() {
            let b = this.import_name.clone().unwrap_or_default();
            match &sym.import_name {
                None => take_name = Some(b),
                Some(a) if *a != b => errors.push(format!("import name mismatch for symbol: {}\n>>> defined as {a} in {origin}\n>>> defined as {b} in {}", sym.name, files[r.file].name)),
                Some(_) => {}
            }
        }
        if let (Some(a), Some(b)) = (&sym.import_module, &this.import_module) {
            if a != b {
                errors.push(format!("import module mismatch for symbol: {}\n>>> defined as {a} in {origin}\n>>> defined as {b} in {}", sym.name, files[r.file].name));
            }
        }
        let sym = &mut self.res.table.symbols[sid];
        if take_name.is_some() {
            sym.import_name = take_name;
        }
        if sym.import_module.is_none() {
            sym.import_module = this.import_module.clone();
        }
        self.res.diagnostics.extend(errors.into_iter().map(Diagnostic::error));
    }

    /// AR-3: `-u`, `--export` and the entry extract lazy definitions, in
    /// command-line order (EXP-ORDER: wasm-ld walks `--export` in its string
    /// set's hash order, which refld does not copy).
    fn roots(&mut self) -> Result<(), InputError> {
        let mut names: Vec<String> = self.config.undefined.clone();
        names.extend(self.config.exports.iter().cloned());
        names.extend(self.config.entry.iter().cloned());
        for n in &names {
            self.extract_if_lazy(n)?;
        }
        let ctors = "__wasm_call_ctors";
        let ctors_used = self.res.table.find(ctors).is_some_and(|sid| !self.res.table.symbols[sid].refs.is_empty());
        // CTOR-2: `--export-all` exports `__wasm_call_ctors` too (measured).
        if !ctors_used && !names.iter().any(|n| n == ctors) && !self.config.export_all {
            self.res.command_wrappers = true;
            self.extract_if_lazy("__wasm_call_dtors")?;
            if let Some(sid) = self.res.table.find("__wasm_call_dtors") {
                let sym = &self.res.table.symbols[sid];
                if matches!(sym.def, Def::Defined { .. }) {
                    if sym.kind == SymbolKind::Function {
                        self.res.call_dtors = Some(sid);
                    } else {
                        self.res.diagnostics.push(Diagnostic::error("__wasm_call_dtors must be a function"));
                    }
                }
            }
        }
        Ok(())
    }

    fn extract_if_lazy(&mut self, name: &str) -> Result<(), InputError> {
        if let Some(sid) = self.res.table.find(name) {
            if let Def::Lazy { member } = self.res.table.symbols[sid].def {
                self.extract(member)?;
            }
        }
        Ok(())
    }

    /// SIG-1, SIG-2: the kept definition of each name with variants; the
    /// others become stubs (or the link fails).
    fn resolve_variants(&mut self) {
        let origins = self.res.table.variants.iter().flatten().map(|&v| (v, self.describe_origin(v))).collect();
        self.res.signature_diagnostics = crate::signatures::resolve_variants(&mut self.res, &origins);
    }

    /// SYN-2: names the linker defines resolve to its synthetic symbols
    /// when no input defined them.
    fn synthesize(&mut self) {
        for name in ["__stack_pointer", "__wasm_call_ctors", "__indirect_function_table"] {
            let (_, kind) = Synthetic::by_name(name).expect("known name");
            self.res.table.insert(name, kind);
        }
        // SYN-2 (measured): `--export-all` and `--export`/`--export-if-defined`
        // of a name make the optional data symbols too.
        for name in OPTIONAL_DATA {
            let exported = self.config.exports.iter().chain(&self.config.exports_if_defined).any(|e| e == name);
            if self.config.export_all || exported {
                self.res.table.insert(name, SymbolKind::Data);
            }
        }
        for sym in &mut self.res.table.symbols {
            if !sym.is_undefined() {
                continue;
            }
            if let Some((syn, kind)) = Synthetic::by_name(&sym.name) {
                if kind == sym.kind {
                    sym.def = Def::Synthetic(syn);
                }
            }
        }
    }
}

/// SYM-5: wasm-ld's spelling of a symbol kind in `symbol type mismatch`.
fn wasm_type(kind: SymbolKind) -> &'static str {
    match kind {
        SymbolKind::Function => "WASM_SYMBOL_TYPE_FUNCTION",
        SymbolKind::Data => "WASM_SYMBOL_TYPE_DATA",
        SymbolKind::Global => "WASM_SYMBOL_TYPE_GLOBAL",
        SymbolKind::Section => "WASM_SYMBOL_TYPE_SECTION",
        SymbolKind::Tag => "WASM_SYMBOL_TYPE_TAG",
        SymbolKind::Table => "WASM_SYMBOL_TYPE_TABLE",
    }
}
