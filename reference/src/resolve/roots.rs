//! The roots of the link that extract archive members: `-u`, `--export`
//! and the entry (AR-3), and `__wasm_call_dtors` when command-export
//! wrappers are made (CTOR-2, CTOR-3).

use super::Resolver;
use crate::error::InputError;
use crate::object::SymbolKind;
use crate::quirks::{walk_order, HashWalk, Quirk};
use crate::resolve::Def;

impl Resolver<'_> {
    /// AR-3: `-u`, `--export-if-defined`, `--export` and the entry extract
    /// lazy definitions, in that order, each option in command-line order
    /// (EXP-ORDER: wasm-ld walks the exported names in its string set's hash
    /// order, which refld copies only under QUIRK-EXPORT-ORDER-14 and -19).
    pub(super) fn extract_roots(&mut self) -> Result<(), InputError> {
        // WHY-1: each root's name in `--why-extract` records (measured).
        let mut names: Vec<(String, &str)> = self.config.undefined.iter().map(|n| (n.clone(), "<internal>")).collect();
        // wasm-ld inserts the `--export-if-defined` names into its set
        // first, then the `--export` names (EXP-ORDER).
        let exported: Vec<&str> = self.config.exports_if_defined.iter().chain(&self.config.exports).map(String::as_str).collect();
        names.extend(walk_order(self.config.quirks, HashWalk::ExportedNames, &exported).into_iter().map(|i| (exported[i].to_string(), "--export")));
        names.extend(self.config.entry.iter().map(|n| (n.clone(), "--entry")));
        for (n, why) in &names {
            self.extract_if_lazy(n, why)?;
        }
        let ctors = "__wasm_call_ctors";
        let ctors_used = self.res.table.find(ctors).is_some_and(|sid| !self.res.table.symbols[sid].refs.is_empty());
        // CTOR-2: `--export-all` exports `__wasm_call_ctors` too (measured).
        // CTOR-3: a side module has no `__wasm_call_dtors` root (measured,
        // wasm-ld 22 and 19); a `-pie` main module has one, and no wrappers
        // (`exports::select`).
        // REL-OUT-SYN: no wrappers and no `__wasm_call_dtors` root with -r.
        // QUIRK-ZIG-WRAP: Zig 0.17 makes no wrappers and no
        // `__wasm_call_dtors` root (measured: found/zig_command_export_skips_dtors).
        let no_wrappers = self.config.quirks.has(Quirk::NoCommandWrappers);
        if !ctors_used && !names.iter().any(|(n, _)| n == ctors) && !self.config.export_all && !self.config.shared && !self.config.relocatable && !no_wrappers {
            self.res.command_wrappers = true;
            // QUIRK-WILD-WRAP: Wild 0.10's wrapper calls no
            // `__wasm_call_dtors` (measured: found/wild_command_export_skips_dtors).
            if self.config.quirks.has(Quirk::CommandWrapperEntryOnly) {
                return Ok(());
            }
            self.extract_if_lazy("__wasm_call_dtors", "<internal>")?;
            if let Some(sid) = self.res.table.find("__wasm_call_dtors") {
                let sym = &self.res.table.symbols[sid];
                if matches!(sym.def, Def::Defined { .. }) {
                    if sym.kind == SymbolKind::Function {
                        self.res.call_dtors = Some(sid);
                    } else {
                        self.diags.error("__wasm_call_dtors must be a function");
                    }
                }
            }
        }
        Ok(())
    }
}
