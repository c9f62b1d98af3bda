//! What a resolved symbol stands for: the queries later phases ask of a
//! [`Resolution`] (wasm-ld asks them of its `Symbol` objects).

use crate::ids::SymbolIndex;
use super::symtab::{Def, FileId, SymbolId};
use super::synthetic::Synthetic;
use super::Resolution;
use crate::object::Signature;

/// What a symbol of an input resolves to, after resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Symbol `1` of file `0`, a definition (global or local).
    Defined(FileId, SymbolIndex),
    Synthetic(Synthetic),
    /// A global symbol without a definition.
    Undefined(SymbolId),
    /// SIG-1: a `signature_mismatch:NAME` stub.
    Stub(SymbolId),
}

impl Resolution {
    /// The ids of the loaded objects, in file order.
    pub fn file_ids(&self) -> impl Iterator<Item = FileId> {
        (0..self.files.len()).map(FileId::from)
    }

    /// The loaded objects with their ids, in file order (LOAD-ORDER).
    pub fn files(&self) -> impl Iterator<Item = (FileId, &crate::object::ObjectFile)> {
        self.files.iter().enumerate().map(|(i, o)| (FileId::from(i), o))
    }

    /// Symbol `sym` of file `file` resolved (rule SYM-7: local symbols
    /// resolve to themselves, others through the symbol table).
    pub fn target(&self, file: FileId, sym: SymbolIndex) -> Target {
        match self.file_syms[file][sym.index()] {
            None => Target::Defined(file, sym),
            Some(sid) => match self.table.symbols[sid].def {
                Def::Defined { file, sym } => Target::Defined(file, sym),
                Def::Synthetic(s) => Target::Synthetic(s),
                Def::Undefined | Def::Lazy { .. } => Target::Undefined(sid),
                Def::SignatureStub => Target::Stub(sid),
            },
        }
    }

    /// True when the primary symbol named `name` has a definition (of an
    /// input, the linker, or a SIG-1 stub).
    pub fn is_defined(&self, name: &str) -> bool {
        self.table.find(name).is_some_and(|sid| !self.table.symbols[sid].is_undefined())
    }

    /// Where symbol `sid` comes from, for diagnostics' `>>>` lines: the
    /// defining file, the lazy member (`lib.a(x.o)`), `<internal>` for the
    /// linker's symbols and stubs, the file whose reference made an
    /// undefined symbol (wasm-ld `getFile()`).
    pub fn origin_name(&self, sid: SymbolId) -> String {
        let sym = &self.table.symbols[sid];
        match &sym.def {
            Def::Defined { file, .. } => self.files[*file].name.clone(),
            Def::Lazy { member } => self.members.get(member.index()).cloned().unwrap_or_default(),
            Def::Synthetic(_) | Def::SignatureStub => "<internal>".to_string(),
            Def::Undefined => sym.origin.or(sym.refs.first().map(|r| r.file)).map(|f| self.files[f].name.clone()).unwrap_or_default(),
        }
    }

    /// The import `(module, field)` of an undefined symbol (UND-IMPORT):
    /// the symbol's import module (that of the reference that made it,
    /// default `env`) and its import name (the first explicit one, default
    /// the symbol name).
    pub fn import_of(&self, sid: SymbolId) -> (String, String) {
        let sym = &self.table.symbols[sid];
        let module = sym.import_module.clone().unwrap_or_else(|| "env".to_string());
        let field = sym.import_name.clone().unwrap_or_else(|| sym.name.clone());
        (module, field)
    }

    /// UND-EXPLICIT, UND-ALLOW: the undefined symbol is an import by
    /// design, never an error: it has an explicit import name
    /// (EXPLICIT_NAME) or its name is allowed to be undefined; so is a
    /// symbol a shared library provides (DYN-SHLIB) or a stub library
    /// imports (DYN-STUB).
    pub fn is_import_by_design(&self, sid: SymbolId) -> bool {
        let sym = &self.table.symbols[sid];
        sym.import_name.is_some() || self.allowed_undefined.contains(&sym.name) || sym.shared.is_some() || sym.force_import
    }

    /// QUIRK-WILD-MEM: whether the output has a memory of its own. Always,
    /// but under the quirk only when some loaded input imports a memory
    /// (clang's objects import `env.__linear_memory`): Wild 0.10 writes
    /// none otherwise, and no `memory` export (measured:
    /// corpus/found/wild_no_memory_without_memory_import; an archive member
    /// importing one counts only when extracted).
    pub fn defines_memory(&self, quirks: crate::quirks::Quirks) -> bool {
        use crate::object::ImportKind;
        !quirks.has(crate::quirks::Quirk::MemoryOnlyWhenImported)
            || self.files.iter().any(|f| f.imports.iter().any(|i| matches!(i.kind, ImportKind::Memory(_))))
    }

    /// The signature of function symbol `sym` of `file` (its definition's
    /// type or its import's).
    pub fn signature(&self, (file, sym): (FileId, SymbolIndex)) -> &Signature {
        let obj = &self.files[file];
        obj.func_signature(obj.symbols[sym.index()].index)
    }

    /// The signature function symbol `sid` carries, if it has one yet.
    pub fn symbol_signature(&self, sid: SymbolId) -> Option<&Signature> {
        self.table.symbols[sid].sig.map(|s| self.signature(s))
    }
}
