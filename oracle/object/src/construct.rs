//! Convenience constructors for [`ObjectModel`]: each adds what clang would
//! write for one C-level entity (an import and its symbol, a function and
//! its symbol, a segment and its data symbol). Indices stay raw; nothing
//! here validates.

use super::body::Body;
use super::flags;
use super::model::*;

/// Which import kind an index space belongs to.
fn same_space(a: &ImportKind, b: &ImportKind) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

impl ObjectModel {
    /// An empty object (linking version 2, nothing imported yet: call
    /// [`ObjectModel::import_memory`] for `env.__linear_memory`).
    pub fn new() -> ObjectModel {
        ObjectModel::default()
    }

    /// Index of `sig` in the type section, adding it if absent (LLVM
    /// deduplicates types; push to `types` directly for duplicates).
    pub fn add_type(&mut self, sig: FuncSig) -> u32 {
        if let Some(i) = self.types.iter().position(|t| *t == sig) {
            return i as u32;
        }
        self.types.push(sig);
        self.types.len() as u32 - 1
    }

    /// The number of imports in the index space of `kind`.
    pub fn import_count(&self, kind: &ImportKind) -> u32 {
        self.imports.iter().filter(|i| same_space(&i.kind, kind)).count() as u32
    }

    /// The number of function imports (the index of the first defined function).
    pub fn func_import_count(&self) -> u32 {
        self.import_count(&ImportKind::Func { type_index: 0 })
    }

    /// The number of global imports (the index of the first defined global).
    pub fn global_import_count(&self) -> u32 {
        self.import_count(&ImportKind::Global { ty: ValTypeModel::I32, mutable: false })
    }

    /// Adds an import and returns its index in its index space. Symbols and
    /// COMDAT members that point at definitions of that space move up by
    /// one, so imports may be added after definitions.
    pub fn add_import(&mut self, module: &str, field: &str, kind: ImportKind) -> u32 {
        let index = self.import_count(&kind);
        let symbol_kind = match kind {
            ImportKind::Func { .. } => Some((SymbolKind::Function, ComdatKind::Function)),
            ImportKind::Global { .. } => Some((SymbolKind::Global, ComdatKind::Global)),
            ImportKind::Table { .. } => Some((SymbolKind::Table, ComdatKind::Table)),
            ImportKind::Tag { .. } => Some((SymbolKind::Tag, ComdatKind::Tag)),
            ImportKind::Memory { .. } => None,
        };
        if let Some((sk, ck)) = symbol_kind {
            for s in self.symbols.iter_mut().filter(|s| s.kind == sk && s.index >= index) {
                s.index += 1;
            }
            for c in &mut self.comdats {
                for m in c.members.iter_mut().filter(|m| m.kind == ck && m.index >= index) {
                    m.index += 1;
                }
            }
        }
        // Keep imports grouped in the order they were added.
        self.imports.push(ImportModel { module: module.into(), field: field.into(), kind });
        index
    }

    /// Adds a symbol and returns its index.
    pub fn add_symbol(&mut self, symbol: SymbolModel) -> u32 {
        self.symbols.push(symbol);
        self.symbols.len() as u32 - 1
    }

    /// Imports `env.__linear_memory` (every object has it); once only.
    pub fn import_memory(&mut self) {
        if !self.imports.iter().any(|i| matches!(i.kind, ImportKind::Memory { .. })) {
            self.add_import("env", "__linear_memory", ImportKind::Memory { min: 0, memory64: false });
        }
    }

    /// Imports `env.__linear_memory` as an i64 memory, as a wasm64 object
    /// (clang `--target=wasm64`) does; no symbol.
    pub fn import_memory64(&mut self) {
        if !self.imports.iter().any(|i| matches!(i.kind, ImportKind::Memory { .. })) {
            self.add_import("env", "__linear_memory", ImportKind::Memory { min: 0, memory64: true });
        }
    }

    /// Imports `env.__indirect_function_table` with its undefined table
    /// symbol (UNDEFINED | NO_STRIP, as clang writes it); returns the symbol,
    /// the existing one on a second call.
    pub fn import_table(&mut self) -> u32 {
        if let Some(s) = self.symbol_index("__indirect_function_table") {
            return s;
        }
        // clang 19+ makes the table i64-indexed in a wasm64 object.
        let table64 = self.imports.iter().any(|i| matches!(i.kind, ImportKind::Memory { memory64: true, .. }));
        let index = self.add_import("env", "__indirect_function_table", ImportKind::Table { min: 0, table64 });
        self.add_symbol(SymbolModel {
            kind: SymbolKind::Table,
            flags: flags::UNDEFINED | flags::NO_STRIP,
            name: None,
            index,
            data: None,
        })
    }

    /// Imports `env.__stack_pointer` (mutable i32) with its undefined global
    /// symbol; returns the symbol.
    pub fn import_stack_pointer(&mut self) -> u32 {
        self.undefined_global("__stack_pointer", "env", "__stack_pointer", ValTypeModel::I32, true, 0)
    }

    /// A function import without a symbol; returns its function index.
    pub fn import_func(&mut self, module: &str, field: &str, sig: FuncSig) -> u32 {
        let type_index = self.add_type(sig);
        self.add_import(module, field, ImportKind::Func { type_index })
    }

    /// Defines a function and its symbol (name always written); returns the
    /// symbol index.
    pub fn define_func(&mut self, name: &str, sig: FuncSig, body: Body, flags: u32) -> u32 {
        let type_index = self.add_type(sig);
        self.functions.push(FunctionModel { type_index, locals: Vec::new(), body });
        let index = self.func_import_count() + self.functions.len() as u32 - 1;
        self.add_symbol(SymbolModel { kind: SymbolKind::Function, flags, name: Some(name.into()), index, data: None })
    }

    /// An undefined function: an import `module.field` and its symbol with
    /// UNDEFINED added to `flags`; when `field != name` also EXPLICIT_NAME
    /// and the symbol name `name`. Returns the symbol index.
    pub fn undefined_func(&mut self, name: &str, module: &str, field: &str, sig: FuncSig, flags: u32) -> u32 {
        let index = self.import_func(module, field, sig);
        let (flags, name) = explicit(name, field, flags);
        self.add_symbol(SymbolModel { kind: SymbolKind::Function, flags, name, index, data: None })
    }

    /// Defines a global and its symbol; returns the symbol index.
    pub fn define_global(&mut self, name: &str, ty: ValTypeModel, mutable: bool, init: i64, flags: u32) -> u32 {
        self.globals.push(GlobalModel { ty, mutable, init, init_expr: None });
        let index = self.global_import_count() + self.globals.len() as u32 - 1;
        self.add_symbol(SymbolModel { kind: SymbolKind::Global, flags, name: Some(name.into()), index, data: None })
    }

    /// An undefined global: import and symbol, EXPLICIT_NAME as for
    /// [`ObjectModel::undefined_func`]. Returns the symbol index.
    pub fn undefined_global(
        &mut self,
        name: &str,
        module: &str,
        field: &str,
        ty: ValTypeModel,
        mutable: bool,
        flags: u32,
    ) -> u32 {
        let index = self.add_import(module, field, ImportKind::Global { ty, mutable });
        let (flags, name) = explicit(name, field, flags);
        self.add_symbol(SymbolModel { kind: SymbolKind::Global, flags, name, index, data: None })
    }

    /// Defines a data symbol covering a new segment `segment_name` holding
    /// `bytes`, aligned to the largest power of two (up to 8) dividing its
    /// size. Returns the symbol index; the segment is the last one.
    pub fn define_data(&mut self, name: &str, segment_name: &str, bytes: &[u8], flags: u32) -> u32 {
        self.new_segment(name, segment_name, bytes.to_vec(), 0, flags)
    }

    /// Like [`ObjectModel::define_data`] for `size` zero bytes (`.bss`).
    pub fn define_bss(&mut self, name: &str, segment_name: &str, size: u32, flags: u32) -> u32 {
        self.new_segment(name, segment_name, Vec::new(), size, flags)
    }

    fn new_segment(&mut self, name: &str, segment_name: &str, data: Vec<u8>, zeros: u32, flags: u32) -> u32 {
        let size = data.len() as u32 + zeros;
        let align_log2 = if size == 0 { 0 } else { size.trailing_zeros().min(3) };
        self.segments.push(SegmentModel {
            name: segment_name.into(),
            align_log2,
            flags: 0,
            data,
            zeros,
            passive: false,
            relocs: Vec::new(),
        });
        let segment = self.segments.len() as u32 - 1;
        self.add_symbol(SymbolModel {
            kind: SymbolKind::Data,
            flags,
            name: Some(name.into()),
            index: 0,
            data: Some(DataDef { segment, offset: 0, size }),
        })
    }

    /// An undefined data symbol (UNDEFINED added); returns its index.
    pub fn undefined_data(&mut self, name: &str, flags: u32) -> u32 {
        self.add_symbol(SymbolModel {
            kind: SymbolKind::Data,
            flags: flags | flags::UNDEFINED,
            name: Some(name.into()),
            index: 0,
            data: None,
        })
    }

    /// A section symbol for section number `section` (count every section
    /// from 0; see [`super::section_indices`]). LLVM marks them local.
    pub fn section_symbol(&mut self, section: u32, flags: u32) -> u32 {
        self.add_symbol(SymbolModel { kind: SymbolKind::Section, flags, name: None, index: section, data: None })
    }

    /// Adds a custom section (placed before `linking`); returns its position
    /// in [`ObjectModel::custom_sections`].
    pub fn add_custom_section(&mut self, name: &str, data: &[u8]) -> usize {
        self.custom_sections.push(CustomSectionModel { name: name.into(), data: data.to_vec(), relocs: Vec::new() });
        self.custom_sections.len() - 1
    }

    /// Adds an INIT_FUNCS entry.
    pub fn add_init_func(&mut self, priority: u32, symbol: u32) {
        self.init_funcs.push(InitFuncModel { priority, symbol });
    }

    /// Adds a relocation inside segment `segment` at `offset` from its start.
    pub fn add_data_reloc(&mut self, segment: u32, offset: u32, ty: RelocType, symbol: u32, addend: i64) {
        self.segments[segment as usize].relocs.push(RelocModel { ty, offset, index: symbol, addend });
    }

    /// The segment of a defined data symbol.
    pub fn segment_of(&self, symbol: u32) -> Option<u32> {
        self.symbols.get(symbol as usize)?.data.map(|d| d.segment)
    }

    /// The name a linker sees for `symbol`: its own name, or for an
    /// undefined function/global/table/tag without one, the import's field.
    pub fn symbol_name(&self, symbol: u32) -> Option<String> {
        let s = self.symbols.get(symbol as usize)?;
        if let Some(n) = &s.name {
            let writes_name = match s.kind {
                SymbolKind::Data => true,
                SymbolKind::Section => false,
                _ => s.flags & flags::UNDEFINED == 0 || s.flags & flags::EXPLICIT_NAME != 0,
            };
            if writes_name {
                return Some(n.clone());
            }
        }
        let space = match s.kind {
            SymbolKind::Function => ImportKind::Func { type_index: 0 },
            SymbolKind::Global => ImportKind::Global { ty: ValTypeModel::I32, mutable: false },
            SymbolKind::Table => ImportKind::Table { min: 0, table64: false },
            SymbolKind::Tag => ImportKind::Tag { type_index: 0 },
            SymbolKind::Data | SymbolKind::Section => return None,
        };
        let import = self.imports.iter().filter(|i| same_space(&i.kind, &space)).nth(s.index as usize)?;
        Some(import.field.clone())
    }

    /// The first symbol whose [`ObjectModel::symbol_name`] is `name`.
    pub fn symbol_index(&self, name: &str) -> Option<u32> {
        (0..self.symbols.len() as u32).find(|&i| self.symbol_name(i).as_deref() == Some(name))
    }
}

/// Flags and stored name of an undefined symbol named `name` importing `field`.
fn explicit(name: &str, field: &str, flags: u32) -> (u32, Option<String>) {
    if name == field {
        (flags | flags::UNDEFINED, None)
    } else {
        (flags | flags::UNDEFINED | flags::EXPLICIT_NAME, Some(name.into()))
    }
}
