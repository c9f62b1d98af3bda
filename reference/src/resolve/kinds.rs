//! SYM-5: a symbol of one kind meeting a name that already has another
//! kind (wasm-ld `SymbolTable::add*`, `reportTypeError`, `shouldReplace`;
//! measured with wasm-ld 22).
//!
//! What happens depends on the new symbol and on what the name holds:
//! - a definition of any kind replaces a lazy symbol no reference has met
//!   yet, without a check (wasm-ld `isLazy()` replaces at once);
//! - a function (defined or undefined) is `symbol type mismatch` and
//!   changes nothing;
//! - a data, global, tag or table definition is `symbol type mismatch`,
//!   then weighed as any definition (SYM-1..SYM-4): it replaces an
//!   undefined or weak symbol, and a strong one too after a `duplicate
//!   symbol` error; the name then has the new kind;
//! - an undefined data, global, tag or table reference meeting a defined
//!   symbol is a mismatch; meeting an undefined one it joins it without a
//!   word (wasm-ld `updateExistingUndefined` looks at no kind): its strong
//!   binding counts and its relocations are reported as uses of that
//!   symbol (UND-REPORT). Such a link can go no further: the undefined phase reports
//!   it after garbage collection.
//!
//! A reference of another kind meeting a lazy symbol stays an error in
//! refld (deviation): wasm-ld extracts or weakens the member without a
//! check and then miscompiles (a call to a data symbol becomes a call to
//! function 0) or crashes.

use crate::ids::SymbolIndex;
use super::symtab::reference_extracts;
use super::Resolver;
use crate::error::InputError;
use crate::quirks::Quirk;
use crate::object::SymbolKind;
use crate::resolve::{Def, FileId, Reference, SymbolId};

/// The new symbol: symbol `sym` of file `file`, of `kind`.
pub(super) struct Incoming {
    pub file: FileId,
    pub sym: SymbolIndex,
    pub kind: SymbolKind,
    pub defined: bool,
    pub weak: bool,
}

impl Resolver<'_> {
    /// SYM-5: `new` meets `sid`, whose kind differs (module docs).
    ///
    /// Errors: a member this extracts (QUIRK-LAZY-KIND) is malformed.
    pub(super) fn meet_other_kind(&mut self, sid: SymbolId, new: Incoming) -> Result<(), InputError> {
        let file_name = self.res.files[new.file].name.clone();
        let unchecked = self.config.quirks.has(Quirk::LazyKindUnchecked);
        let sym = &self.res.table.symbols[sid];
        match sym.def {
            Def::Lazy { .. } if new.defined && (sym.refs.is_empty() || unchecked) => {
                self.take_definition(sid, &new);
                return Ok(());
            }
            Def::Lazy { member } if !new.defined && unchecked => {
                // QUIRK-LAZY-KIND: wasm-ld's `addUndefined*` extracts the
                // member (or, for a weak function or data reference, marks
                // the lazy symbol weak) without looking at its kind; the
                // reference joins the symbol, as SYM-5's undefined case.
                if reference_extracts(new.kind, new.weak && !self.config.quirks.has(Quirk::WeakReferencesExtract)) {
                    let (file, name) = (self.res.files[new.file].name.clone(), self.res.table.symbols[sid].name.clone());
                    self.extract(member, &file, &name)?;
                } else {
                    // The lazy symbol takes the reference's kind (and a
                    // function's signature, as `LazySymbol::signature`):
                    // left lazy, it ends as that undefined weak symbol (a
                    // call goes to an undefined_weak stub, measured:
                    // found/wasm_ld_lazy_kind_weak_call_of_lazy_data); a
                    // definition coming later replaces it as any other.
                    let s = &mut self.res.table.symbols[sid];
                    s.weak = true;
                    s.kind = new.kind;
                    s.sig = (new.kind == SymbolKind::Function).then_some((new.file, new.sym));
                }
                let r = Reference { file: new.file, sym: new.sym, weak: new.weak, called_directly: false };
                self.res.table.symbols[sid].refs.push(r);
                return Ok(());
            }
            Def::Undefined if !new.defined && new.kind != SymbolKind::Function => {
                // As any later reference (wasm-ld `updateExistingUndefined`):
                // import attributes, then the binding.
                let r = Reference { file: new.file, sym: new.sym, weak: new.weak, called_directly: false };
                self.check_import_attributes(sid, r);
                let s = &mut self.res.table.symbols[sid];
                s.weak &= r.weak;
                s.refs.push(r);
                return Ok(());
            }
            _ => {}
        }
        self.type_mismatch(sid, new.kind, &file_name);
        if !new.defined || new.kind == SymbolKind::Function {
            return Ok(());
        }
        let sym = &self.res.table.symbols[sid];
        let replace = match sym.def {
            Def::Undefined | Def::Lazy { .. } => true,
            _ if new.weak => false,
            _ if sym.weak_def => true,
            _ if self.config.allow_multiple_definition => false,
            _ => {
                let msg = format!("duplicate symbol: {}\n>>> defined in {}\n>>> defined in {file_name}", sym.name, self.res.origin_name(sid));
                self.diags.error_or_warning(msg);
                true
            }
        };
        if replace {
            self.take_definition(sid, &new);
        }
        Ok(())
    }

    /// The name becomes `new`'s definition, of `new`'s kind.
    fn take_definition(&mut self, sid: SymbolId, new: &Incoming) {
        self.res.table.symbols[sid].kind = new.kind;
        self.define(sid, new.file, new.sym, new.weak);
    }
}
