//! Lazy symbols: archive members and `--start-lib` objects are indexed by
//! their defined symbols and read only when a reference extracts them
//! (AR-1..AR-3; wasm-ld `LazySymbol`, `SymbolTable::addLazy`).

use super::Resolver;
use crate::archive::{LazyEntry, Member};
use crate::error::InputError;
use crate::object::parse_object;
use super::symtab::{reference_extracts, Def, FileId, MemberId};
use super::Extraction;

impl Resolver<'_> {
    /// AR-1: each defined non-local symbol of a member becomes lazy unless
    /// the name is already known; AR-2: an undefined reference already
    /// waiting for it extracts the member at once.
    /// Adds a member's defined symbols as lazy symbols (`entries`, read
    /// by `archive::scan_defined_symbols`).
    pub(super) fn add_lazy(&mut self, m: Member, entries: Vec<LazyEntry>) -> Result<(), InputError> {
        let id = MemberId::from(self.members.len());
        self.res.members.push(m.name.clone());
        self.members.push(Some(m));
        // QUIRK-LAZY-LOCAL (measured, wasm-ld 19; not 14, 16, 22): local
        // symbols too.
        let locals = self.config.quirks.has(crate::quirks::Quirk::LazyLocalSymbols);
        // QUIRK-ZIG-WEAK-EXTRACT: weak references extract too (AR-2 off).
        let weak_extracts = self.config.quirks.has(crate::quirks::Quirk::WeakReferencesExtract);
        for e in entries.into_iter().filter(|e| !e.local || locals) {
            let (sid, created) = self.res.table.insert(&e.name, e.kind);
            // TRACE-2 (measured): a lazy symbol made for a traced name, or
            // a weak undefined one that becomes lazy.
            let traced = self.config.trace_symbols.contains(&e.name).then(|| format!("{}: lazy definition of {}", self.res.members[id.index()], e.name));
            let sym = &mut self.res.table.symbols[sid];
            if created {
                sym.def = Def::Lazy { member: id };
                self.res.trace.extend(traced);
                continue;
            }
            // wasm-ld `addLazy`: an undefined symbol with a weak binding
            // becomes lazy, keeping its signature; a strong one extracts
            // the member while it is still undefined (so the definition
            // meets the references' signatures, SIG-VARIANT).
            // DYN-SHLIB (measured): a library's symbol extracts nothing.
            if sym.def == Def::Undefined && sym.shared.is_none() {
                if reference_extracts(sym.kind, sym.weak && !weak_extracts) {
                    // WHY-1: the file that made the undefined symbol.
                    let reference = self.res.origin_name(sid);
                    self.extract(id, &reference, &e.name)?;
                } else {
                    sym.def = Def::Lazy { member: id };
                    self.res.trace.extend(traced);
                }
            }
        }
        Ok(())
    }

    /// Extracts `member` (once) because `reference` (a file's name, or
    /// `<internal>`, `--export`, `--entry`) needs `symbol`; the record for
    /// `--why-extract` is made once the member and whatever it extracted
    /// in turn are read (WHY-1: wasm-ld's records come in that order).
    pub(super) fn extract(&mut self, member: MemberId, reference: &str, symbol: &str) -> Result<(), InputError> {
        if let Some(m) = self.members[member].take() {
            let obj = parse_object(&m.name, m.bytes)?;
            self.res.lazy_files.insert(FileId::from(self.res.files.len()));
            self.add_object(obj)?;
            let extracted = self.res.members[member.index()].clone();
            self.res.extractions.push(Extraction { reference: reference.to_string(), extracted, symbol: symbol.to_string() });
        }
        Ok(())
    }

    /// Extracts the member defining `name` if it is lazy, for `reference`
    /// (WHY-1).
    pub(super) fn extract_if_lazy(&mut self, name: &str, reference: &str) -> Result<(), InputError> {
        if let Some(sid) = self.res.table.find(name) {
            if let Def::Lazy { member } = self.res.table.symbols[sid].def {
                self.extract(member, reference, name)?;
            }
        }
        Ok(())
    }
}
