//! `--wrap=NAME` (rule WRAP-1; wasm-ld `addWrappedSymbols`, `wrapSymbols`,
//! `SymbolTable::wrap`): references to NAME go to `__wrap_NAME`, references
//! to `__real_NAME` go to NAME.

use super::symtab::{Def, SymbolId};
use super::{Resolution, Resolver};
use crate::error::InputError;
use crate::object::SymbolKind;

/// One `--wrap` name that exists in the symbol table: its symbol and the
/// two linker-made function symbols.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wrapped {
    /// NAME's primary symbol when the wrap was set up.
    pub sym: SymbolId,
    /// `__real_NAME`.
    pub real: SymbolId,
    /// `__wrap_NAME`.
    pub wrap: SymbolId,
}

impl Resolver<'_> {
    /// WRAP-1, first half (after the roots and the synthetic symbols, as
    /// wasm-ld): for each distinct `--wrap` name the table knows, the
    /// undefined functions `__real_NAME` and `__wrap_NAME` are added as a
    /// strong reference of the linker would be: a lazy one is extracted,
    /// another kind is `symbol type mismatch` against
    /// `WASM_SYMBOL_TYPE_FUNCTION in <internal>` (measured, wasm-ld 22 and 19).
    pub(super) fn add_wrapped_symbols(&mut self) -> Result<(), InputError> {
        let mut seen: Vec<&str> = Vec::new();
        for name in &self.config.wrap {
            if seen.contains(&name.as_str()) {
                continue;
            }
            seen.push(name);
            let Some(sym) = self.res.table.find(name) else { continue };
            let real = self.linker_reference(&format!("__real_{name}"))?;
            let wrap = self.linker_reference(&format!("__wrap_{name}"))?;
            self.res.wrapped.push(Wrapped { sym, real, wrap });
        }
        Ok(())
    }

    /// A strong undefined function reference made by the linker (no file).
    fn linker_reference(&mut self, name: &str) -> Result<SymbolId, InputError> {
        let (sid, created) = self.res.table.insert(name, SymbolKind::Function);
        if created {
            return Ok(sid);
        }
        let sym = &self.res.table.symbols[sid];
        if sym.kind != SymbolKind::Function {
            self.type_mismatch(sid, SymbolKind::Function, "<internal>");
            return Ok(sid);
        }
        match sym.def {
            Def::Lazy { member } => self.extract(member, "<internal>", name)?,
            // SYM-6: a strong reference makes the binding strong.
            Def::Undefined => self.res.table.symbols[sid].weak = false,
            _ => {}
        }
        Ok(sid)
    }
}

/// WRAP-1, second half (after the signature variants, as wasm-ld): every
/// input symbol resolving to NAME now resolves to `__wrap_NAME`, every one
/// resolving to `__real_NAME` to NAME; a lookup by name (`--export`, the
/// GC roots) of NAME finds `__wrap_NAME` and of `__real_NAME` finds NAME.
/// The symbols keep their names (the name section names NAME's
/// definition NAME). A wrapped data symbol's references then meet the
/// undefined function `__wrap_NAME`: an undefined-symbol error (wasm-ld
/// reports it, then crashes). A `__wrap_NAME` no input defines takes NAME's
/// signature for its import or stub (refld's choice: wasm-ld's is that of
/// the reference it meets, the same when they agree).
pub(crate) fn apply(res: &mut Resolution) {
    let wrapped = std::mem::take(&mut res.wrapped);
    for w in &wrapped {
        for syms in &mut res.file_syms {
            for s in syms.iter_mut().flatten() {
                if *s == w.sym {
                    *s = w.wrap;
                } else if *s == w.real {
                    *s = w.sym;
                }
            }
        }
        let moved = std::mem::take(&mut res.table.symbols[w.sym].refs);
        let direct = res.table.symbols[w.sym].called_directly;
        let real_refs = std::mem::take(&mut res.table.symbols[w.real].refs);
        res.table.symbols[w.sym].refs = real_refs;
        let sig = res.table.symbols[w.sym].sig;
        let wrap = &mut res.table.symbols[w.wrap];
        wrap.refs.extend(moved);
        wrap.called_directly |= direct || wrap.refs.iter().any(|r| r.called_directly);
        if wrap.sig.is_none() {
            wrap.sig = sig;
        }
        let (name, real_name) = (res.table.symbols[w.sym].name.clone(), res.table.symbols[w.real].name.clone());
        res.table.by_name.insert(real_name, w.sym);
        res.table.by_name.insert(name, w.wrap);
    }
}
