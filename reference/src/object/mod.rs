//! The object file model: one relocatable wasm module with its `linking` and
//! `reloc.*` custom sections (Linking.md), as plain data.
//!
//! Byte ranges index into [`ObjectFile::bytes`]; nothing borrows the input.

mod check;
pub(crate) mod machine;
pub(crate) mod reloc_types;
mod parse;
pub(crate) mod shared;

pub use parse::parse_object;
pub(crate) use parse::section_name_at;

use std::fmt;
use std::ops::Range;
use wasmparser::{GlobalType, RelocationType, TableType, ValType};

/// A function signature. Displayed as wasm-ld prints it: `(i32, i32) -> i32`,
/// `() -> void`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Signature {
    pub params: Vec<ValType>,
    pub results: Vec<ValType>,
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let params: Vec<String> = self.params.iter().map(|t| t.to_string()).collect();
        write!(f, "({}) -> ", params.join(", "))?;
        match self.results.as_slice() {
            [] => write!(f, "void"),
            [one] => write!(f, "{one}"),
            many => {
                let r: Vec<String> = many.iter().map(|t| t.to_string()).collect();
                write!(f, "{{{}}}", r.join(", "))
            }
        }
    }
}

/// What an import of the object brings in.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportKind {
    /// A function of the given type index.
    Func(u32),
    Global(GlobalType),
    Table(TableType),
    Memory(wasmparser::MemoryType),
    /// A tag (exception) of the given type index.
    Tag(u32),
}

/// One import of the object: `(module, field, kind)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    pub module: String,
    pub field: String,
    pub kind: ImportKind,
}

/// A function defined by the object. `body` is the function body (locals and
/// code, after its size) as absolute offsets into the file.
#[derive(Debug, Clone)]
pub struct FuncDef {
    pub type_index: u32,
    pub body: Range<usize>,
}

/// A global defined by the object. `init` is its constant expression,
/// `end` opcode included, as absolute offsets into the file.
#[derive(Debug, Clone)]
pub struct GlobalDef {
    pub ty: GlobalType,
    pub init: Range<usize>,
}

/// A data segment of the object with its SEGMENT_INFO (Linking.md
/// "Linking Metadata Section", subsection 5).
#[derive(Debug, Clone)]
pub struct SegmentDef {
    /// The segment name (`.rodata.foo`, `.data.bar`, `.bss.baz`, `.tdata.x`).
    pub name: String,
    /// Alignment in bytes (a power of two; SEGMENT_INFO stores its log2).
    pub alignment: u32,
    /// SEGMENT_INFO flags: [`SEG_STRINGS`], [`SEG_TLS`], [`SEG_RETAIN`].
    pub flags: u32,
    /// The segment contents, absolute offsets into the file.
    pub data: Range<usize>,
    /// Offset of the contents from the start of the data section payload,
    /// in bytes: relocation offsets count from there.
    pub section_offset: usize,
    /// The segment is passive (no offset expression). Read, not used yet:
    /// refld writes active segments only (shared memory is not supported).
    #[allow(dead_code)]
    pub passive: bool,
}

/// SEGMENT_INFO flag: the segment holds NUL-terminated strings (refld
/// merges no strings, so it only documents the format).
#[allow(dead_code)]
pub const SEG_STRINGS: u32 = 0x1;
/// SEGMENT_INFO flag: thread-local data.
pub const SEG_TLS: u32 = 0x2;
/// SEGMENT_INFO flag: kept by `--gc-sections` while its object is live.
pub const SEG_RETAIN: u32 = 0x4;

/// Symbol flags (Linking.md "Symbol Table Subsection"), all of them:
/// `ABSOLUTE` is not read yet.
#[allow(dead_code)]
pub mod flags {
    pub const BINDING_WEAK: u32 = 0x1;
    pub const BINDING_LOCAL: u32 = 0x2;
    pub const VISIBILITY_HIDDEN: u32 = 0x4;
    pub const UNDEFINED: u32 = 0x10;
    pub const EXPORTED: u32 = 0x20;
    pub const EXPLICIT_NAME: u32 = 0x40;
    pub const NO_STRIP: u32 = 0x80;
    pub const TLS: u32 = 0x100;
    pub const ABSOLUTE: u32 = 0x200;
}

/// The kind of a symbol (Linking.md SYMTAB_*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SymbolKind {
    Function,
    Data,
    Global,
    Section,
    Tag,
    Table,
}

impl SymbolKind {
    /// SYM-5: wasm-ld's spelling of the kind in its messages
    /// (`WASM_SYMBOL_TYPE_FUNCTION`, ...).
    pub fn wasm_name(self) -> &'static str {
        match self {
            SymbolKind::Function => "WASM_SYMBOL_TYPE_FUNCTION",
            SymbolKind::Data => "WASM_SYMBOL_TYPE_DATA",
            SymbolKind::Global => "WASM_SYMBOL_TYPE_GLOBAL",
            SymbolKind::Section => "WASM_SYMBOL_TYPE_SECTION",
            SymbolKind::Tag => "WASM_SYMBOL_TYPE_TAG",
            SymbolKind::Table => "WASM_SYMBOL_TYPE_TABLE",
        }
    }
}

impl fmt::Display for SymbolKind {
    /// The kind as a word for people (`Function`, `Data`, ...); wasm-ld's
    /// `WASM_SYMBOL_TYPE_*` spelling in messages is made where they are.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SymbolKind::Function => "Function",
            SymbolKind::Data => "Data",
            SymbolKind::Global => "Global",
            SymbolKind::Section => "Section",
            SymbolKind::Tag => "Tag",
            SymbolKind::Table => "Table",
        })
    }
}

/// Where a defined data symbol lives: segment index, offset and size in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataRef {
    pub segment: u32,
    pub offset: u32,
    pub size: u32,
}

/// One entry of the object's symbol table.
#[derive(Debug, Clone)]
pub struct Symbol {
    pub kind: SymbolKind,
    pub flags: u32,
    /// The symbol name; for an undefined function/global/table/tag without
    /// EXPLICIT_NAME, the import's field name. Empty for section symbols.
    pub name: String,
    /// Function/global/table/tag index in the object's index space (imports
    /// first), or the section index for section symbols. 0 for data.
    pub index: u32,
    /// Defined data symbols: where the data is.
    pub data: Option<DataRef>,
    /// Undefined function/global/table/tag symbols: the import's module.
    pub import_module: Option<String>,
    /// Undefined symbols: the import's field (the import name).
    pub import_name: Option<String>,
    /// Defined symbols named in the object's export section (clang's
    /// `export_name`): the export name.
    pub export_name: Option<String>,
}

impl Symbol {
    pub fn is_undefined(&self) -> bool {
        self.flags & flags::UNDEFINED != 0
    }
    pub fn is_defined(&self) -> bool {
        !self.is_undefined()
    }
    pub fn is_weak(&self) -> bool {
        self.flags & flags::BINDING_WEAK != 0
    }
    pub fn is_local(&self) -> bool {
        self.flags & flags::BINDING_LOCAL != 0
    }
    pub fn is_hidden(&self) -> bool {
        self.flags & flags::VISIBILITY_HIDDEN != 0
    }
    pub fn is_exported(&self) -> bool {
        self.flags & flags::EXPORTED != 0
    }
    pub fn is_no_strip(&self) -> bool {
        self.flags & flags::NO_STRIP != 0
    }
    pub fn has_explicit_name(&self) -> bool {
        self.flags & flags::EXPLICIT_NAME != 0
    }
}

/// One relocation entry. `offset` counts from the start of the target
/// section's payload; `index` is a symbol index (a type index for
/// TYPE_INDEX_LEB).
#[derive(Debug, Clone, Copy)]
pub struct Relocation {
    pub ty: RelocationType,
    pub offset: u32,
    pub index: u32,
    pub addend: i64,
    /// Where the entry itself lies in the file (in its `reloc.*` section),
    /// for errors (OBJ-4).
    pub entry_offset: u64,
}

/// A custom section other than `linking`, `reloc.*`, `name`, `producers`
/// and `target_features` (those are read into their own fields).
#[derive(Debug, Clone)]
pub struct CustomSection {
    pub name: String,
    /// Payload, absolute offsets into the file.
    pub data: Range<usize>,
    /// Its relocations (`reloc.NAME`), offsets relative to the payload.
    pub relocs: Vec<Relocation>,
}

/// A COMDAT group (Linking.md COMDAT_INFO): the first object to declare the
/// name keeps its members; later objects' members are discarded.
#[derive(Debug, Clone)]
pub struct Comdat {
    pub name: String,
    /// Data segment indices in this group.
    pub segments: Vec<u32>,
    /// Function indices (the object's index space, imports first).
    pub functions: Vec<u32>,
    /// Global indices (imports first).
    pub globals: Vec<u32>,
    pub tags: Vec<u32>,
    pub tables: Vec<u32>,
    /// Custom section indices (into [`ObjectFile::customs`]).
    pub sections: Vec<u32>,
}

/// An init function (Linking.md INIT_FUNCS): run by `__wasm_call_ctors` in
/// ascending priority.
#[derive(Debug, Clone, Copy)]
pub struct InitFunc {
    pub priority: u32,
    pub symbol: u32,
}

/// A `target_features` entry: prefix `+` used, `-` disallowed, `=` required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    pub prefix: u8,
    pub name: String,
}

/// A relocatable wasm object file, fully read and checked.
#[derive(Debug, Clone)]
pub struct ObjectFile {
    /// How diagnostics name the file: `x.o` or `lib.a(x.o)`.
    pub name: String,
    pub bytes: Vec<u8>,
    pub types: Vec<Signature>,
    pub imports: Vec<Import>,
    /// Function imports: `(import index, type index)` in index-space order.
    pub func_imports: Vec<(usize, u32)>,
    pub global_imports: Vec<usize>,
    pub table_imports: Vec<usize>,
    pub tag_imports: Vec<usize>,
    pub functions: Vec<FuncDef>,
    pub globals: Vec<GlobalDef>,
    pub tables: Vec<TableType>,
    /// Defined tags: their type indices.
    pub tags: Vec<u32>,
    pub segments: Vec<SegmentDef>,
    pub customs: Vec<CustomSection>,
    pub symbols: Vec<Symbol>,
    /// Code relocations, sorted by offset.
    pub code_relocs: Vec<Relocation>,
    /// Data relocations, sorted by offset.
    pub data_relocs: Vec<Relocation>,
    /// Per defined function: its relocations, a range of `code_relocs`.
    pub func_relocs: Vec<Range<usize>>,
    /// Per segment: its relocations, a range of `data_relocs`.
    pub segment_relocs: Vec<Range<usize>>,
    /// Start of the code section payload (absolute file offset).
    pub code_payload: usize,
    pub init_funcs: Vec<InitFunc>,
    pub comdats: Vec<Comdat>,
    pub features: Vec<Feature>,
    /// `producers` fields: (field, name, version).
    pub producers: Vec<(String, String, String)>,
    /// Section index (counting every section) of each custom section in
    /// `customs`, of code and of data: what SECTION symbols point at.
    pub section_targets: Vec<(u32, SectionTarget)>,
}

/// What a section index names, for SECTION symbols and `reloc.*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionTarget {
    Code,
    Data,
    Custom(usize),
    Other,
}

impl ObjectFile {
    pub fn num_imported_funcs(&self) -> u32 {
        self.func_imports.len() as u32
    }
    pub fn num_imported_globals(&self) -> u32 {
        self.global_imports.len() as u32
    }
    /// OBJ-8: an MVP object's table import without a symbol, the indirect
    /// function table; it keeps the output's table (wasm-ld makes a live
    /// table symbol for it).
    pub fn legacy_table_import(&self) -> bool {
        self.table_imports.len() == 1 && self.tables.is_empty() && !self.symbols.iter().any(|s| s.kind == SymbolKind::Table)
    }

    pub fn num_imported_tables(&self) -> u32 {
        self.table_imports.len() as u32
    }
    pub fn num_imported_tags(&self) -> u32 {
        self.tag_imports.len() as u32
    }
    /// The signature of function `index` (object index space).
    pub fn func_signature(&self, index: u32) -> &Signature {
        let ti = self.func_type_index(index);
        &self.types[ti as usize]
    }
    /// The type index of function `index` (object index space).
    pub fn func_type_index(&self, index: u32) -> u32 {
        let ni = self.num_imported_funcs();
        if index < ni {
            self.func_imports[index as usize].1
        } else {
            self.functions[(index - ni) as usize].type_index
        }
    }
    /// The import that function/global/table/tag `index` refers to, when
    /// it is an import.
    pub fn import_of(&self, kind: SymbolKind, index: u32) -> Option<&Import> {
        let i = index as usize;
        let imp = match kind {
            SymbolKind::Function => self.func_imports.get(i).map(|p| p.0),
            SymbolKind::Global => self.global_imports.get(i).copied(),
            SymbolKind::Table => self.table_imports.get(i).copied(),
            SymbolKind::Tag => self.tag_imports.get(i).copied(),
            _ => None,
        }?;
        self.imports.get(imp)
    }
    /// The signature of tag `index` (imported or defined), when it has a
    /// valid type.
    pub fn tag_signature(&self, index: u32) -> Option<&Signature> {
        let t = match self.import_of(SymbolKind::Tag, index) {
            Some(Import { kind: ImportKind::Tag(t), .. }) => *t,
            Some(_) => return None,
            None => *self.tags.get(index.checked_sub(self.num_imported_tags())? as usize)?,
        };
        self.types.get(t as usize)
    }
    /// The section target of section index `index`.
    pub fn section_target(&self, index: u32) -> SectionTarget {
        self.section_targets
            .iter()
            .find(|(i, _)| *i == index)
            .map(|p| p.1)
            .unwrap_or(SectionTarget::Other)
    }
}
