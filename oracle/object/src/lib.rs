//! Relocatable WebAssembly object files as plain data, and their encoder.
//!
//! This is the oracle's own object writer (DESIGN.md, "Generating object
//! sets"): it shares no code with the reference linker `refld`, only the
//! external crates `wasm-encoder` (standard sections) and `wasmparser` (the
//! archive symbol index). Everything the tool-conventions `Linking.md`
//! describes beyond a plain module is written here: the `linking` custom
//! section (version, SYMBOL_TABLE, SEGMENT_INFO, INIT_FUNCS, COMDAT_INFO),
//! `reloc.*` sections, padded LEBs at relocation sites, `producers` and
//! `target_features`.
//!
//! The model keeps every index raw and checks nothing, so a test can build a
//! deliberately bad object (a symbol index out of range, a relocation outside
//! its section or against the wrong kind of symbol, a linking version other
//! than 2) as easily as a good one.
//!
//! ```text
//! ObjectModel (serde: JSON in corpus cases)
//!   --> encode::encode --> object bytes (validates as a module)
//!   --> dump::dump     --> short text for reducers and failure messages
//! archive::archive(members) --> GNU ar bytes
//! ```
//!
//! - [`model`]: the data types and convenience constructors
//!   (`ObjectModel::define_func`, `undefined_func`, `define_data`, ...).
//! - [`body`]: a function body builder that records relocation sites.
//! - [`mod@encode`]: the binary encoder, section order as LLVM writes it.
//! - [`mod@dump`]: a readable text form.
//! - [`mod@archive`]: a GNU-format `ar` writer.

pub mod archive;
pub mod body;
mod construct;
pub mod dump;
pub mod encode;
pub mod leb;
pub mod model;
pub mod reloc_type;

pub use archive::{archive, archive_with_options, ArchiveOptions};
pub use body::Body;
pub use dump::dump;
pub use encode::{encode, section_indices, SectionIndices};
pub use model::{
    ComdatKind, ComdatMember, ComdatModel, CustomSectionModel, DataDef, ExportModel, FeatureModel, FuncSig, FunctionModel,
    GlobalModel, ImportKind, ImportModel, InitFuncModel, ObjectModel, ProducerField, RelocModel, RelocType,
    SegmentModel, SymbolKind, SymbolModel, TableModel, ValTypeModel,
};

/// Symbol flags of the SYMBOL_TABLE subsection (Linking.md, "Symbol table
/// subsection", `WASM_SYM_*`).
pub mod flags {
    /// `WASM_SYM_BINDING_WEAK`: a weak definition or reference.
    pub const BINDING_WEAK: u32 = 0x1;
    /// `WASM_SYM_BINDING_LOCAL`: visible only inside this object.
    pub const BINDING_LOCAL: u32 = 0x2;
    /// `WASM_SYM_VISIBILITY_HIDDEN`: not exported from a shared output.
    pub const VISIBILITY_HIDDEN: u32 = 0x4;
    /// `WASM_SYM_UNDEFINED`: a reference, not a definition.
    pub const UNDEFINED: u32 = 0x10;
    /// `WASM_SYM_EXPORTED`: the linker must export the symbol.
    pub const EXPORTED: u32 = 0x20;
    /// `WASM_SYM_EXPLICIT_NAME`: an undefined symbol carries its own name,
    /// distinct from the import's field name.
    pub const EXPLICIT_NAME: u32 = 0x40;
    /// `WASM_SYM_NO_STRIP`: a GC root.
    pub const NO_STRIP: u32 = 0x80;
    /// `WASM_SYM_TLS`: a thread-local data symbol.
    pub const TLS: u32 = 0x100;
    /// `WASM_SYM_ABSOLUTE`: a data symbol whose offset is an absolute address.
    pub const ABSOLUTE: u32 = 0x200;
}

/// Segment flags of the SEGMENT_INFO subsection (Linking.md, "Segment info
/// subsection", `WASM_SEG_FLAG_*`).
pub mod segment_flags {
    /// `WASM_SEG_FLAG_STRINGS`: null-terminated strings, mergeable.
    pub const STRINGS: u32 = 0x1;
    /// `WASM_SEG_FLAG_TLS`: thread-local data.
    pub const TLS: u32 = 0x2;
    /// `WASM_SEG_FLAG_RETAIN`: a GC root.
    pub const RETAIN: u32 = 0x4;
}
