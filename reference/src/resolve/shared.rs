//! Shared libraries and stub libraries meeting the symbol table (rules
//! DYN-SHLIB, DYN-STUB; wasm-ld `SymbolTable::addSharedFunction`,
//! `addSharedData`, `processStubLibraries`).

use super::symtab::{Def, Reference, SymbolId};
use super::Resolver;
use crate::error::InputError;
use crate::object::shared::StubLibrary;
use crate::object::SymbolKind;

impl Resolver<'_> {
    /// DYN-SHLIB (measured, wasm-ld 22): a symbol still undefined that a
    /// shared library of the command line exports (the first such library)
    /// becomes that library's: imported from `env` under its own name (an
    /// import module or name of the references is dropped), reached
    /// through `GOT.mem` / `GOT.func` when its address is needed, strong
    /// (a weak reference gets no `dylink.0` IMPORT_INFO entry), never an
    /// undefined-symbol error. A definition in an object wins whatever the
    /// order. Symbols are claimed where the library is read
    /// ([`Self::claim_library`]); this pass, after each step that can add
    /// references, claims what is left. A claimed symbol is skipped.
    pub(super) fn claim_shared_symbols(&mut self) {
        for lib_index in 0..self.res.shared_libs.len() {
            self.claim_library(lib_index);
        }
    }

    /// DYN-SHLIB (measured, wasm-ld 22 `addSharedFunction`,
    /// `addSharedData`): where library `lib_index` is read, it claims each
    /// undefined symbol of the table it exports (same kind) and adds those
    /// the table lacks, so that later references meet the library's symbol
    /// and the symbol-table order (that of the imports) is wasm-ld's.
    pub(super) fn claim_library(&mut self, lib_index: usize) {
        let names: Vec<(String, SymbolKind)> = self.res.shared_libs[lib_index].symbols.iter().map(|s| (s.name.clone(), s.kind)).collect();
        for (name, kind) in names {
            let (sid, created) = self.res.table.insert(&name, kind);
            if created {
                // In the table from here on (its place orders the imports).
                let sym = &mut self.res.table.symbols[sid];
                sym.def = Def::Undefined;
                sym.shared = Some(lib_index);
                continue;
            }
            let sym = &self.res.table.symbols[sid];
            if sym.def == Def::Undefined && sym.kind == kind && sym.shared.is_none() {
                self.claim(sid, lib_index);
            }
        }
    }

    /// Makes undefined symbol `sid` library `lib_index`'s. A directly
    /// called function whose signature differs from the library's is the
    /// error `function signature mismatch: NAME` with `>>> defined as SIG
    /// in FILE` for whichever of the two came first on the command line,
    /// then the other.
    fn claim(&mut self, sid: SymbolId, lib_index: usize) {
        let lib = &self.res.shared_libs[lib_index];
        let sym = &self.res.table.symbols[sid];
        let lib_sig = lib.symbols.iter().find(|s| s.name == sym.name && s.kind == sym.kind).and_then(|s| s.signature.as_ref());
        // OPT-SHLIB-SIGCHECK (measured): `--no-shlib-sigcheck` skips it.
        let lib_sig = lib_sig.filter(|_| self.config.shlib_sigcheck);
        if let (SymbolKind::Function, true, Some(holder), Some(lib_sig)) = (sym.kind, sym.called_directly, sym.sig, lib_sig) {
            let ref_sig = self.res.signature(holder);
            if ref_sig != lib_sig {
                let theirs = format!(">>> defined as {ref_sig} in {}", self.res.files[holder.0].name);
                let ours = format!(">>> defined as {lib_sig} in {}", lib.path);
                // The earlier input on the command line is named first.
                let lines = if holder.0.index() < self.shared_at[lib_index] { [theirs, ours] } else { [ours, theirs] };
                self.diags.error(format!("function signature mismatch: {}\n{}\n{}", sym.name, lines[0], lines[1]));
            }
        }
        let sym = &mut self.res.table.symbols[sid];
        sym.shared = Some(lib_index);
        sym.import_module = None;
        sym.import_name = None;
        sym.weak = false;
    }

    /// DYN-SHLIB (measured, wasm-ld 22 `addUndefinedFunction`): a later
    /// reference to a library's function is checked against the library's
    /// signature when it calls the function directly (`function signature
    /// mismatch: NAME`, the library first); no import module or name check
    /// and no signature variant.
    pub(super) fn check_shared_reference(&mut self, sid: SymbolId, r: &Reference) {
        let sym = &self.res.table.symbols[sid];
        let Some(lib_index) = sym.shared else { return };
        let lib = &self.res.shared_libs[lib_index];
        let lib_sig = lib.symbols.iter().find(|s| s.name == sym.name && s.kind == sym.kind).and_then(|s| s.signature.as_ref());
        let lib_sig = lib_sig.filter(|_| self.config.shlib_sigcheck);
        if let (SymbolKind::Function, true, Some(lib_sig)) = (sym.kind, r.called_directly, lib_sig) {
            let ref_sig = self.res.signature((r.file, r.sym));
            if ref_sig != lib_sig {
                self.diags.error(format!(
                    "function signature mismatch: {}\n>>> defined as {lib_sig} in {}\n>>> defined as {ref_sig} in {}",
                    sym.name, lib.path, self.res.files[r.file].name
                ));
            }
        }
        let sym = &mut self.res.table.symbols[sid];
        sym.called_directly |= r.called_directly;
        // A symbol the library added takes its first reference's signature
        // and file (the import's type, diagnostics' `>>>` lines).
        if sym.kind == SymbolKind::Function && sym.sig.is_none() {
            sym.sig = Some((r.file, r.sym));
        }
        sym.origin.get_or_insert(r.file);
    }

    /// DYN-STUB (measured, wasm-ld 22; `processStubLibraries`): for each
    /// stub library in command-line order, each of its symbols that is an
    /// undefined function of the link (by name, or by explicit import
    /// name) and no earlier stub took is imported (never reported), and
    /// each of its dependencies must be a symbol of the link that is not
    /// undefined: it is exported, a garbage-collection root (hidden or
    /// not), and extracted from its archive when lazy; else the error
    /// `STUB: undefined symbol: DEP. Required by NAME`. Repeated while a
    /// dependency extracted a member.
    pub(super) fn process_stubs(&mut self, stubs: &[StubLibrary]) -> Result<(), InputError> {
        loop {
            let mut extracted = false;
            for stub in stubs {
                for (name, deps) in &stub.entries {
                    let by_name = self.res.table.find(name).into_iter();
                    let by_import = self.res.table.primaries().filter(|&sid| self.res.table.symbols[sid].import_name.as_deref() == Some(name.as_str()));
                    let sids: Vec<_> = by_name.chain(by_import).collect();
                    for sid in sids {
                        let sym = &self.res.table.symbols[sid];
                        // Functions only: stubs of data were not measured.
                        if sym.def != Def::Undefined || sym.shared.is_some() || sym.force_import || sym.kind != SymbolKind::Function {
                            continue;
                        }
                        self.res.table.symbols[sid].force_import = true;
                        let symbol_name = self.res.table.symbols[sid].name.clone();
                        for dep in deps {
                            let found = self.res.table.find(dep).filter(|&d| self.res.table.symbols[d].def != Def::Undefined);
                            let Some(d) = found else {
                                self.diags.error(format!("{}: undefined symbol: {dep}. Required by {symbol_name}", stub.path));
                                continue;
                            };
                            self.res.force_export.insert(d);
                            if let Def::Lazy { member } = self.res.table.symbols[d].def {
                                // WHY-1: not measured for stub libraries;
                                // the stub file is named as the reference.
                                self.extract(member, &stub.path, dep)?;
                                extracted = true;
                            }
                        }
                    }
                }
            }
            if !extracted {
                return Ok(());
            }
        }
    }
}
