//! Shared libraries and stub libraries meeting the symbol table (rules
//! DYN-SHLIB, DYN-STUB; wasm-ld `SymbolTable::addSharedFunction`,
//! `addSharedData`, `processStubLibraries`).

use super::symtab::Def;
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
    /// order. A directly called function whose signature differs from the
    /// library's is the error `function signature mismatch: NAME` with
    /// `>>> defined as SIG in FILE` for whichever of the two came first on
    /// the command line, then the other. Run again after each step that
    /// can add references; a claimed symbol is skipped.
    pub(super) fn claim_shared_symbols(&mut self) {
        for (lib_index, lib) in self.res.shared_libs.iter().enumerate() {
            for s in &lib.symbols {
                let Some(sid) = self.res.table.find(&s.name) else { continue };
                let sym = &self.res.table.symbols[sid];
                if sym.def != Def::Undefined || sym.kind != s.kind || sym.shared.is_some() {
                    continue;
                }
                if let (SymbolKind::Function, true, Some(holder), Some(lib_sig)) = (s.kind, sym.called_directly, sym.sig, &s.signature) {
                    let ref_sig = self.res.signature(holder);
                    if ref_sig != lib_sig {
                        let theirs = format!(">>> defined as {ref_sig} in {}", self.res.files[holder.0].name);
                        let ours = format!(">>> defined as {lib_sig} in {}", lib.path);
                        // The earlier input on the command line is named first.
                        let lines = if holder.0.index() < self.shared_at[lib_index] { [theirs, ours] } else { [ours, theirs] };
                        self.diags.error(format!("function signature mismatch: {}\n{}\n{}", s.name, lines[0], lines[1]));
                    }
                }
                let sym = &mut self.res.table.symbols[sid];
                sym.shared = Some(lib_index);
                sym.import_module = None;
                sym.import_name = None;
                sym.weak = false;
            }
        }
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
                                self.extract(member)?;
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
