//! The global symbol table: one entry per non-local symbol name, and the
//! resolution rules between definitions, undefined references and lazy
//! (archive) symbols (rules SYM-*).

use crate::ids::SymbolIndex;
use super::synthetic::Synthetic;
use crate::object::SymbolKind;
use rustc_hash::FxHashMap as HashMap;

pub use crate::ids::{FileId, MemberId, SymbolId};

/// What a global symbol currently resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Def {
    /// No definition (yet).
    Undefined,
    /// Defined by symbol `sym` of file `file`.
    Defined { file: FileId, sym: SymbolIndex },
    /// Defined by an archive member (or `--start-lib` object) not loaded.
    Lazy { member: MemberId },
    /// Defined by the linker.
    Synthetic(Synthetic),
    /// SIG-1: a function symbol that lost to another signature's definition
    /// (wasm-ld `handleSymbolVariants`): a trapping `signature_mismatch:NAME`
    /// stub with this symbol's signature, whose address is 0.
    SignatureStub,
}

/// One undefined reference to a global symbol: file and symbol index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    pub file: FileId,
    pub sym: SymbolIndex,
    pub weak: bool,
    /// The file calls the function directly (a FUNCTION_INDEX_LEB
    /// relocation names it, live or not): signatures are checked (SIG-1).
    pub called_directly: bool,
}

/// A global (non-local) symbol. A name has one symbol, or several when
/// its function references and definitions disagree on the signature
/// (SIG-VARIANT): the variants, one of which is the name's primary symbol.
#[derive(Debug, Clone)]
pub struct GlobalSymbol {
    pub name: String,
    pub kind: SymbolKind,
    pub def: Def,
    /// The definition is weak (only meaningful when `def` is Defined).
    pub weak_def: bool,
    /// Every undefined reference that resolved to this symbol, in the
    /// order they were seen.
    pub refs: Vec<Reference>,
    /// Or of NO_STRIP over the definition and references.
    pub no_strip: bool,
    /// The binding of an undefined or lazy symbol (wasm-ld keeps it in the
    /// symbol's flags): that of the reference that made it, strong once a
    /// strong reference comes (SYM-6), weak when a weak reference meets a
    /// lazy symbol (AR-2); SIG-REPLACE resets it.
    pub weak: bool,
    /// Functions: the input symbol `(file, index)` whose signature this
    /// symbol has (wasm-ld `FunctionSymbol::signature`): the definition, the
    /// reference that made (or SIG-REPLACE reset) an undefined symbol, the
    /// last weak reference to a lazy one. `None` for a lazy symbol no
    /// reference met yet and for other kinds.
    pub sig: Option<(FileId, SymbolIndex)>,
    /// Undefined functions (and lazy ones, SIG-LAZY): a reference calls it
    /// directly (a FUNCTION_INDEX_LEB relocation names it; wasm-ld
    /// `isCalledDirectly`).
    pub called_directly: bool,
    /// Undefined symbols: the import module of the reference that made
    /// the symbol (UND-MODULE).
    pub import_module: Option<String>,
    /// Undefined symbols: the first explicit import name (EXPLICIT_NAME)
    /// among the references (UND-NAME, UND-EXPLICIT).
    pub import_name: Option<String>,
    /// The file that made the symbol what it is (wasm-ld `getFile()`, for
    /// `>>>` lines): the definition's, or the reference's that made or
    /// reset an undefined symbol.
    pub origin: Option<FileId>,
    /// DYN-SHLIB: an undefined symbol a shared library provides: its
    /// position in [`super::Resolution::shared_libs`]. It stays undefined
    /// for the link (the loader finds it) but is imported, never reported.
    pub shared: Option<usize>,
    /// DYN-STUB: an undefined function a stub library provides: imported,
    /// never reported (wasm-ld `forceImport`).
    pub force_import: bool,
}

impl GlobalSymbol {
    fn new(name: &str, kind: SymbolKind) -> GlobalSymbol {
        GlobalSymbol {
            name: name.to_string(),
            kind,
            def: Def::Undefined,
            weak_def: false,
            refs: Vec::new(),
            no_strip: false,
            weak: false,
            sig: None,
            called_directly: false,
            import_module: None,
            import_name: None,
            origin: None,
            shared: None,
            force_import: false,
        }
    }
    /// No definition was found or loaded: undefined or a lazy symbol that
    /// was never extracted.
    pub fn is_undefined(&self) -> bool {
        matches!(self.def, Def::Undefined | Def::Lazy { .. })
    }
    /// Undefined with a weak binding (UND-WEAK).
    pub fn is_undefined_weak(&self) -> bool {
        self.is_undefined() && self.weak
    }
}

/// Name to symbol map plus the symbols themselves.
#[derive(Debug, Default, Clone)]
pub struct SymbolTable {
    /// Every symbol, variants included.
    pub symbols: Vec<GlobalSymbol>,
    /// Each name's primary symbol: what a lookup by name (`--export`,
    /// `-u`, the entry, a later input) finds.
    pub by_name: HashMap<String, SymbolId>,
    /// The primary symbols in the order their names were first seen
    /// (wasm-ld's symbol vector): what `--export-all`, the GC roots and the
    /// exports go through. A variant taking a name's place takes its slot.
    order: Vec<SymbolId>,
    /// SIG-VARIANT: the symbols of each name that has variants, in the
    /// order they were made (the first is the name's primary symbol at the
    /// time the second was made).
    pub variants: Vec<Vec<SymbolId>>,
    variant_group: HashMap<String, usize>,
}

impl SymbolTable {
    /// The primary symbol named `name`.
    pub fn find(&self, name: &str) -> Option<SymbolId> {
        self.by_name.get(name).copied()
    }

    /// The symbol named `name`, created undefined with `kind` when absent.
    /// The bool is true when it was created.
    pub fn insert(&mut self, name: &str, kind: SymbolKind) -> (SymbolId, bool) {
        if let Some(&id) = self.by_name.get(name) {
            return (id, false);
        }
        let id = SymbolId::from(self.symbols.len());
        self.symbols.push(GlobalSymbol::new(name, kind));
        self.by_name.insert(name.to_string(), id);
        self.order.push(id);
        (id, true)
    }

    /// The primary symbols, in the order their names were first seen.
    pub fn primaries(&self) -> impl Iterator<Item = SymbolId> + '_ {
        self.order.iter().copied()
    }

    /// The variants of `sid`'s name (SIG-VARIANT), starting the list with
    /// `sid` when the name has none yet.
    pub fn variants_of(&mut self, sid: SymbolId) -> &mut Vec<SymbolId> {
        let name = self.symbols[sid].name.clone();
        let group = match self.variant_group.get(&name) {
            Some(&g) => g,
            None => {
                self.variants.push(vec![sid]);
                self.variant_group.insert(name, self.variants.len() - 1);
                self.variants.len() - 1
            }
        };
        &mut self.variants[group]
    }

    /// A new undefined variant of `sid`'s name (not yet the primary one).
    pub fn new_variant(&mut self, sid: SymbolId) -> SymbolId {
        let id = SymbolId::from(self.symbols.len());
        let (name, kind) = (self.symbols[sid].name.clone(), self.symbols[sid].kind);
        self.symbols.push(GlobalSymbol::new(&name, kind));
        self.variants_of(sid).push(id);
        id
    }

    /// Puts the variant groups in `order` (positions in [`Self::variants`],
    /// each once): QUIRK-VARIANTS-ORDER's hash order.
    pub fn reorder_variants(&mut self, order: &[usize]) {
        let mut old: Vec<Option<Vec<SymbolId>>> = std::mem::take(&mut self.variants).into_iter().map(Some).collect();
        self.variants = order.iter().map(|&g| old[g].take().expect("each group once")).collect();
        debug_assert!(old.iter().all(Option::is_none), "every group kept");
        for (g, group) in self.variants.iter().enumerate() {
            self.variant_group.insert(self.symbols[group[0]].name.clone(), g);
        }
    }

    /// Makes variant `sid` its name's primary symbol, in the slot of the
    /// one it replaces (wasm-ld `SymbolTable::replace`).
    pub fn set_primary(&mut self, sid: SymbolId) {
        let name = self.symbols[sid].name.clone();
        if let Some(old) = self.by_name.insert(name, sid) {
            if let Some(slot) = self.order.iter_mut().find(|s| **s == old) {
                *slot = sid;
            }
        }
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
        Def::Synthetic(_) | Def::SignatureStub => DefineAction::Duplicate,
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
