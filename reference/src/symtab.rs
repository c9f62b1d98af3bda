//! The global symbol table: one entry per non-local symbol name, and the
//! resolution rules between definitions, undefined references and lazy
//! (archive) symbols (rules SYM-*).

use crate::object::SymbolKind;
use std::collections::HashMap;

/// Index of an input object in [`crate::resolve::Resolution::files`].
pub type FileId = usize;
/// Index of a global symbol in [`SymbolTable::symbols`].
pub type SymbolId = usize;

/// Symbols the linker defines itself (wasm-ld's synthetic symbols).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Synthetic {
    /// Global: the stack pointer, mutable i32.
    StackPointer,
    /// Function: runs the init functions in priority order.
    CallCtors,
    /// Table: the indirect function table.
    IndirectFunctionTable,
    /// Data: end of static data, bytes.
    DataEnd,
    /// Data: start of the heap, bytes.
    HeapBase,
    /// Data: end of the initial memory, bytes.
    HeapEnd,
    /// Data: the module's `__dso_handle` (address 0... wasm-ld's value).
    DsoHandle,
    /// Data: `--global-base`.
    GlobalBase,
    /// Data: lowest stack address.
    StackLow,
    /// Data: highest stack address (initial stack pointer).
    StackHigh,
    /// Data: 0 outside PIC (`__memory_base`).
    MemoryBase,
    /// Data: `--table-base` (`__table_base`).
    TableBase,
    /// Data: the end of the first page, 65536 (`__wasm_first_page_end`).
    FirstPageEnd,
    /// Global: start of the TLS block, mutable i32.
    TlsBase,
    /// Global: size of the TLS block, bytes.
    TlsSize,
    /// Global: alignment of the TLS block, bytes.
    TlsAlign,
    /// Function `(i32) -> void`: sets `__tls_base`.
    InitTls,
}

impl Synthetic {
    /// The synthetic symbol named `name`, with its kind.
    pub fn by_name(name: &str) -> Option<(Synthetic, SymbolKind)> {
        use Synthetic::*;
        use SymbolKind as K;
        Some(match name {
            "__stack_pointer" => (StackPointer, K::Global),
            "__wasm_call_ctors" => (CallCtors, K::Function),
            "__indirect_function_table" => (IndirectFunctionTable, K::Table),
            "__data_end" => (DataEnd, K::Data),
            "__heap_base" => (HeapBase, K::Data),
            "__heap_end" => (HeapEnd, K::Data),
            "__dso_handle" => (DsoHandle, K::Data),
            "__global_base" => (GlobalBase, K::Data),
            "__stack_low" => (StackLow, K::Data),
            "__stack_high" => (StackHigh, K::Data),
            "__memory_base" => (MemoryBase, K::Data),
            "__table_base" => (TableBase, K::Data),
            "__wasm_first_page_end" => (FirstPageEnd, K::Data),
            "__tls_base" => (TlsBase, K::Global),
            "__tls_size" => (TlsSize, K::Global),
            "__tls_align" => (TlsAlign, K::Global),
            "__wasm_init_tls" => (InitTls, K::Function),
            _ => return None,
        })
    }
}

/// What a global symbol currently resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Def {
    /// No definition (yet).
    Undefined,
    /// Defined by symbol `sym` of file `file`.
    Defined { file: FileId, sym: u32 },
    /// Defined by an archive member (or `--start-lib` object) not loaded.
    Lazy { member: usize },
    /// Defined by the linker.
    Synthetic(Synthetic),
}

/// One undefined reference to a global symbol: file and symbol index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    pub file: FileId,
    pub sym: u32,
    pub weak: bool,
    /// The file calls the function directly (a FUNCTION_INDEX_LEB
    /// relocation names it, live or not): signatures are checked (SIG-1).
    pub called_directly: bool,
}

/// A global (non-local) symbol.
#[derive(Debug, Clone)]
pub struct GlobalSymbol {
    pub name: String,
    pub kind: SymbolKind,
    pub def: Def,
    /// The definition is weak (only meaningful when `def` is Defined).
    pub weak_def: bool,
    /// Every undefined reference, in the order they were seen.
    pub refs: Vec<Reference>,
    /// Or of NO_STRIP over the definition and references.
    pub no_strip: bool,
}

impl GlobalSymbol {
    /// True when some undefined reference is not weak (SYM-6).
    pub fn strongly_referenced(&self) -> bool {
        self.refs.iter().any(|r| !r.weak)
    }
    /// No definition was found or loaded: undefined or a lazy symbol that
    /// was never extracted.
    pub fn is_undefined(&self) -> bool {
        matches!(self.def, Def::Undefined | Def::Lazy { .. })
    }
    /// Undefined and every reference weak (UND-WEAK).
    pub fn is_undefined_weak(&self) -> bool {
        self.is_undefined() && !self.strongly_referenced()
    }
}

/// Name to symbol map plus the symbols themselves.
#[derive(Debug, Default, Clone)]
pub struct SymbolTable {
    pub symbols: Vec<GlobalSymbol>,
    pub by_name: HashMap<String, SymbolId>,
}

impl SymbolTable {
    /// The symbol named `name`.
    pub fn find(&self, name: &str) -> Option<SymbolId> {
        self.by_name.get(name).copied()
    }

    /// The symbol named `name`, created undefined with `kind` when absent.
    /// The bool is true when it was created.
    pub fn insert(&mut self, name: &str, kind: SymbolKind) -> (SymbolId, bool) {
        if let Some(&id) = self.by_name.get(name) {
            return (id, false);
        }
        let id = self.symbols.len();
        self.symbols.push(GlobalSymbol { name: name.to_string(), kind, def: Def::Undefined, weak_def: false, refs: Vec::new(), no_strip: false });
        self.by_name.insert(name.to_string(), id);
        (id, true)
    }
}

/// What to do when a definition meets an existing symbol (SYM-1..SYM-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefineAction {
    /// Take the new definition.
    Replace,
    /// Keep what is there.
    Keep,
    /// Two strong definitions.
    Duplicate,
}

/// SYM-1: a definition replaces an undefined or lazy symbol.
/// SYM-2: a weak definition never replaces an existing definition.
/// SYM-3: a strong definition replaces a weak one.
/// SYM-4: two strong definitions are a duplicate (`--allow-multiple-definition` keeps the first).
pub fn define_action(existing: &GlobalSymbol, new_weak: bool) -> DefineAction {
    match existing.def {
        Def::Undefined | Def::Lazy { .. } => DefineAction::Replace,
        Def::Synthetic(_) => DefineAction::Duplicate,
        Def::Defined { .. } => {
            if new_weak {
                DefineAction::Keep
            } else if existing.weak_def {
                DefineAction::Replace
            } else {
                DefineAction::Duplicate
            }
        }
    }
}

/// AR-2: an undefined reference extracts the lazy symbol's member unless it
/// is a weak function or data reference; undefined globals, tables and tags
/// always extract.
pub fn reference_extracts(kind: SymbolKind, weak: bool) -> bool {
    !weak || !matches!(kind, SymbolKind::Function | SymbolKind::Data)
}
