//! Encodes an [`ObjectModel`] as a relocatable object (Linking.md, "Object
//! file linking"), in the section order LLVM's `WasmObjectWriter` uses:
//!
//! ```text
//! type, import, function, table, tag, global, export, datacount, code, data,
//! custom sections, linking, reloc.CODE, reloc.DATA, reloc.<custom>...,
//! producers, target_features
//! ```
//!
//! Standard sections go through wasm-encoder; code and data are laid out
//! here (raw sections) because relocation offsets depend on where each body
//! and segment lands. `linking` and `reloc.*` are written here too
//! (wasm-encoder 0.263 has no SEGMENT_INFO, INIT_FUNCS, COMDAT_INFO or
//! reloc sections).

use wasm_encoder::{
    ConstExpr, CustomSection, DataCountSection, EntityType, ExportKind, ExportSection, FunctionSection, GlobalSection, GlobalType, HeapType,
    Ieee32, Ieee64, ImportSection, MemoryType, Module, RawSection, RefType, TableSection, TableType, TagKind,
    TagSection, TagType, TypeSection, ValType,
};

use super::flags;
use super::leb::{padded_sleb, padded_uleb, write_name, write_sleb, write_uleb};
use super::model::*;
use super::reloc_type::Field;

/// Where the encoder puts the sections a relocation or section symbol can
/// name: section numbers count every section from 0, custom ones included
/// (Linking.md, "Relocation sections": the target section index).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionIndices {
    /// The code section, if there are functions.
    pub code: Option<u32>,
    /// The data section, if there are segments.
    pub data: Option<u32>,
    /// Each of [`ObjectModel::custom_sections`], in order.
    pub custom: Vec<u32>,
    /// The `linking` section, unless omitted.
    pub linking: Option<u32>,
}

/// The section numbers [`encode`] will give the code, data, custom and
/// linking sections of `model`.
pub fn section_indices(model: &ObjectModel) -> SectionIndices {
    let mut next = 0u32;
    let mut take = |present: bool| {
        present.then(|| {
            next += 1;
            next - 1
        })
    };
    let has_funcs = !model.functions.is_empty();
    let has_segs = !model.segments.is_empty();
    for present in [
        !model.types.is_empty(),
        !model.imports.is_empty(),
        has_funcs,
        !model.tables.is_empty(),
        !model.tags.is_empty(),
        !model.globals.is_empty(),
        !model.exports.is_empty(),
        has_segs,
    ] {
        take(present);
    }
    let code = take(has_funcs);
    let data = take(has_segs);
    let custom = model.custom_sections.iter().map(|_| take(true).unwrap()).collect();
    let linking = take(!model.omit_linking);
    SectionIndices { code, data, custom, linking }
}

/// The start address of every segment in the object's own data layout:
/// each aligned to its `align_log2`, one after the other from 0 (what LLVM
/// writes as the `i32.const` offset of the active segment).
pub fn segment_offsets(model: &ObjectModel) -> Vec<u32> {
    let mut running = 0u32;
    model
        .segments
        .iter()
        .map(|s| {
            let align = 1u32.checked_shl(s.align_log2.min(31)).unwrap_or(1);
            let start = running.div_ceil(align).wrapping_mul(align);
            running = start.wrapping_add(s.size());
            start
        })
        .collect()
}

/// Encodes `model` as object bytes. Never fails: bad indices are written as
/// they are.
pub fn encode(model: &ObjectModel) -> Vec<u8> {
    let indices = section_indices(model);
    let seg_offsets = segment_offsets(model);
    let mut module = Module::new();

    if !model.types.is_empty() {
        let mut types = TypeSection::new();
        for sig in &model.types {
            let p: Vec<ValType> = sig.params.iter().map(|&t| val_type(t)).collect();
            let r: Vec<ValType> = sig.results.iter().map(|&t| val_type(t)).collect();
            types.ty().function(p, r);
        }
        module.section(&types);
    }
    if !model.imports.is_empty() {
        let mut imports = ImportSection::new();
        for i in &model.imports {
            imports.import(&i.module, &i.field, entity(&i.kind));
        }
        module.section(&imports);
    }
    if !model.functions.is_empty() {
        let mut funcs = FunctionSection::new();
        for f in &model.functions {
            funcs.function(f.type_index);
        }
        module.section(&funcs);
    }
    if !model.tables.is_empty() {
        let mut tables = TableSection::new();
        for t in &model.tables {
            tables.table(table_type(t.min, t.max));
        }
        module.section(&tables);
    }
    if !model.tags.is_empty() {
        let mut tags = TagSection::new();
        for &t in &model.tags {
            tags.tag(TagType { kind: TagKind::Exception, func_type_idx: t });
        }
        module.section(&tags);
    }
    if !model.globals.is_empty() {
        let mut globals = GlobalSection::new();
        for g in &model.globals {
            let ty = GlobalType { val_type: val_type(g.ty), mutable: g.mutable, shared: false };
            let init = match &g.init_expr {
                Some(expr) => ConstExpr::raw(expr.iter().copied()),
                None => const_expr(g.ty, g.init),
            };
            globals.global(ty, &init);
        }
        module.section(&globals);
    }
    if !model.exports.is_empty() {
        let mut exports = ExportSection::new();
        for e in &model.exports {
            exports.export(&e.name, ExportKind::Func, e.index);
        }
        module.section(&exports);
    }
    if !model.segments.is_empty() {
        module.section(&DataCountSection { count: model.segments.len() as u32 });
    }

    let (code, code_relocs) = code_payload(model, &seg_offsets);
    if !model.functions.is_empty() {
        module.section(&RawSection { id: 10, data: &code });
    }
    let (data, data_relocs) = data_payload(model, &seg_offsets);
    if !model.segments.is_empty() {
        module.section(&RawSection { id: 11, data: &data });
    }
    for c in &model.custom_sections {
        let mut bytes = c.data.clone();
        for r in &c.relocs {
            patch(&mut bytes, r.offset as usize, r, model, &seg_offsets);
        }
        module.section(&custom(&c.name, bytes));
    }
    if !model.omit_linking {
        module.section(&custom("linking", linking_payload(model)));
    }
    let mut reloc_sections = vec![("CODE".to_string(), indices.code, code_relocs)];
    reloc_sections.push(("DATA".to_string(), indices.data, data_relocs));
    for (c, &index) in model.custom_sections.iter().zip(&indices.custom) {
        reloc_sections.push((c.name.clone(), Some(index), c.relocs.clone()));
    }
    for (name, target, relocs) in reloc_sections {
        if relocs.is_empty() {
            continue;
        }
        let mut payload = Vec::new();
        // Relocations against a missing section keep an out-of-range index.
        write_uleb(&mut payload, target.unwrap_or(u32::MAX) as u64);
        write_uleb(&mut payload, relocs.len() as u64);
        for r in &relocs {
            payload.push(r.ty.code());
            write_uleb(&mut payload, r.offset as u64);
            write_uleb(&mut payload, r.index as u64);
            if r.ty.has_addend() {
                write_sleb(&mut payload, r.addend);
            }
        }
        module.section(&custom(&format!("reloc.{name}"), payload));
    }
    if !model.producers.is_empty() {
        let mut p = Vec::new();
        write_uleb(&mut p, model.producers.len() as u64);
        for f in &model.producers {
            write_name(&mut p, &f.name);
            write_uleb(&mut p, f.values.len() as u64);
            for (n, v) in &f.values {
                write_name(&mut p, n);
                write_name(&mut p, v);
            }
        }
        module.section(&custom("producers", p));
    }
    if !model.features.is_empty() {
        let mut p = Vec::new();
        write_uleb(&mut p, model.features.len() as u64);
        for f in &model.features {
            let mut prefix = [0u8; 4];
            p.extend_from_slice(f.prefix.encode_utf8(&mut prefix).as_bytes());
            write_name(&mut p, &f.name);
        }
        module.section(&custom("target_features", p));
    }
    module.finish()
}

fn custom(name: &str, data: Vec<u8>) -> CustomSection<'static> {
    CustomSection { name: name.to_string().into(), data: data.into() }
}

/// The code section payload and its relocations, offsets from the payload
/// start (the function count LEB is at offset 0).
fn code_payload(model: &ObjectModel, seg_offsets: &[u32]) -> (Vec<u8>, Vec<RelocModel>) {
    let mut out = Vec::new();
    let mut relocs = Vec::new();
    write_uleb(&mut out, model.functions.len() as u64);
    for f in &model.functions {
        let mut body = locals_decl(&f.locals);
        let code_start = body.len();
        body.extend_from_slice(&f.body.code);
        if !f.body.closed {
            body.push(0x0b);
        }
        for r in &f.body.relocs {
            patch(&mut body, code_start + r.offset as usize, r, model, seg_offsets);
        }
        write_uleb(&mut out, body.len() as u64);
        let body_start = out.len() + code_start;
        out.extend_from_slice(&body);
        for r in &f.body.relocs {
            relocs.push(RelocModel { offset: (body_start as u32).wrapping_add(r.offset), ..r.clone() });
        }
    }
    (out, relocs)
}

/// The data section payload and its relocations (segment-relative offsets
/// turned into offsets from the payload start).
fn data_payload(model: &ObjectModel, seg_offsets: &[u32]) -> (Vec<u8>, Vec<RelocModel>) {
    let mut out = Vec::new();
    let mut relocs = Vec::new();
    write_uleb(&mut out, model.segments.len() as u64);
    for (s, &offset) in model.segments.iter().zip(seg_offsets) {
        if s.passive {
            out.push(0x01);
        } else {
            // An i64 offset in a wasm64 object (its memory is i64).
            let memory64 = model.imports.iter().any(|i| matches!(i.kind, ImportKind::Memory { memory64: true, .. }));
            out.extend_from_slice(&[0x00, if memory64 { 0x42 } else { 0x41 }]);
            write_sleb(&mut out, if memory64 { offset as i64 } else { offset as i32 as i64 });
            out.push(0x0b);
        }
        let mut bytes = s.data.clone();
        bytes.resize(bytes.len() + s.zeros as usize, 0);
        for r in &s.relocs {
            patch(&mut bytes, r.offset as usize, r, model, seg_offsets);
        }
        write_uleb(&mut out, bytes.len() as u64);
        let start = out.len() as u32;
        out.extend_from_slice(&bytes);
        for r in &s.relocs {
            relocs.push(RelocModel { offset: start.wrapping_add(r.offset), ..r.clone() });
        }
    }
    (out, relocs)
}

/// The value LLVM writes at a relocation site before linking: the object's
/// own index for index relocations (so the object validates), the symbol's
/// address in the object's data layout (+ addend) for memory addresses, 0
/// otherwise and for anything that does not resolve.
fn provisional(r: &RelocModel, model: &ObjectModel, seg_offsets: &[u32]) -> i64 {
    use super::reloc_type::RelocType::*;
    let sym = model.symbols.get(r.index as usize);
    match r.ty {
        TypeIndexLeb => r.index as i64,
        FunctionIndexLeb | FunctionIndexI32 | GlobalIndexLeb | GlobalIndexI32 | TableNumberLeb | TagIndexLeb => {
            sym.map_or(0, |s| s.index as i64)
        }
        MemoryAddrLeb | MemoryAddrSleb | MemoryAddrI32 | MemoryAddrLeb64 | MemoryAddrSleb64 | MemoryAddrI64 => {
            let base = sym
                .filter(|s| s.flags & flags::UNDEFINED == 0)
                .and_then(|s| s.data)
                .and_then(|d| Some(*seg_offsets.get(d.segment as usize)? as i64 + d.offset as i64))
                .unwrap_or(0);
            base + r.addend
        }
        _ => 0,
    }
}

/// Writes the provisional value of `r` at `at` in `bytes`, if it fits.
fn patch(bytes: &mut [u8], at: usize, r: &RelocModel, model: &ObjectModel, seg_offsets: &[u32]) {
    let Some(field) = r.ty.field() else { return };
    let Some(site) = at.checked_add(field.width()).and_then(|end| bytes.get_mut(at..end)) else {
        return;
    };
    let v = provisional(r, model, seg_offsets);
    let encoded = match field {
        Field::Uleb(w) => padded_uleb(v as u64 & mask(w), w),
        Field::Sleb(w) => padded_sleb(if w == 5 { v as i32 as i64 } else { v }, w),
        Field::Fixed(4) => (v as u32).to_le_bytes().to_vec(),
        Field::Fixed(_) => (v as u64).to_le_bytes().to_vec(),
    };
    site.copy_from_slice(&encoded);
}

fn mask(width: usize) -> u64 {
    if width == 5 {
        u32::MAX as u64
    } else {
        u64::MAX
    }
}

/// The locals declaration: runs of equal types as (count, type).
fn locals_decl(locals: &[ValTypeModel]) -> Vec<u8> {
    let mut runs: Vec<(u32, ValTypeModel)> = Vec::new();
    for &t in locals {
        match runs.last_mut() {
            Some((n, last)) if *last == t => *n += 1,
            _ => runs.push((1, t)),
        }
    }
    let mut out = Vec::new();
    write_uleb(&mut out, runs.len() as u64);
    for (n, t) in runs {
        write_uleb(&mut out, n as u64);
        out.push(val_type_byte(t));
    }
    out
}

fn val_type_byte(t: ValTypeModel) -> u8 {
    match t {
        ValTypeModel::I32 => 0x7f,
        ValTypeModel::I64 => 0x7e,
        ValTypeModel::F32 => 0x7d,
        ValTypeModel::F64 => 0x7c,
        ValTypeModel::V128 => 0x7b,
        ValTypeModel::FuncRef => 0x70,
        ValTypeModel::ExternRef => 0x6f,
    }
}

fn val_type(t: ValTypeModel) -> ValType {
    match t {
        ValTypeModel::I32 => ValType::I32,
        ValTypeModel::I64 => ValType::I64,
        ValTypeModel::F32 => ValType::F32,
        ValTypeModel::F64 => ValType::F64,
        ValTypeModel::V128 => ValType::V128,
        ValTypeModel::FuncRef => ValType::Ref(RefType::FUNCREF),
        ValTypeModel::ExternRef => ValType::Ref(RefType::EXTERNREF),
    }
}

fn const_expr(t: ValTypeModel, v: i64) -> ConstExpr {
    match t {
        ValTypeModel::I32 => ConstExpr::i32_const(v as i32),
        ValTypeModel::I64 => ConstExpr::i64_const(v),
        ValTypeModel::F32 => ConstExpr::f32_const(Ieee32::from(v as f32)),
        ValTypeModel::F64 => ConstExpr::f64_const(Ieee64::from(v as f64)),
        ValTypeModel::V128 => ConstExpr::v128_const((v as u64 as u128 * ((1 << 64) + 1)) as i128),
        ValTypeModel::FuncRef => ConstExpr::ref_null(HeapType::FUNC),
        ValTypeModel::ExternRef => ConstExpr::ref_null(HeapType::EXTERN),
    }
}

fn table_type(min: u32, max: Option<u32>) -> TableType {
    TableType {
        element_type: RefType::FUNCREF,
        table64: false,
        minimum: min as u64,
        maximum: max.map(u64::from),
        shared: false,
    }
}

fn entity(kind: &ImportKind) -> EntityType {
    match *kind {
        ImportKind::Func { type_index } => EntityType::Function(type_index),
        ImportKind::Global { ty, mutable } => {
            EntityType::Global(GlobalType { val_type: val_type(ty), mutable, shared: false })
        }
        ImportKind::Table { min, table64 } => EntityType::Table(TableType { table64, ..table_type(min, None) }),
        ImportKind::Memory { min, memory64 } => EntityType::Memory(MemoryType {
            minimum: min as u64,
            maximum: None,
            memory64,
            shared: false,
            page_size_log2: None,
        }),
        ImportKind::Tag { type_index } => {
            EntityType::Tag(TagType { kind: TagKind::Exception, func_type_idx: type_index })
        }
    }
}

/// The `linking` section payload: version, then SYMBOL_TABLE (8),
/// SEGMENT_INFO (5), INIT_FUNCS (6), COMDAT_INFO (7), each when non-empty.
fn linking_payload(model: &ObjectModel) -> Vec<u8> {
    let mut out = Vec::new();
    write_uleb(&mut out, model.linking_version as u64);
    let mut sub = |id: u8, count: usize, body: &mut dyn FnMut(&mut Vec<u8>)| {
        if count == 0 {
            return;
        }
        let mut p = Vec::new();
        write_uleb(&mut p, count as u64);
        body(&mut p);
        out.push(id);
        write_uleb(&mut out, p.len() as u64);
        out.extend_from_slice(&p);
    };
    sub(8, model.symbols.len(), &mut |p| {
        for s in &model.symbols {
            symbol_entry(p, s);
        }
    });
    sub(5, model.segments.len(), &mut |p| {
        for s in &model.segments {
            write_name(p, &s.name);
            write_uleb(p, s.align_log2 as u64);
            write_uleb(p, s.flags as u64);
        }
    });
    sub(6, model.init_funcs.len(), &mut |p| {
        for f in &model.init_funcs {
            write_uleb(p, f.priority as u64);
            write_uleb(p, f.symbol as u64);
        }
    });
    sub(7, model.comdats.len(), &mut |p| {
        for c in &model.comdats {
            write_name(p, &c.name);
            write_uleb(p, 0);
            write_uleb(p, c.members.len() as u64);
            for m in &c.members {
                p.push(m.kind.code());
                write_uleb(p, m.index as u64);
            }
        }
    });
    out
}

/// One SYMBOL_TABLE entry; what follows kind and flags depends on both.
fn symbol_entry(p: &mut Vec<u8>, s: &SymbolModel) {
    p.push(s.kind.code());
    write_uleb(p, s.flags as u64);
    let defined = s.flags & flags::UNDEFINED == 0;
    let name = s.name.as_deref().unwrap_or("");
    match s.kind {
        SymbolKind::Data => {
            write_name(p, name);
            if defined {
                let d = s.data.unwrap_or(DataDef { segment: 0, offset: 0, size: 0 });
                write_uleb(p, d.segment as u64);
                write_uleb(p, d.offset as u64);
                write_uleb(p, d.size as u64);
            }
        }
        SymbolKind::Section => write_uleb(p, s.index as u64),
        SymbolKind::Function | SymbolKind::Global | SymbolKind::Tag | SymbolKind::Table => {
            write_uleb(p, s.index as u64);
            if defined || s.flags & flags::EXPLICIT_NAME != 0 {
                write_name(p, name);
            }
        }
    }
}
