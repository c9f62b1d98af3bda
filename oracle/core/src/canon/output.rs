//! Reading a linked module with wasmparser: index spaces, names, element
//! and data segments, function bodies. Nothing here interprets layout.

use super::CanonError;
use std::collections::BTreeMap;
use wasmparser::{
    CompositeInnerType, DataKind, ElementItems, ElementKind, ExternalKind, FuncType, FunctionBody, GlobalType,
    KnownCustom, MemoryType, Name, Operator, Parser, Payload, TableType, TypeRef,
};

/// A constant expression, as far as the canonical form needs it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ConstVal {
    I32(i32),
    I64(i64),
    GlobalGet(u32),
    RefFunc(u32),
    RefNull,
    /// Anything else (floats, extended constants), as wasmparser prints it.
    Other(String),
}

/// One import of the output.
#[derive(Debug, Clone)]
pub(crate) struct OutImport {
    pub module: String,
    pub field: String,
    pub ty: TypeRef,
    /// Index in the import's own index space (function, global, ...).
    pub index: u32,
}

/// One global of the output (imported ones have no `init`).
#[derive(Debug, Clone)]
pub(crate) struct OutGlobal {
    pub ty: GlobalType,
    pub init: Option<ConstVal>,
}

/// An active or passive element segment.
#[derive(Debug, Clone)]
pub(crate) struct OutElement {
    /// `(table, offset)` of an active segment with a constant offset.
    pub active: Option<(u32, i64)>,
    /// Function indices (`None`: a null or non-function expression).
    pub funcs: Vec<Option<u32>>,
}

/// A data segment.
#[derive(Debug, Clone)]
pub(crate) struct OutData<'a> {
    /// Start address of an active segment with a constant offset.
    pub address: Option<u64>,
    pub bytes: &'a [u8],
}

/// Names from the `name` section, by index.
#[derive(Debug, Clone, Default)]
pub(crate) struct Names {
    pub funcs: BTreeMap<u32, String>,
    pub globals: BTreeMap<u32, String>,
    pub tables: BTreeMap<u32, String>,
    pub tags: BTreeMap<u32, String>,
    /// Errors reading the name section (names out of order, ...).
    pub errors: Vec<String>,
}

/// Everything of the output the canonicalizer reads.
#[derive(Default)]
pub(crate) struct OutModule<'a> {
    pub types: Vec<Option<FuncType>>,
    /// Type index per function index (imports first).
    pub func_types: Vec<u32>,
    pub num_imported_funcs: u32,
    pub imports: Vec<OutImport>,
    pub globals: Vec<OutGlobal>,
    pub tables: Vec<TableType>,
    pub memories: Vec<MemoryType>,
    /// Type index per tag.
    pub tags: Vec<u32>,
    pub exports: Vec<(String, ExternalKind, u32)>,
    pub start: Option<u32>,
    pub elements: Vec<OutElement>,
    pub data: Vec<OutData<'a>>,
    /// Bodies of the defined functions, in order.
    pub bodies: Vec<FunctionBody<'a>>,
    pub names: Names,
}

impl<'a> OutModule<'a> {
    /// The function type of type index `t`.
    pub fn func_type(&self, t: u32) -> Option<&FuncType> {
        self.types.get(t as usize).and_then(Option::as_ref)
    }

    /// The memory image of the active data segments: byte at `address`,
    /// zero where no segment writes (memory starts zeroed).
    pub fn byte_at(&self, address: u64) -> u8 {
        // Later segments overwrite earlier ones.
        for d in self.data.iter().rev() {
            if let Some(start) = d.address {
                if address >= start && address < start + d.bytes.len() as u64 {
                    return d.bytes[(address - start) as usize];
                }
            }
        }
        0
    }


    /// The function at table `table`'s slot `slot`, by the active element
    /// segments (later segments overwrite earlier ones): `None` when the
    /// slot is empty or out of range, `Some(None)` for a null entry.
    pub fn table_slot(&self, table: u32, slot: i64) -> Option<Option<u32>> {
        let mut found = None;
        for e in &self.elements {
            if let Some((t, offset)) = e.active {
                if t == table && slot >= offset && slot < offset + e.funcs.len() as i64 {
                    found = Some(e.funcs[(slot - offset) as usize]);
                }
            }
        }
        found
    }
}

/// Reads `bytes` as a core module.
pub(crate) fn read_output(bytes: &[u8]) -> Result<OutModule<'_>, CanonError> {
    let err = |e: wasmparser::BinaryReaderError| CanonError::Output(e.to_string());
    let mut m = OutModule::default();
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.map_err(err)? {
            Payload::TypeSection(r) => {
                for group in r {
                    for sub in group.map_err(err)?.into_types() {
                        m.types.push(match sub.composite_type.inner {
                            CompositeInnerType::Func(f) => Some(f),
                            _ => None,
                        });
                    }
                }
            }
            Payload::ImportSection(r) => {
                for import in r.into_imports() {
                    let import = import.map_err(err)?;
                    let index = match import.ty {
                        TypeRef::Func(t) | TypeRef::FuncExact(t) => {
                            m.func_types.push(t);
                            m.num_imported_funcs += 1;
                            m.func_types.len() - 1
                        }
                        TypeRef::Global(g) => {
                            m.globals.push(OutGlobal { ty: g, init: None });
                            m.globals.len() - 1
                        }
                        TypeRef::Table(t) => {
                            m.tables.push(t);
                            m.tables.len() - 1
                        }
                        TypeRef::Memory(mt) => {
                            m.memories.push(mt);
                            m.memories.len() - 1
                        }
                        TypeRef::Tag(t) => {
                            m.tags.push(t.func_type_idx);
                            m.tags.len() - 1
                        }
                    };
                    m.imports.push(OutImport {
                        module: import.module.to_string(),
                        field: import.name.to_string(),
                        ty: import.ty,
                        index: index as u32,
                    });
                }
            }
            Payload::FunctionSection(r) => {
                for t in r {
                    m.func_types.push(t.map_err(err)?);
                }
            }
            Payload::TableSection(r) => {
                for t in r {
                    m.tables.push(t.map_err(err)?.ty);
                }
            }
            Payload::MemorySection(r) => {
                for mt in r {
                    m.memories.push(mt.map_err(err)?);
                }
            }
            Payload::TagSection(r) => {
                for t in r {
                    m.tags.push(t.map_err(err)?.func_type_idx);
                }
            }
            Payload::GlobalSection(r) => {
                for g in r {
                    let g = g.map_err(err)?;
                    m.globals.push(OutGlobal { ty: g.ty, init: Some(const_val(&g.init_expr)) });
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.map_err(err)?;
                    m.exports.push((e.name.to_string(), e.kind, e.index));
                }
            }
            Payload::StartSection { func, .. } => m.start = Some(func),
            Payload::ElementSection(r) => {
                for e in r {
                    m.elements.push(element(e.map_err(err)?).map_err(err)?);
                }
            }
            Payload::DataSection(r) => {
                for d in r {
                    let d = d.map_err(err)?;
                    let address = match &d.kind {
                        DataKind::Active { offset_expr, .. } => match const_val(offset_expr) {
                            ConstVal::I32(v) => Some(v as u32 as u64),
                            ConstVal::I64(v) => Some(v as u64),
                            _ => None,
                        },
                        DataKind::Passive => None,
                    };
                    m.data.push(OutData { address, bytes: d.data });
                }
            }
            Payload::CodeSectionEntry(body) => m.bodies.push(body),
            Payload::CustomSection(c) => {
                if let KnownCustom::Name(r) = c.as_known() {
                    // A malformed name section is read as far as it goes, as
                    // engines do; its errors become notes.
                    for sub in r {
                        match sub {
                            Ok(sub) => read_names(&mut m.names, sub),
                            Err(e) => m.names.errors.push(e.to_string()),
                        }
                    }
                }
            }
            _ => {}
        }
    }
    place_passive_segments(&mut m);
    Ok(m)
}

/// Passive data segments (shared memory) have their addresses in the
/// start function (`__wasm_init_memory`, LAY-INIT-MEMORY): each
/// `memory.init SEG` after three constants (address, 0, size) writes
/// segment SEG at that address, so the canonical form places it there as
/// an active segment would be.
fn place_passive_segments(m: &mut OutModule<'_>) {
    use wasmparser::Operator;
    let Some(body) = m.start.and_then(|f| f.checked_sub(m.num_imported_funcs)).and_then(|i| m.bodies.get(i as usize)) else { return };
    let Ok(mut ops) = body.get_operators_reader() else { return };
    let mut consts: Vec<Option<u64>> = Vec::new();
    let mut placed = Vec::new();
    while !ops.eof() {
        let Ok(op) = ops.read() else { return };
        match op {
            Operator::I32Const { value } => consts.push(Some(value as u32 as u64)),
            Operator::I64Const { value } => consts.push(Some(value as u64)),
            Operator::MemoryInit { data_index, .. } => {
                if let [.., Some(address), Some(0), Some(_)] = consts[..] {
                    placed.push((data_index as usize, address));
                }
                consts.clear();
            }
            _ => consts.push(None),
        }
    }
    for (seg, address) in placed {
        if let Some(d) = m.data.get_mut(seg).filter(|d| d.address.is_none()) {
            d.address = Some(address);
        }
    }
}

fn read_names(names: &mut Names, sub: Name<'_>) {
    let target = match &sub {
        Name::Function(_) => &mut names.funcs,
        Name::Global(_) => &mut names.globals,
        Name::Table(_) => &mut names.tables,
        Name::Tag(_) => &mut names.tags,
        _ => return,
    };
    if let Name::Function(map) | Name::Global(map) | Name::Table(map) | Name::Tag(map) = sub {
        let mut errors = Vec::new();
        for naming in map {
            match naming {
                Ok(n) => {
                    target.entry(n.index).or_insert_with(|| n.name.to_string());
                }
                Err(e) => errors.push(e.to_string()),
            }
        }
        errors.dedup();
        names.errors.extend(errors);
    }
}

fn element(e: wasmparser::Element<'_>) -> Result<OutElement, wasmparser::BinaryReaderError> {
    let active = match &e.kind {
        ElementKind::Active { table_index, offset_expr } => match const_val(offset_expr) {
            ConstVal::I32(v) => Some((table_index.unwrap_or(0), v as u32 as i64)),
            ConstVal::I64(v) => Some((table_index.unwrap_or(0), v)),
            _ => None,
        },
        _ => None,
    };
    let mut funcs = Vec::new();
    match e.items {
        ElementItems::Functions(r) => {
            for f in r {
                funcs.push(Some(f?));
            }
        }
        ElementItems::Expressions(_, r) => {
            for expr in r {
                funcs.push(match const_val(&expr?) {
                    ConstVal::RefFunc(f) => Some(f),
                    _ => None,
                });
            }
        }
    }
    Ok(OutElement { active, funcs })
}

/// A constant expression of one instruction (plus `end`) as a [`ConstVal`].
pub(crate) fn const_val(expr: &wasmparser::ConstExpr<'_>) -> ConstVal {
    let mut ops = Vec::new();
    let mut r = expr.get_operators_reader();
    while let Ok(op) = r.read() {
        if matches!(op, Operator::End) {
            break;
        }
        ops.push(op);
    }
    match ops.as_slice() {
        [Operator::I32Const { value }] => ConstVal::I32(*value),
        [Operator::I64Const { value }] => ConstVal::I64(*value),
        [Operator::GlobalGet { global_index }] => ConstVal::GlobalGet(*global_index),
        [Operator::RefFunc { function_index }] => ConstVal::RefFunc(*function_index),
        [Operator::RefNull { .. }] => ConstVal::RefNull,
        other => ConstVal::Other(format!("{other:?}")),
    }
}
