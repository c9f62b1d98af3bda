//! One part of a split as plain data ([`PartObject`]) and its encoder: a
//! relocatable object file (Linking.md) with the type section shared by all
//! parts, imports, functions, globals, an export section for `export_name`
//! symbols, code, `linking` (version 2, SYMBOL_TABLE) and `reloc.CODE`.
//!
//! The data is public so a test can damage a split on purpose (swap two
//! symbols' names) and see the oracle catch it.

use wasm_encoder::{
    ConstExpr, CustomSection, EntityType, ExportKind, ExportSection, FunctionSection, GlobalSection, ImportSection,
    LinkingSection, MemoryType, Module, RawSection, RefType, SymbolTable, TableType,
};

use crate::objgen::leb::write_uleb;
use crate::objgen::RelocType;

/// What an import of a part brings in.
#[derive(Clone, Debug, PartialEq)]
pub enum ObjImportKind {
    /// A function of this type index.
    Func(u32),
    /// A global of this type.
    Global(wasmparser::GlobalType),
    /// The indirect function table (`env.__indirect_function_table`, min 0).
    Table,
    /// The linear memory (`env.__linear_memory`, min 0).
    Memory,
}

/// One import of a part.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjImport {
    /// Import module.
    pub module: String,
    /// Import field.
    pub field: String,
    /// What is imported.
    pub kind: ObjImportKind,
}

/// A relocation of a function body; `offset` counts from the body's first
/// byte (its locals declaration), `index` is a symbol index, or a type
/// index for `R_WASM_TYPE_INDEX_LEB`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ObjReloc {
    /// The relocation type.
    pub ty: RelocType,
    /// Offset of the padded LEB in the body.
    pub offset: u32,
    /// Symbol (or type) index.
    pub index: u32,
}

/// A defined function of a part.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjFunc {
    /// Type index (the shared type section).
    pub type_index: u32,
    /// Locals declaration and instructions, provisional values at the
    /// relocation sites.
    pub body: Vec<u8>,
    /// Relocations inside `body`.
    pub relocs: Vec<ObjReloc>,
}

/// A defined global of a part.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjGlobal {
    /// Type and mutability.
    pub ty: wasmparser::GlobalType,
    /// The constant init expression, final `end` included.
    pub init: Vec<u8>,
}

/// Kinds of symbols a part has (`SYMTAB_FUNCTION`, `SYMTAB_GLOBAL`,
/// `SYMTAB_TABLE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ObjSymbolKind {
    /// A function symbol.
    Function,
    /// A global symbol.
    Global,
    /// A table symbol.
    Table,
}

/// One SYMBOL_TABLE entry. The name is written for defined symbols and
/// for undefined ones with `WASM_SYM_EXPLICIT_NAME`; an undefined symbol
/// without it takes its import's field as its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjSymbol {
    /// The kind.
    pub kind: ObjSymbolKind,
    /// `WASM_SYM_*` flags.
    pub flags: u32,
    /// Index in the part's function, global or table index space.
    pub index: u32,
    /// The symbol name.
    pub name: String,
}

/// One relocatable object file of a split.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PartObject {
    /// File name on the link command line (`p0.o`, ...).
    pub name: String,
    /// Imports, in order.
    pub imports: Vec<ObjImport>,
    /// Defined functions (indices after the function imports).
    pub functions: Vec<ObjFunc>,
    /// Defined globals (indices after the global imports).
    pub globals: Vec<ObjGlobal>,
    /// Export section entries (name, function index): the `export_name`
    /// of EXPORTED symbols (refld rule EXP-NAME).
    pub exports: Vec<(String, u32)>,
    /// The symbol table.
    pub symbols: Vec<ObjSymbol>,
    /// Features the object uses (`target_features`, each written with `+`).
    pub features: Vec<String>,
}

fn val_type(t: wasmparser::ValType) -> wasm_encoder::ValType {
    match t {
        wasmparser::ValType::I32 => wasm_encoder::ValType::I32,
        wasmparser::ValType::I64 => wasm_encoder::ValType::I64,
        wasmparser::ValType::F32 => wasm_encoder::ValType::F32,
        wasmparser::ValType::F64 => wasm_encoder::ValType::F64,
        wasmparser::ValType::V128 => wasm_encoder::ValType::V128,
        // The module reader accepts no reference-typed global.
        wasmparser::ValType::Ref(_) => wasm_encoder::ValType::Ref(RefType::FUNCREF),
    }
}

impl PartObject {
    /// Encodes the object; `types` is the type section payload shared by
    /// all parts (empty: no type section).
    pub fn encode(&self, types: &[u8]) -> Vec<u8> {
        let mut m = Module::new();
        let mut sections = 0u32;
        if !types.is_empty() {
            m.section(&RawSection { id: 1, data: types });
            sections += 1;
        }
        if !self.imports.is_empty() {
            let mut imports = ImportSection::new();
            for i in &self.imports {
                let ty = match &i.kind {
                    ObjImportKind::Func(t) => EntityType::Function(*t),
                    ObjImportKind::Global(g) => EntityType::Global(wasm_encoder::GlobalType {
                        val_type: val_type(g.content_type),
                        mutable: g.mutable,
                        shared: false,
                    }),
                    ObjImportKind::Table => EntityType::Table(TableType {
                        element_type: RefType::FUNCREF,
                        table64: false,
                        minimum: 0,
                        maximum: None,
                        shared: false,
                    }),
                    ObjImportKind::Memory => EntityType::Memory(MemoryType {
                        minimum: 0,
                        maximum: None,
                        memory64: false,
                        shared: false,
                        page_size_log2: None,
                    }),
                };
                imports.import(&i.module, &i.field, ty);
            }
            m.section(&imports);
            sections += 1;
        }
        if !self.functions.is_empty() {
            let mut funcs = FunctionSection::new();
            for f in &self.functions {
                funcs.function(f.type_index);
            }
            m.section(&funcs);
            sections += 1;
        }
        if !self.globals.is_empty() {
            let mut globals = GlobalSection::new();
            for g in &self.globals {
                let ty = wasm_encoder::GlobalType { val_type: val_type(g.ty.content_type), mutable: g.ty.mutable, shared: false };
                let expr = &g.init[..g.init.len().saturating_sub(1)];
                globals.global(ty, &ConstExpr::raw(expr.iter().copied()));
            }
            m.section(&globals);
            sections += 1;
        }
        if !self.exports.is_empty() {
            let mut exports = ExportSection::new();
            for (name, f) in &self.exports {
                exports.export(name, ExportKind::Func, *f);
            }
            m.section(&exports);
            sections += 1;
        }
        let mut reloc_payload = Vec::new();
        if !self.functions.is_empty() {
            let code_section = sections;
            let (code, relocs) = self.code_payload();
            m.section(&RawSection { id: 10, data: &code });
            write_uleb(&mut reloc_payload, code_section as u64);
            write_uleb(&mut reloc_payload, relocs.len() as u64);
            for r in relocs {
                reloc_payload.push(r.ty.code());
                write_uleb(&mut reloc_payload, r.offset as u64);
                write_uleb(&mut reloc_payload, r.index as u64);
            }
        }
        let mut linking = LinkingSection::new();
        let mut table = SymbolTable::new();
        for s in &self.symbols {
            let named = s.flags & SymbolTable::WASM_SYM_UNDEFINED == 0 || s.flags & SymbolTable::WASM_SYM_EXPLICIT_NAME != 0;
            let name = named.then_some(s.name.as_str());
            match s.kind {
                ObjSymbolKind::Function => table.function(s.flags, s.index, name),
                ObjSymbolKind::Global => table.global(s.flags, s.index, name),
                ObjSymbolKind::Table => table.table(s.flags, s.index, name),
            };
        }
        linking.symbol_table(&table);
        m.section(&linking);
        if !self.functions.is_empty() {
            m.section(&CustomSection { name: "reloc.CODE".into(), data: reloc_payload.into() });
        }
        if !self.features.is_empty() {
            let mut data = Vec::new();
            write_uleb(&mut data, self.features.len() as u64);
            for f in &self.features {
                data.push(b'+');
                crate::objgen::leb::write_name(&mut data, f);
            }
            m.section(&CustomSection { name: "target_features".into(), data: data.into() });
        }
        m.finish()
    }

    /// The code section payload and its relocations with offsets from the
    /// payload start (the function count is at offset 0).
    fn code_payload(&self) -> (Vec<u8>, Vec<ObjReloc>) {
        let mut out = Vec::new();
        let mut relocs = Vec::new();
        write_uleb(&mut out, self.functions.len() as u64);
        for f in &self.functions {
            write_uleb(&mut out, f.body.len() as u64);
            let start = out.len() as u32;
            out.extend_from_slice(&f.body);
            relocs.extend(f.relocs.iter().map(|r| ObjReloc { offset: start + r.offset, ..*r }));
        }
        (out, relocs)
    }

    /// Number of function imports (the first defined function's index).
    pub fn num_func_imports(&self) -> u32 {
        self.imports.iter().filter(|i| matches!(i.kind, ObjImportKind::Func(_))).count() as u32
    }
}
