//! One symbol of an input meeting the symbol table (wasm-ld
//! `SymbolTable::addDefined*`, `addUndefined*`): definitions weighed
//! against what the name holds (SYM-1..SYM-4), undefined references
//! joining it (SYM-6, UND-NAME, UND-MODULE), signatures checked
//! (SIG-VARIANT, SIG-REPLACE, SIG-LAZY).

use crate::ids::SymbolIndex;
use super::symtab::{define_action, reference_extracts, Def, DefineAction, FileId, Reference, SymbolId};
use super::synthetic::RESERVED;
use super::{signatures, Discarded, Resolution, Resolver};
use crate::error::InputError;
use crate::object::SymbolKind;
use crate::quirks::Quirk;

/// The state of undefined symbol `sid` as reference `r` makes it (a new
/// symbol, a new variant, or SIG-REPLACE): its binding, signature (for
/// functions), direct-call mark, import module and explicit import name,
/// and origin.
pub(crate) fn make_undefined(res: &mut Resolution, sid: SymbolId, r: &Reference) {
    let s = &res.files[r.file].symbols[r.sym.index()];
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
    /// SYM-5: `symbol type mismatch: X` between what `sid` holds and a
    /// symbol of `kind` in `file` (kinds spelt as wasm-ld does:
    /// `WASM_SYMBOL_TYPE_FUNCTION`, ...).
    pub(super) fn type_mismatch(&mut self, sid: SymbolId, kind: SymbolKind, file: &str) {
        let sym = &self.res.table.symbols[sid];
        let first = self.res.origin_name(sid);
        let msg = format!("symbol type mismatch: {}\n>>> defined as {} in {}\n>>> defined as {} in {}", sym.name, sym.kind.wasm_name(), first, kind.wasm_name(), file);
        self.diags.error(msg);
    }

    /// SIG-*: whether function signatures are checked at all. Not under
    /// QUIRK-WILD-SIG: Wild 0.10 makes no variant, no stub and no warning,
    /// and writes a call of another type as it is (measured:
    /// corpus/found/wild_signature_mismatch_invalid_module).
    fn checks_signatures(&self) -> bool {
        !self.config.quirks.has(Quirk::SignatureUnchecked)
    }

    /// A definition of `sid`'s name; returns the symbol it resolves to
    /// (`sid`, or a variant of another signature, SIG-VARIANT).
    pub(super) fn add_defined(&mut self, sid: SymbolId, fid: FileId, sym: SymbolIndex, weak: bool, file: &str) -> SymbolId {
        let name = &self.res.table.symbols[sid].name;
        if RESERVED.contains(&name.as_str()) {
            // SYN-1: wasm-ld defines these before reading any input.
            let msg = format!("duplicate symbol: {name}\n>>> defined in <internal>\n>>> defined in {file}");
            self.diags.error_or_warning(msg);
            return sid;
        }
        if self.res.table.symbols[sid].kind == SymbolKind::Tag {
            self.check_tag_signature(sid, fid, sym, file, true);
        }
        let (target, new_variant) = if self.checks_signatures() { signatures::definition_target(&mut self.res, sid, (fid, sym)) } else { (sid, false) };
        // wasm-ld weighs a definition against the symbol it met (`sid`),
        // also when it lands on an existing variant.
        let mut action = if new_variant { DefineAction::Replace } else { define_action(&self.res.table.symbols[sid], weak) };
        // QUIRK-ZIG-WEAK: Zig 0.17 takes the last of two weak definitions
        // (measured: corpus/found/zig_last_weak_definition_wins).
        if action == DefineAction::Keep && self.res.table.symbols[sid].weak_def && self.config.quirks.has(Quirk::LastWeakDefinitionWins) {
            action = DefineAction::Replace;
        }
        match action {
            DefineAction::Replace => self.define(target, fid, sym, weak),
            DefineAction::Keep => {}
            DefineAction::Duplicate => {
                if !self.config.allow_multiple_definition {
                    let first = self.res.origin_name(sid);
                    let name = &self.res.table.symbols[sid].name;
                    self.diags.error_or_warning(format!("duplicate symbol: {name}\n>>> defined in {first}\n>>> defined in {file}"));
                    // SYM-4 (wasm-ld `shouldReplace`, measured): the new
                    // definition takes the name, so a third one is
                    // reported against it.
                    self.define(target, fid, sym, weak);
                }
            }
        }
        target
    }

    /// TAG-SIG (measured, wasm-ld 22 and 19): a tag definition whose
    /// signature differs from the symbol's (its definition's, or its first
    /// reference's), or a reference whose signature differs from the
    /// definition's, is the warning `Tag signature mismatch: NAME`, the
    /// symbol's signature and file first. The link goes on.
    pub(super) fn check_tag_signature(&mut self, sid: SymbolId, fid: FileId, sym: SymbolIndex, file: &str, defining: bool) {
        let s = &self.res.table.symbols[sid];
        let old = match s.def {
            Def::Defined { file, sym } => (file, sym),
            Def::Undefined if defining => match s.refs.first() {
                Some(r) => (r.file, r.sym),
                None => return,
            },
            _ => return,
        };
        let sig_of = |(f, i): (FileId, SymbolIndex)| {
            let obj = &self.res.files[f];
            obj.tag_signature(obj.symbols.get(i.index())?.index).cloned()
        };
        let (Some(old_sig), Some(new_sig)) = (sig_of(old), sig_of((fid, sym))) else { return };
        if old_sig != new_sig {
            let first = self.res.files[old.0].name.clone();
            let msg = format!("Tag signature mismatch: {}\n>>> defined as {old_sig} in {first}\n>>> defined as {new_sig} in {file}", s.name);
            self.diags.warning(msg);
        }
    }

    /// Symbol `target` becomes the definition `sym` of file `fid`.
    pub(super) fn define(&mut self, target: SymbolId, fid: FileId, sym: SymbolIndex, weak: bool) {
        let s = &mut self.res.table.symbols[target];
        let was_lazy = matches!(s.def, Def::Lazy { .. });
        s.def = Def::Defined { file: fid, sym };
        s.weak_def = weak;
        s.origin = Some(fid);
        if s.kind == SymbolKind::Function {
            s.sig = Some((fid, sym));
            // QUIRK-LAZY-SIG: wasm-ld binds the references that met the
            // lazy symbol to the definition, whatever its signature.
            if was_lazy && !self.config.quirks.has(Quirk::LazySignatureUnchecked) && self.checks_signatures() {
                signatures::split_lazy_references(&mut self.res, target);
            }
        }
    }

    /// An undefined reference to `sid`'s name (`created`: by this very
    /// reference); returns the symbol it resolves to (`sid`, or a variant
    /// of another signature, SIG-VARIANT).
    pub(super) fn add_undefined(&mut self, sid: SymbolId, created: bool, r: Reference) -> Result<SymbolId, InputError> {
        if created {
            make_undefined(&mut self.res, sid, &r);
            self.res.table.symbols[sid].refs.push(r);
            return Ok(sid);
        }
        // DYN-SHLIB: a library's symbol keeps its import (`env`, its name);
        // only a direct call's signature is checked.
        if self.res.table.symbols[sid].def == Def::Undefined && self.res.table.symbols[sid].shared.is_some() {
            self.check_shared_reference(sid, &r);
            self.res.table.symbols[sid].refs.push(r);
            return Ok(sid);
        }
        let checks_signatures = self.checks_signatures();
        // QUIRK-ZIG-WEAK-EXTRACT: weak references extract too (AR-2 off).
        let weak_extracts = self.config.quirks.has(Quirk::WeakReferencesExtract);
        let sym = &mut self.res.table.symbols[sid];
        if let Def::Lazy { member } = sym.def {
            if !reference_extracts(sym.kind, r.weak && !weak_extracts) {
                // AR-2: a weak reference leaves the symbol lazy and weak,
                // with this reference's signature (wasm-ld, measured; but
                // see SIG-LAZY).
                sym.weak = true;
                let target = match sym.kind {
                    // QUIRK-LAZY-SIG: wasm-ld gives the lazy symbol each weak
                    // reference's signature in turn (`lazy->signature = sig`).
                    SymbolKind::Function if self.config.quirks.has(Quirk::LazySignatureUnchecked) => {
                        sym.sig = Some((r.file, r.sym));
                        sid
                    }
                    // QUIRK-WILD-SIG: one symbol, the first signature.
                    SymbolKind::Function if !checks_signatures => {
                        sym.sig.get_or_insert((r.file, r.sym));
                        sid
                    }
                    SymbolKind::Function => signatures::lazy_reference_target(&mut self.res, sid, &r),
                    _ => sid,
                };
                self.res.table.symbols[target].refs.push(r);
                return Ok(target);
            }
            // SIG-LAZY: the reference then meets the member's definition
            // like any other (wasm-ld skips that check here).
            let (file, name) = (self.res.files[r.file].name.clone(), self.res.table.symbols[sid].name.clone());
            self.extract(member, &file, &name)?;
            if self.config.quirks.has(Quirk::LazySignatureUnchecked) {
                // QUIRK-LAZY-SIG: wasm-ld's `addUndefinedFunction` returns
                // the symbol the member defined, checking nothing.
                self.res.table.symbols[sid].refs.push(r);
                return Ok(sid);
            }
        }
        let target = if self.checks_signatures() { signatures::reference_target(&mut self.res, sid, &r) } else { sid };
        // DYN-SHLIB: a library's symbol keeps its import (`env`, its name).
        if self.res.table.symbols[sid].def == Def::Undefined && self.res.table.symbols[sid].shared.is_none() {
            // wasm-ld `updateExistingUndefined`, on the symbol met.
            self.check_import_attributes(sid, r);
            let sym = &mut self.res.table.symbols[sid];
            sym.weak &= r.weak;
            sym.called_directly |= r.called_directly;
        }
        self.res.table.symbols[target].refs.push(r);
        Ok(target)
    }

    /// QUIRK-WILD-WEAK-OWN: once every input is read, an object's
    /// references to a name it defines weakly, where another definition
    /// won (SYM-2, SYM-3), resolve to its own definition, as a local
    /// symbol's do (other objects' references keep the winner). Wild 0.10
    /// binds them so (measured: found/wild_weak_definition_binds_own_references;
    /// two weak definitions: each object calls, and takes the address of,
    /// its own copy). A definition COMDAT-1 discarded is no definition.
    pub(super) fn bind_own_weak_definitions(&mut self, data_only: bool) {
        let res = &mut self.res;
        for (f, obj) in res.files.iter().enumerate() {
            let f = FileId::from(f);
            for (i, s) in obj.symbols.iter().enumerate() {
                let Some(sid) = res.file_syms[f][i] else { continue };
                if !s.is_defined() || !s.is_weak() || (data_only && s.kind != SymbolKind::Data) {
                    continue;
                }
                let own = Def::Defined { file: f, sym: SymbolIndex::from(i) };
                let overridden = matches!(res.table.symbols[sid].def, Def::Defined { .. }) && res.table.symbols[sid].def != own;
                if overridden && !discarded(&res.discarded[f], obj, s) {
                    res.file_syms[f][i] = None;
                }
            }
        }
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
    pub(super) fn check_import_attributes(&mut self, sid: SymbolId, r: Reference) {
        let files = &self.res.files;
        let this = &files[r.file].symbols[r.sym.index()];
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
        for e in errors {
            self.diags.error(e);
        }
    }
}

/// COMDAT-1: whether defined symbol `s` of `obj` lies in a discarded group.
fn discarded(d: &Discarded, obj: &crate::object::ObjectFile, s: &crate::object::Symbol) -> bool {
    match s.kind {
        SymbolKind::Function => d.functions.contains(&(s.index - obj.num_imported_funcs())),
        SymbolKind::Data => s.data.is_some_and(|x| d.segments.contains(&x.segment)),
        SymbolKind::Global => d.globals.contains(&(s.index - obj.num_imported_globals())),
        _ => false,
    }
}
