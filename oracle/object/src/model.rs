//! The data model of one relocatable object file (Linking.md, "Object file
//! linking"). Plain data with serde, so corpus cases can store it as JSON;
//! indices are raw and unchecked. Convenience constructors
//! (`ObjectModel::define_func`, ...) are in `construct.rs`.

use serde::{Deserialize, Serialize};

use super::body::Body;
pub use super::reloc_type::{RelocModel, RelocType};

/// A value type of a function signature, global or local.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ValTypeModel {
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f32`
    F32,
    /// `f64`
    F64,
    /// `v128` (SIMD)
    V128,
    /// `funcref`
    FuncRef,
    /// `externref`
    ExternRef,
}

/// A function type of the type section.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct FuncSig {
    /// Parameter types.
    pub params: Vec<ValTypeModel>,
    /// Result types.
    pub results: Vec<ValTypeModel>,
}

impl FuncSig {
    /// A signature from parameter and result lists.
    pub fn new(params: &[ValTypeModel], results: &[ValTypeModel]) -> FuncSig {
        FuncSig { params: params.to_vec(), results: results.to_vec() }
    }
}

/// What an import brings in (the import section's external kinds).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ImportKind {
    /// A function of type `type_index`.
    Func {
        /// Index into [`ObjectModel::types`].
        type_index: u32,
    },
    /// A global.
    Global {
        /// Its value type.
        ty: ValTypeModel,
        /// Whether it is mutable.
        mutable: bool,
    },
    /// A `funcref` table (objects import `env.__indirect_function_table`).
    Table {
        /// Minimum size in elements.
        #[serde(default)]
        min: u32,
        /// An i64-indexed table (table64, wasm64 objects of clang 19+).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        table64: bool,
    },
    /// The memory (objects import `env.__linear_memory`): 32-bit, or
    /// 64-bit in a wasm64 object (memory64).
    Memory {
        /// Minimum size in pages.
        min: u32,
        /// An i64 memory (wasm64 objects).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        memory64: bool,
    },
    /// An exception tag of type `type_index`.
    Tag {
        /// Index into [`ObjectModel::types`].
        type_index: u32,
    },
}

/// One import (Linking.md: undefined function/global/table/tag symbols are
/// imports; the import's module and field come from the import attributes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportModel {
    /// The import module (`env` unless `import_module` says otherwise).
    pub module: String,
    /// The import field (the symbol name, or `import_name`).
    pub field: String,
    /// What is imported.
    pub kind: ImportKind,
}

/// A defined function: its type, extra locals and body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FunctionModel {
    /// Index into [`ObjectModel::types`].
    pub type_index: u32,
    /// Locals beyond the parameters, one entry per local.
    #[serde(default)]
    pub locals: Vec<ValTypeModel>,
    /// Instructions and their relocation sites.
    pub body: Body,
}

/// A defined global; its initializer is a constant of its type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GlobalModel {
    /// Value type (`funcref`/`externref` globals start as null).
    pub ty: ValTypeModel,
    /// Whether it is mutable.
    pub mutable: bool,
    /// The initial value (truncated for `i32`, converted for floats, in
    /// both 64-bit lanes of a `v128`); ignored when `init_expr` is set.
    #[serde(default)]
    pub init: i64,
    /// A constant expression written as it is instead of `init` (its
    /// instructions without the final `end`): what a module cut into objects
    /// carries over (extended constants, exact float bits, `v128.const`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init_expr: Option<Vec<u8>>,
}

/// An export section entry of a function (an object has one for each
/// symbol with an `export_name` attribute; linkers export the symbol under
/// that name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportModel {
    /// The export name.
    pub name: String,
    /// The function index (imports first).
    pub index: u32,
}

/// A defined `funcref` table (objects normally import theirs instead).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableModel {
    /// Minimum size in elements.
    pub min: u32,
    /// Maximum size, if any.
    #[serde(default)]
    pub max: Option<u32>,
}

/// A data segment with its SEGMENT_INFO entry (Linking.md, "Segment info
/// subsection") and the relocations inside it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentModel {
    /// Segment name (`.data.x`, `.rodata.x`, `.bss.x`, `.tdata.x`, ...).
    pub name: String,
    /// log2 of the alignment.
    #[serde(default)]
    pub align_log2: u32,
    /// SEGMENT_INFO flags ([`super::segment_flags`]).
    #[serde(default)]
    pub flags: u32,
    /// Initial bytes.
    #[serde(default)]
    pub data: Vec<u8>,
    /// Zero bytes appended after `data` (for `.bss` without storing zeros).
    #[serde(default)]
    pub zeros: u32,
    /// Write the segment as passive instead of active at its running offset.
    #[serde(default)]
    pub passive: bool,
    /// Relocations; offsets count from the segment's first byte. The encoder
    /// turns them into `reloc.DATA` entries.
    #[serde(default)]
    pub relocs: Vec<RelocModel>,
}

impl SegmentModel {
    /// Size in bytes: `data` plus `zeros`.
    pub fn size(&self) -> u32 {
        self.data.len() as u32 + self.zeros
    }
}

/// Symbol kinds of the SYMBOL_TABLE subsection (`SYMTAB_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SymbolKind {
    /// 0: a function (index into the function index space).
    Function,
    /// 1: data (segment, offset, size when defined).
    Data,
    /// 2: a global (index into the global index space).
    Global,
    /// 3: a section (index of a section of this object).
    Section,
    /// 4: an exception tag (event).
    Tag,
    /// 5: a table.
    Table,
}

impl SymbolKind {
    /// The kind byte written in the symbol table.
    pub fn code(self) -> u8 {
        match self {
            SymbolKind::Function => 0,
            SymbolKind::Data => 1,
            SymbolKind::Global => 2,
            SymbolKind::Section => 3,
            SymbolKind::Tag => 4,
            SymbolKind::Table => 5,
        }
    }
}

/// Where a defined data symbol lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataDef {
    /// Segment index (into [`ObjectModel::segments`]).
    pub segment: u32,
    /// Offset within the segment.
    pub offset: u32,
    /// Size in bytes.
    pub size: u32,
}

/// One symbol table entry (Linking.md, "Symbol table subsection").
///
/// What is written follows the flags, as the format does: a
/// function/global/tag/table symbol writes `index`, then `name` only when
/// defined or EXPLICIT_NAME; a data symbol always writes `name` and, unless
/// UNDEFINED, `data` (zeros when `None`); a section symbol writes `index` only.
/// A name that is required but `None` is written empty.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SymbolModel {
    /// The kind.
    pub kind: SymbolKind,
    /// `WASM_SYM_*` flags ([`super::flags`]).
    #[serde(default)]
    pub flags: u32,
    /// The symbol name, where the format carries one.
    #[serde(default)]
    pub name: Option<String>,
    /// Function/global/tag/table index, or section index; unused for data.
    #[serde(default)]
    pub index: u32,
    /// The definition of a defined data symbol.
    #[serde(default)]
    pub data: Option<DataDef>,
}

/// A custom section of the object, with relocations against its payload
/// (offsets count from the first byte after the section name, as LLVM
/// writes them for debug sections).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomSectionModel {
    /// The section name.
    pub name: String,
    /// The payload after the name.
    pub data: Vec<u8>,
    /// Relocations, written as `reloc.<name>`.
    #[serde(default)]
    pub relocs: Vec<RelocModel>,
}

/// An INIT_FUNCS entry (Linking.md, "Init funcs subsection").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitFuncModel {
    /// Priority: lower runs first.
    pub priority: u32,
    /// A function symbol index.
    pub symbol: u32,
}

/// Kinds of COMDAT members (Linking.md, "COMDAT info subsection").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ComdatKind {
    /// 0: a data segment index.
    Data,
    /// 1: a function index.
    Function,
    /// 2: a global index.
    Global,
    /// 3: a tag index.
    Tag,
    /// 4: a table index.
    Table,
    /// 5: a custom section index.
    Section,
}

impl ComdatKind {
    /// The kind byte written in COMDAT_INFO.
    pub fn code(self) -> u8 {
        match self {
            ComdatKind::Data => 0,
            ComdatKind::Function => 1,
            ComdatKind::Global => 2,
            ComdatKind::Tag => 3,
            ComdatKind::Table => 4,
            ComdatKind::Section => 5,
        }
    }
}

/// One member of a COMDAT group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComdatMember {
    /// What the index refers to.
    pub kind: ComdatKind,
    /// The index (segment, function, global, ...).
    pub index: u32,
}

/// A COMDAT group (flags are always 0).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComdatModel {
    /// The group name: linkers keep the first group of each name.
    pub name: String,
    /// Its members.
    pub members: Vec<ComdatMember>,
}

/// One `target_features` entry (tool-conventions, "Target features section").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureModel {
    /// `+` used, `-` disallowed, `=` required.
    pub prefix: char,
    /// Feature name (`mutable-globals`, `bulk-memory`, ...).
    pub name: String,
}

/// One field of the `producers` section (tool-conventions, "Producers
/// section"): `language`, `processed-by` or `sdk`, with (name, version) pairs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerField {
    /// The field name.
    pub name: String,
    /// (name, version) pairs.
    pub values: Vec<(String, String)>,
}

/// A relocatable object file (Linking.md): a module with a `linking` section
/// and `reloc.*` sections. Index spaces count imports first, as in any
/// module: function `i` is import `i` while `i` is below the number of
/// function imports, then [`ObjectModel::functions`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObjectModel {
    /// The type section.
    #[serde(default)]
    pub types: Vec<FuncSig>,
    /// The import section.
    #[serde(default)]
    pub imports: Vec<ImportModel>,
    /// Defined functions (function and code sections).
    #[serde(default)]
    pub functions: Vec<FunctionModel>,
    /// Defined tables (normally none: objects import their table).
    #[serde(default)]
    pub tables: Vec<TableModel>,
    /// Defined tags: a type index each.
    #[serde(default)]
    pub tags: Vec<u32>,
    /// Defined globals.
    #[serde(default)]
    pub globals: Vec<GlobalModel>,
    /// The export section (written when non-empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exports: Vec<ExportModel>,
    /// Data segments with their SEGMENT_INFO entries.
    #[serde(default)]
    pub segments: Vec<SegmentModel>,
    /// The SYMBOL_TABLE subsection.
    #[serde(default)]
    pub symbols: Vec<SymbolModel>,
    /// Custom sections placed before `linking` (LLVM's place for debug info).
    #[serde(default)]
    pub custom_sections: Vec<CustomSectionModel>,
    /// The INIT_FUNCS subsection.
    #[serde(default)]
    pub init_funcs: Vec<InitFuncModel>,
    /// The COMDAT_INFO subsection.
    #[serde(default)]
    pub comdats: Vec<ComdatModel>,
    /// The `target_features` section (written when non-empty).
    #[serde(default)]
    pub features: Vec<FeatureModel>,
    /// The `producers` section (written when non-empty).
    #[serde(default)]
    pub producers: Vec<ProducerField>,
    /// The version written at the start of `linking` (2 is the only valid one).
    #[serde(default = "default_linking_version")]
    pub linking_version: u32,
    /// Write no `linking` section at all (a plain module, not an object).
    #[serde(default)]
    pub omit_linking: bool,
}

fn default_linking_version() -> u32 {
    2
}

impl Default for ObjectModel {
    fn default() -> Self {
        ObjectModel {
            types: Vec::new(),
            imports: Vec::new(),
            functions: Vec::new(),
            tables: Vec::new(),
            tags: Vec::new(),
            globals: Vec::new(),
            exports: Vec::new(),
            segments: Vec::new(),
            symbols: Vec::new(),
            custom_sections: Vec::new(),
            init_funcs: Vec::new(),
            comdats: Vec::new(),
            features: Vec::new(),
            producers: Vec::new(),
            linking_version: default_linking_version(),
            omit_linking: false,
        }
    }
}
