//! Reading the module to split ([`Original`]) and rewriting it into the
//! reference form the harness runs ([`reference_module`]): its memory and
//! table turned into imports, so that the original and the relinked module
//! are given the very same memory and table objects.

use std::ops::Range;

use wasm_encoder::{
    EntityType, ExportKind, ExportSection, ImportSection, MemoryType, Module, RawSection, RefType, TableType,
};
use wasmparser::{
    CompositeInnerType, ExternalKind, FuncType, GlobalType, Parser, Payload, TypeRef,
};

use super::SplitError;

// The memory and table imports of the reference form and of the relinked
// module: what the harness provides.
use linkcheck_core::run::provided::{MEMORY_IMPORT, TABLE_IMPORT};

/// A function import of the original module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FuncImport {
    /// Import module name.
    pub module: String,
    /// Import field name.
    pub field: String,
    /// Type index.
    pub type_index: u32,
}

/// A defined function: its type and the byte range of its body (locals
/// declaration and instructions, without the size prefix).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefinedFunc {
    /// Type index.
    pub type_index: u32,
    /// Body bytes in the module.
    pub body: Range<usize>,
}

/// A defined global: type and constant initializer bytes (with the final
/// `end`).
#[derive(Clone, Debug, PartialEq)]
pub struct DefinedGlobal {
    /// Value type and mutability.
    pub ty: GlobalType,
    /// The init expression bytes in the module, `end` included.
    pub init: Range<usize>,
}

/// What the splitter needs of a module, as wasmparser reads it. Only the
/// subset [`super::config::smith_config`] generates is accepted: function
/// types only, function imports only, at most one defined memory (32-bit,
/// unshared) and one defined `funcref` table, constant global initializers,
/// no start, element, data or tag sections.
#[derive(Clone, Debug)]
pub struct Original {
    /// The module bytes.
    pub bytes: Vec<u8>,
    /// Function types by type index (every part carries them all).
    pub types: Vec<FuncType>,
    /// Function imports, in order (function indices `0..imports.len()`).
    pub imports: Vec<FuncImport>,
    /// Defined functions, in order (function indices from `imports.len()`).
    pub funcs: Vec<DefinedFunc>,
    /// Defined globals (no global is imported).
    pub globals: Vec<DefinedGlobal>,
    /// The defined memory.
    pub memory: Option<wasmparser::MemoryType>,
    /// The defined table.
    pub table: Option<wasmparser::TableType>,
    /// Function exports (name, function index) in export-section order;
    /// exports of other kinds are dropped (the harness calls functions only).
    pub exports: Vec<(String, u32)>,
    /// Raw sections by id, for the reference form: function, global, code.
    sections: Vec<(u8, Range<usize>)>,
}

impl Original {
    /// Number of function imports (the first defined function's index).
    pub fn num_imports(&self) -> u32 {
        self.imports.len() as u32
    }

    /// The type index of function `f` (imported or defined); `None` when out
    /// of range.
    pub fn func_type(&self, f: u32) -> Option<u32> {
        let n = self.num_imports();
        if f < n {
            Some(self.imports[f as usize].type_index)
        } else {
            self.funcs.get((f - n) as usize).map(|d| d.type_index)
        }
    }

    /// The body bytes of defined function `i` (0-based among definitions).
    pub fn body(&self, i: usize) -> &[u8] {
        &self.bytes[self.funcs[i].body.clone()]
    }

    /// The init expression bytes of global `i`.
    pub fn global_init(&self, i: usize) -> &[u8] {
        &self.bytes[self.globals[i].init.clone()]
    }
}

fn unsupported(what: impl Into<String>) -> SplitError {
    SplitError::Unsupported(what.into())
}

fn malformed(e: wasmparser::BinaryReaderError) -> SplitError {
    SplitError::Malformed(format!("at byte {}: {}", e.offset(), e.message()))
}

/// Reads `bytes`. Errors: [`SplitError::Malformed`] for bytes wasmparser
/// cannot read, [`SplitError::Unsupported`] naming the first construct
/// outside the supported subset (see [`Original`]).
pub fn read(bytes: &[u8]) -> Result<Original, SplitError> {
    let mut o = Original {
        bytes: bytes.to_vec(),
        types: Vec::new(),
        imports: Vec::new(),
        funcs: Vec::new(),
        globals: Vec::new(),
        memory: None,
        table: None,
        exports: Vec::new(),
        sections: Vec::new(),
    };
    let mut decls: Vec<u32> = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(malformed)?;
        if let Some((id, range)) = payload.as_section() {
            o.sections.push((id, range.start as usize..range.end as usize));
        }
        match payload {
            Payload::Version { encoding, .. } => {
                if encoding != wasmparser::Encoding::Module {
                    return Err(unsupported("a component"));
                }
            }
            Payload::TypeSection(r) => {
                for group in r {
                    for sub in group.map_err(malformed)?.into_types() {
                        match &sub.composite_type.inner {
                            CompositeInnerType::Func(f) if sub.is_final && sub.supertype_idxs.is_empty() => {
                                o.types.push(f.clone())
                            }
                            _ => return Err(unsupported("a non-function or subtyped type (GC)")),
                        }
                    }
                }
            }
            Payload::ImportSection(r) => {
                for imp in r.into_imports() {
                    let imp = imp.map_err(malformed)?;
                    match imp.ty {
                        TypeRef::Func(t) => o.imports.push(FuncImport {
                            module: imp.module.to_string(),
                            field: imp.name.to_string(),
                            type_index: t,
                        }),
                        other => return Err(unsupported(format!("an import of {other:?}"))),
                    }
                }
            }
            Payload::FunctionSection(r) => {
                for t in r {
                    decls.push(t.map_err(malformed)?);
                }
            }
            Payload::TableSection(r) => {
                for t in r {
                    let t = t.map_err(malformed)?;
                    if o.table.is_some() {
                        return Err(unsupported("a second table"));
                    }
                    if t.ty.element_type != wasmparser::RefType::FUNCREF || t.ty.table64 || t.ty.shared {
                        return Err(unsupported("a table other than a 32-bit funcref table"));
                    }
                    if !matches!(t.init, wasmparser::TableInit::RefNull) {
                        return Err(unsupported("a table initializer expression"));
                    }
                    o.table = Some(t.ty);
                }
            }
            Payload::MemorySection(r) => {
                for m in r {
                    let m = m.map_err(malformed)?;
                    if o.memory.is_some() {
                        return Err(unsupported("a second memory"));
                    }
                    if m.memory64 || m.shared || m.page_size_log2.is_some() {
                        return Err(unsupported("a 64-bit, shared or custom-page-size memory"));
                    }
                    o.memory = Some(m);
                }
            }
            Payload::GlobalSection(r) => {
                for g in r {
                    let g = g.map_err(malformed)?;
                    let mut ops = g.init_expr.get_operators_reader();
                    while !ops.eof() {
                        let op = ops.read().map_err(malformed)?;
                        if matches!(op, wasmparser::Operator::GlobalGet { .. } | wasmparser::Operator::RefFunc { .. }) {
                            return Err(unsupported("a global initializer naming a global or function"));
                        }
                    }
                    let range = g.init_expr.get_binary_reader().range();
                    o.globals.push(DefinedGlobal { ty: g.ty, init: range.start as usize..range.end as usize });
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.map_err(malformed)?;
                    if e.kind == ExternalKind::Func {
                        o.exports.push((e.name.to_string(), e.index));
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                let i = o.funcs.len();
                let Some(&type_index) = decls.get(i) else {
                    return Err(SplitError::Malformed("more bodies than declared functions".into()));
                };
                let r = body.range();
                o.funcs.push(DefinedFunc { type_index, body: r.start as usize..r.end as usize });
            }
            Payload::StartSection { .. } => return Err(unsupported("a start function")),
            // Empty sections are harmless; any entry is outside the subset.
            Payload::ElementSection(r) if r.count() > 0 => return Err(unsupported("an element segment")),
            Payload::DataSection(r) if r.count() > 0 => return Err(unsupported("a data segment")),
            Payload::DataCountSection { count, .. } if count > 0 => return Err(unsupported("a data segment")),
            Payload::TagSection(r) if r.count() > 0 => return Err(unsupported("a tag")),
            Payload::ElementSection(_) | Payload::DataSection(_) | Payload::DataCountSection { .. } | Payload::TagSection(_) => {}
            Payload::CodeSectionStart { .. } | Payload::CustomSection(_) | Payload::End(_) => {}
            other => return Err(unsupported(format!("section {:?}", other.as_section().map(|s| s.0)))),
        }
    }
    if decls.len() != o.funcs.len() {
        return Err(SplitError::Malformed("function and code sections disagree".into()));
    }
    let ntypes = o.types.len() as u32;
    if o.imports.iter().map(|i| i.type_index).chain(decls.iter().copied()).any(|t| t >= ntypes) {
        return Err(SplitError::Malformed("a type index out of range".into()));
    }
    Ok(o)
}

/// The memory type `m` as wasm-encoder spells it.
pub fn memory_type(m: &wasmparser::MemoryType) -> MemoryType {
    MemoryType { minimum: m.initial, maximum: m.maximum, memory64: false, shared: false, page_size_log2: None }
}

/// The table type `t` as wasm-encoder spells it (funcref).
pub fn table_type(t: &wasmparser::TableType) -> TableType {
    TableType { element_type: RefType::FUNCREF, table64: false, minimum: t.initial, maximum: t.maximum, shared: false }
}

/// The original in the form the harness runs: the same types, function
/// imports, functions, globals and code (raw copies, so every index keeps its
/// meaning), the memory imported as `env.memory` and the table as
/// `env.__indirect_function_table` with their original minimums (the table
/// without a maximum), the function
/// exports, and global `i` exported as `global_names[i]` (so the harness can
/// read every global, as it reads the relinked module's). Memory and table
/// imports do not shift the function or global index spaces, so no
/// instruction changes.
pub fn reference_module(o: &Original, global_names: &[String]) -> Vec<u8> {
    let mut m = Module::new();
    let raw = |m: &mut Module, id: u8| {
        for (sid, r) in &o.sections {
            if *sid == id {
                m.section(&RawSection { id, data: &o.bytes[r.clone()] });
            }
        }
    };
    raw(&mut m, 1);
    let mut imports = ImportSection::new();
    for i in &o.imports {
        imports.import(&i.module, &i.field, EntityType::Function(i.type_index));
    }
    if let Some(mem) = &o.memory {
        imports.import(MEMORY_IMPORT.0, MEMORY_IMPORT.1, EntityType::Memory(memory_type(mem)));
    }
    if let Some(t) = &o.table {
        // No maximum: the relinked module imports the table with slot 0
        // reserved and no maximum (LAY-TABLE), and both get the same table.
        imports.import(TABLE_IMPORT.0, TABLE_IMPORT.1, EntityType::Table(TableType { maximum: None, ..table_type(t) }));
    }
    if !imports.is_empty() {
        m.section(&imports);
    }
    raw(&mut m, 3);
    raw(&mut m, 6);
    let mut exports = ExportSection::new();
    for (name, f) in &o.exports {
        exports.export(name, ExportKind::Func, *f);
    }
    for (i, name) in global_names.iter().enumerate() {
        exports.export(name, ExportKind::Global, i as u32);
    }
    if !exports.is_empty() {
        m.section(&exports);
    }
    raw(&mut m, 10);
    m.finish()
}
