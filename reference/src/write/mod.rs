//! Encoding the output module (wasm-encoder does the binary format): patched
//! function bodies and data, synthetic bodies, custom sections (rules OUT-*).

use crate::config::Config;
use crate::diag::Diagnostics;
use crate::features::{self, Features};
use crate::init::InitOrder;
use crate::layout::{FuncBody, GlobalInit, Layout, OutImportKind};
use crate::relocate::{tombstone, Offsets, Relocator};
use crate::resolve::{Def, FileId, Resolution, Synthetic};
use std::borrow::Cow;
use wasm_encoder::*;

mod build_id;
mod compress;
mod pic;
mod relocatable;
mod threads;

/// Encodes the module: its sections in wasm-ld's order, the custom
/// sections of the inputs, `name`, `producers` and `target_features`
/// (`features`, merged once). Relocation errors (a value that does not fit
/// its field, a target without a place) go to `diags`.
/// `live`: the live symbols (EMIT-RELOCS names them).
pub(crate) fn write_module(config: &Config, res: &Resolution, l: &Layout, init: &InitOrder, features: &Features, live: &rustc_hash::FxHashSet<crate::resolve::SymbolId>, diags: &mut Diagnostics) -> Vec<u8> {
    let mut errors = Vec::new();
    let no_offsets = Offsets::default();
    let undefined_addend_kept = config.quirks.has(crate::quirks::Quirk::UndefinedDataAddendKept);
    let call_of_data_is_zero = config.quirks.has(crate::quirks::Quirk::LazyKindUnchecked);
    let undefined_index_invalid = config.quirks.has(crate::quirks::Quirk::UndefinedIndexInvalid);
    let rel = Relocator { res, layout: l, offsets: &no_offsets, undefined_addend_kept, call_of_data_is_zero, undefined_index_invalid };
    let bodies: Vec<Vec<u8>> = l.functions.iter().map(|f| body(config, res, init, l, &rel, &f.body, &mut errors)).collect();
    let mut offsets = Offsets::default();
    let mut pos = leb_len(bodies.len() as u64);
    for (i, b) in bodies.iter().enumerate() {
        pos += leb_len(b.len() as u64);
        offsets.code.insert(l.num_imported_funcs + i as u32, pos as u32);
        pos += b.len();
    }
    let customs = custom_sections(config, res, &mut offsets);
    let rel = Relocator { res, layout: l, offsets: &offsets, undefined_addend_kept, call_of_data_is_zero, undefined_index_invalid };

    let mut m = Module::new();
    // REL-OUT-RELOC: the index of every section written, for `reloc.*`.
    let mut n: u32 = 0;
    let mut at = relocatable::SectionIndices::default();
    if config.writes_dylink() {
        add(&mut m, &mut n, &pic::dylink_section(config, res, l));
    }
    let mut types = TypeSection::new();
    for t in &l.types {
        let p: Vec<ValType> = t.params.iter().map(|v| val(*v)).collect();
        let r: Vec<ValType> = t.results.iter().map(|v| val(*v)).collect();
        types.ty().function(p, r);
    }
    // OUT-EMPTY (measured): an empty type, function, export or code
    // section is not written (REL-OUT-LINKING: in relocatable output too).
    if !l.types.is_empty() {
        add(&mut m, &mut n, &types);
    }
    let mut imports = ImportSection::new();
    for imp in &l.imports {
        let ty: EntityType = match &imp.kind {
            OutImportKind::Func(t) => EntityType::Function(*t),
            OutImportKind::Global(g) => EntityType::Global(global_type(*g)),
            // An imported table has no maximum (the host may grow it),
            // as wasm-ld writes it (LAY-TABLE).
            OutImportKind::Table(_) => EntityType::Table(TableType {
                maximum: None,
                ..table_type(config, l, l.table.as_ref().map(|t| t.size()).unwrap_or(0))
            }),
            OutImportKind::Memory => EntityType::Memory(memory_type(l)),
            OutImportKind::Tag(t) => EntityType::Tag(TagType { kind: TagKind::Exception, func_type_idx: *t }),
        };
        imports.import(&imp.module, &imp.field, ty);
    }
    if !l.imports.is_empty() {
        add(&mut m, &mut n, &imports);
    }
    let mut funcs = FunctionSection::new();
    for f in &l.functions {
        funcs.function(f.type_index);
    }
    if !l.functions.is_empty() {
        add(&mut m, &mut n, &funcs);
    }
    if let Some(t) = l.table.as_ref().filter(|t| !t.imported) {
        let mut tables = TableSection::new();
        tables.table(table_type(config, l, t.size()));
        add(&mut m, &mut n, &tables);
    }
    if !config.import_memory && res.defines_memory(config.quirks) {
        let mut mems = MemorySection::new();
        mems.memory(memory_type(l));
        add(&mut m, &mut n, &mems);
    }
    if !l.tags.is_empty() {
        let mut tags = TagSection::new();
        for t in &l.tags {
            tags.tag(TagType { kind: TagKind::Exception, func_type_idx: *t });
        }
        add(&mut m, &mut n, &tags);
    }
    let mut globals = GlobalSection::new();
    for g in &l.globals {
        let init = match g.init {
            GlobalInit::I32(v) => ConstExpr::i32_const(v),
            GlobalInit::I64(v) => ConstExpr::i64_const(v),
            GlobalInit::Input(f, i) => {
                let range = res.files[f].globals[i.index()].init.clone();
                let bytes = &res.files[f].bytes[range];
                ConstExpr::raw(bytes[..bytes.len().saturating_sub(1)].iter().copied())
            }
        };
        globals.global(global_type(g.ty), &init);
    }
    if !l.globals.is_empty() {
        add(&mut m, &mut n, &globals);
    }
    let mut exports = ExportSection::new();
    for (name, kind, idx) in &l.exports {
        exports.export(name, *kind, *idx);
    }
    // REL-OUT-EXPORTS: relocatable output exports nothing.
    if !config.relocatable && !l.exports.is_empty() {
        add(&mut m, &mut n, &exports);
    }
    // LAY-INIT-MEMORY: `__wasm_init_memory` is the start function.
    if let Some(f) = l.init_memory.or(l.apply_global_relocs) {
        add(&mut m, &mut n, &StartSection { function_index: f });
    }
    if let Some(t) = l.table.as_ref().filter(|t| !t.functions.is_empty()) {
        let mut elems = ElementSection::new();
        // DYN-TABLE: PIC slots are placed at `__table_base`.
        let offset = match l.synthetic_global.get(&Synthetic::TableBase).filter(|_| l.pic) {
            Some(&g) => ConstExpr::global_get(g),
            None => address_const(l, t.base),
        };
        // OUT-ELEM (wasm-ld `ElemSection`): table 0 implicit, flags 0.
        elems.active(None, &offset, Elements::Functions(Cow::Borrowed(&t.functions)));
        add(&mut m, &mut n, &elems);
    }
    // LAY-INIT-MEMORY (measured): passive segments need the DataCount
    // section; none without written segments.
    let passive = threads::data_indices(l, config.import_memory).iter().filter(|(_, i)| i.is_some()).count();
    if l.memory.shared && passive > 0 {
        add(&mut m, &mut n, &DataCountSection { count: passive as u32 });
    }
    let mut code = CodeSection::new();
    for b in &bodies {
        code.raw(b);
    }
    if !bodies.is_empty() {
        at.code = Some(n);
        add(&mut m, &mut n, &code);
    }
    // OUT-NODATA: no empty data section, as wasm-ld writes none.
    let data = data_section(config, res, l, &rel, &mut errors);
    if !data.is_empty() {
        at.data = Some(n);
        add(&mut m, &mut n, &data);
    }
    let pieces_of: Vec<(String, Pieces)> = customs.iter().map(|(name, _, p)| (name.clone(), p.clone())).collect();
    for (name, mut data, pieces) in customs {
        at.customs.push(n);
        for (f, ci, start) in pieces {
            let c = &res.files[f].customs[ci];
            let len = c.data.len();
            if let Err(e) = rel.patch(f, &c.relocs, 0, &mut data[start..start + len], None, Some(tombstone(&name))) {
                errors.push(e);
            }
        }
        add(&mut m, &mut n, &CustomSection { name: Cow::Owned(name), data: Cow::Owned(data) });
    }
    // REL-OUT-LINKING: `linking` and `reloc.*` after the custom sections.
    // EMIT-RELOCS: a linked module with the same sections.
    if config.relocatable || config.emit_relocs {
        // MERGE-STRINGS: a merged input (`.debug_str`) keeps its section
        // symbol, at its chunk's start; no relocation applies inside it.
        let mut pieces_of = pieces_of;
        let mut merged: Vec<(FileId, usize)> = offsets.custom_merged.keys().copied().collect();
        merged.sort_unstable();
        for (f, ci) in merged {
            let name = &res.files[f].customs[ci].name;
            if let (Some(p), Some(&at)) = (pieces_of.iter_mut().find(|(n, _)| n == name), offsets.custom.get(&(f, ci))) {
                p.1.push((f, ci, at as usize));
            }
        }
        let customs: Vec<relocatable::CustomPieces<'_>> = pieces_of.iter().map(|(name, p)| (name.as_str(), p.as_slice())).collect();
        let output = if config.relocatable { relocatable::Kind::Relocatable } else { relocatable::Kind::Linked };
        let entry = config.entry.as_deref().and_then(|e| res.table.find(e));
        for (name, data) in relocatable::sections(config, res, l, &offsets, &customs, &at, relocatable::Output { kind: output, entry, live }) {
            add(&mut m, &mut n, &CustomSection { name: Cow::Owned(name), data: Cow::Owned(data) });
        }
    }
    // OPT-KEEP-SECTION (measured): `--keep-section=NAME` keeps the
    // linker's `name`, `producers` or `target_features` under
    // `--strip-all` (not the inputs' debug sections).
    let kept = |name: &str| !config.strip_all || config.keep_sections.iter().any(|k| k == name);
    if kept("name") {
        add(&mut m, &mut n, &names(config, l));
    }
    if kept("producers") {
        let merged = features::merge_producers(&res.files);
        if !merged.is_empty() {
            let mut p = ProducersSection::new();
            for (field, values) in &merged {
                let mut pf = ProducersField::new();
                for (n, v) in values {
                    pf.value(n, v);
                }
                p.field(field, &pf);
            }
            add(&mut m, &mut n, &p);
        }
    }
    let used = &features.used;
    // OUT-CUSTOM: `--strip-all` drops target_features too (measured).
    if !used.is_empty() && kept("target_features") {
        let mut data = Vec::new();
        (used.len() as u32).encode(&mut data);
        for f in used {
            data.push(b'+');
            f.as_str().encode(&mut data);
        }
        add(&mut m, &mut n, &CustomSection { name: Cow::Borrowed("target_features"), data: Cow::Owned(data) });
    }
    for e in errors {
        diags.error(e);
    }
    let mut bytes = m.finish();
    // BUILD-ID: the last section, a hash of everything before it.
    if let Some(id) = &config.build_id {
        build_id::append(&mut bytes, id);
    }
    bytes
}

/// The input custom sections in an output one: (file, custom index,
/// offset in the output section).
type Pieces = Vec<(FileId, usize, usize)>;

/// Adds section `s` to `m`, counting it in `n`.
fn add(m: &mut Module, n: &mut u32, s: &impl Section) {
    m.section(s);
    *n += 1;
}

fn body(config: &Config, res: &Resolution, init: &InitOrder, l: &Layout, rel: &Relocator<'_>, b: &FuncBody, errors: &mut Vec<String>) -> Vec<u8> {
    match b {
        FuncBody::Input(f, pos) => {
            let obj = &res.files[*f];
            let func = &obj.functions[pos.index()];
            let mut bytes = obj.bytes[func.body.clone()].to_vec();
            let relocs = &obj.code_relocs[obj.func_relocs[pos.index()].clone()];
            let start = func.body.start - obj.code_payload;
            if let Err(e) = rel.patch(*f, relocs, start, &mut bytes, None, None) {
                errors.push(e);
            }
            // OPT-COMPRESS-RELOCS: input bodies only (the linker's own
            // are written short already).
            if config.compress_relocations {
                bytes = compress::compress_body(&bytes, relocs, start);
            }
            bytes
        }
        FuncBody::Trap => vec![0x00, 0x00, 0x0b],
        FuncBody::ApplyDataRelocs => pic::apply_data_relocs_body(res, l, rel),
        FuncBody::ApplyGlobalRelocs => pic::apply_global_relocs_body(res, l),
        FuncBody::CommandExport { target, params } => {
            let mut v = vec![0x00];
            if let Some(c) = l.call_ctors {
                v.push(0x10);
                c.encode(&mut v);
            }
            for p in 0..*params {
                v.push(0x20);
                p.encode(&mut v);
            }
            v.push(0x10);
            target.encode(&mut v);
            if let Some(sid) = res.call_dtors {
                if let Def::Defined { file, sym } = res.table.symbols[sid].def {
                    if let Some(d) = l.function_of(res, file, sym) {
                        v.push(0x10);
                        d.encode(&mut v);
                    }
                }
            }
            v.push(0x0b);
            v
        }
        FuncBody::InitTls => threads::init_tls_body(l, config.import_memory),
        FuncBody::InitMemory => threads::init_memory_body(l, config.import_memory),
        FuncBody::CallCtors => {
            let mut v = vec![0x00];
            for &(f, sym) in &init.0 {
                if let Some(idx) = l.function_of(res, f, sym) {
                    v.push(0x10);
                    idx.encode(&mut v);
                    let results = res.files[f].func_signature(res.files[f].symbols[sym.index()].index).results.len();
                    v.extend(std::iter::repeat_n(0x1a, results));
                }
            }
            v.push(0x0b);
            v
        }
    }
}

fn data_section(config: &Config, res: &Resolution, l: &Layout, rel: &Relocator<'_>, errors: &mut Vec<String>) -> DataSection {
    let mut data = DataSection::new();
    for seg in &l.memory.segments {
        // OUT-BSS: zero-filled .bss is not written unless memory is imported
        // (and not shared: LAY-INIT-MEMORY fills it).
        if !seg.is_written(config.import_memory, l.memory.shared) {
            continue;
        }
        let mut bytes = vec![0u8; seg.size as usize];
        // MERGE-STRINGS: a merged chunk holds no relocation sites.
        for c in &seg.merged {
            bytes[c.offset as usize..c.offset as usize + c.bytes.len()].copy_from_slice(&c.bytes);
        }
        for p in &seg.pieces {
            let obj = &res.files[p.file];
            let s = &obj.segments[p.segment.index()];
            let at = p.offset as usize;
            bytes[at..at + s.data.len()].copy_from_slice(&obj.bytes[s.data.clone()]);
            let relocs = &obj.data_relocs[obj.segment_relocs[p.segment.index()].clone()];
            if let Err(e) = rel.patch(p.file, relocs, s.section_offset, &mut bytes[at..at + s.data.len()], Some(seg.address + p.offset), None) {
                errors.push(e);
            }
        }
        bytes.truncate(seg.written as usize);
        // LAY-INIT-MEMORY: with shared memory every segment is passive.
        match segment_offset(l, seg) {
            None => data.passive(bytes),
            Some(offset) => data.active(0, &offset, bytes),
        };
    }
    data
}

/// Where an output segment is written: `None` for a passive one (shared
/// memory, LAY-INIT-MEMORY); DYN-MEMORY: PIC data at `__memory_base`.
fn segment_offset(l: &Layout, seg: &crate::layout::memory::OutSegment) -> Option<ConstExpr> {
    if l.memory.shared {
        return None;
    }
    Some(match l.memory_base_global() {
        Some(g) => ConstExpr::global_get(g),
        None => address_const(l, seg.address),
    })
}

/// REL-OUT-RELOC, EMIT-RELOCS: the offset of each output segment's bytes
/// in the data section's payload, `None` for one the section does not
/// hold (OUT-BSS).
pub(super) fn data_starts(config: &Config, l: &Layout) -> Vec<Option<u32>> {
    use wasm_encoder::Encode;
    let written: Vec<bool> = l.memory.segments.iter().map(|s| s.is_written(config.import_memory, l.memory.shared)).collect();
    let mut pos = leb_len(written.iter().filter(|w| **w).count() as u64);
    let mut starts = Vec::new();
    for (seg, w) in l.memory.segments.iter().zip(written) {
        if !w {
            starts.push(None);
            continue;
        }
        let mut header = Vec::new();
        match segment_offset(l, seg) {
            None => header.push(0x01),
            Some(offset) => {
                header.push(0x00);
                offset.encode(&mut header);
            }
        }
        pos += header.len() + leb_len(seg.written as u64);
        starts.push(Some(pos as u32));
        pos += seg.written as usize;
    }
    starts
}

/// OUT-CUSTOM: custom sections of the same name are concatenated in input
/// order; debug sections go with `--strip-debug`/`--strip-all`; COMDAT-
/// discarded ones are dropped. Returns (name, bytes, pieces (file, custom
/// index, offset)) and fills `offsets.custom`. MERGE-STRINGS: the strings
/// of `.debug_str`, `.debug_str.dwo` and `.debug_line_str` are merged into
/// one chunk where the first such input was (no relocation applies inside
/// it); their entries in `offsets.custom` are that chunk's start.
#[allow(clippy::type_complexity)]
fn custom_sections(config: &Config, res: &Resolution, offsets: &mut Offsets) -> Vec<(String, Vec<u8>, Vec<(FileId, usize, usize)>)> {
    let merge = |name: &str| config.merges_strings() && crate::layout::strings::MERGED_CUSTOM.contains(&name);
    let mut out: Vec<(String, Vec<u8>, Vec<(FileId, usize, usize)>)> = Vec::new();
    // Per output section: its merged inputs and their chunk's start.
    let mut merged: Vec<(usize, usize, Vec<(FileId, usize)>)> = Vec::new();
    for (f, obj) in res.files() {
        for (ci, c) in obj.customs.iter().enumerate() {
            if res.discarded[f].sections.contains(&(ci as u32)) {
                continue;
            }
            if c.name.starts_with(".debug_") && (config.strip_debug || config.strip_all) {
                continue;
            }
            let i = match out.iter().position(|s| s.0 == c.name) {
                Some(i) => i,
                None => {
                    out.push((c.name.clone(), Vec::new(), Vec::new()));
                    out.len() - 1
                }
            };
            if merge(&c.name) {
                match merged.iter().position(|m| m.0 == i) {
                    Some(m) => merged[m].2.push((f, ci)),
                    None => merged.push((i, out[i].1.len(), vec![(f, ci)])),
                }
                continue;
            }
            let start = out[i].1.len();
            out[i].1.extend_from_slice(&obj.bytes[c.data.clone()]);
            out[i].2.push((f, ci, start));
            offsets.custom.insert((f, ci), start as u32);
        }
    }
    // Every input of a merged section merges: its one chunk is the
    // section, at offset 0.
    for (i, at, inputs) in merged {
        let data: Vec<&[u8]> = inputs.iter().map(|&(f, ci)| &res.files[f].bytes[res.files[f].customs[ci].data.clone()]).collect();
        let m = crate::layout::strings::merge(&data);
        out[i].1.splice(at..at, m.bytes);
        for (input, map) in inputs.into_iter().zip(m.maps) {
            offsets.custom.insert(input, at as u32);
            offsets.custom_merged.insert(input, map);
        }
    }
    out
}

fn names(config: &Config, l: &Layout) -> NameSection {
    let mut n = NameSection::new();
    // OUT-NAMES: the module is named after the output file (its
    // last path component; `-` for standard output), as wasm-ld 22 and 19
    // name it (measured); OPT-SONAME: `--soname=NAME` names it NAME.
    n.module(config.soname.as_deref().unwrap_or(module_name(&config.output)));
    let mut funcs = NameMap::new();
    for (i, name) in &l.import_func_names {
        funcs.append(*i, name);
    }
    for (i, f) in l.functions.iter().enumerate().filter(|(_, f)| !f.name.is_empty()) {
        funcs.append(l.num_imported_funcs + i as u32, &f.name);
    }
    // OUT-NAMES: an empty subsection is not written (measured).
    if !funcs.is_empty() {
        n.functions(&funcs);
    }
    let mut globals = NameMap::new();
    for (i, name) in &l.import_global_names {
        globals.append(*i, name);
    }
    // OUT-NAMES: globals without a name (the data-address globals of
    // exports) are not named, as wasm-ld names none of them (measured).
    for (i, g) in l.globals.iter().enumerate().filter(|(_, g)| !g.name.is_empty()) {
        globals.append(l.num_imported_globals + i as u32, &g.name);
    }
    if !globals.is_empty() {
        n.globals(&globals);
    }
    let mut data = NameMap::new();
    let mut di = 0;
    for seg in &l.memory.segments {
        // OUT-BSS: name the segments the data section holds.
        if !seg.is_written(config.import_memory, l.memory.shared) {
            continue;
        }
        data.append(di, &seg.name);
        di += 1;
    }
    if !data.is_empty() {
        n.data(&data);
    }
    n
}

/// OUT-NAMES: the last component of the `-o` path.
fn module_name(output: &str) -> &str {
    output.rsplit('/').next().unwrap_or(output)
}

fn leb_len(mut v: u64) -> usize {
    let mut n = 1;
    while v >= 0x80 {
        v >>= 7;
        n += 1;
    }
    n
}

fn val(v: wasmparser::ValType) -> ValType {
    ValType::try_from(v).unwrap_or(ValType::I32)
}

fn global_type(g: wasmparser::GlobalType) -> GlobalType {
    GlobalType { val_type: val(g.content_type), mutable: g.mutable, shared: g.shared }
}

/// SIXTYFOUR-LAYOUT: the indirect function table is a table64 in a wasm64 link
/// (measured, wasm-ld 22 and 19).
/// OPT-GROWABLE-TABLE: `--growable-table` writes no maximum.
fn table_type(config: &Config, l: &Layout, size: u32) -> TableType {
    let maximum = (!config.growable_table).then_some(size as u64);
    TableType { element_type: RefType::FUNCREF, table64: l.wasm64, minimum: size as u64, maximum, shared: false }
}

/// SIXTYFOUR-LAYOUT: an i64 memory in a wasm64 link (measured).
fn memory_type(l: &Layout) -> MemoryType {
    // MEM-SHARED: the memory's shared flag.
    // OPT-PAGE-SIZE: a page size other than 64 KiB is written (its log2).
    let page_size_log2 = (l.memory.page_size != crate::config::PAGE_SIZE).then(|| l.memory.page_size.trailing_zeros());
    MemoryType { minimum: l.memory.initial_pages, maximum: l.memory.max_pages, memory64: l.wasm64, shared: l.memory.shared, page_size_log2 }
}

/// SIXTYFOUR-LAYOUT: the offset of an active data or element segment, an
/// `i64.const` in a wasm64 link (measured), an `i32.const` otherwise.
fn address_const(l: &Layout, value: u32) -> ConstExpr {
    if l.wasm64 {
        ConstExpr::i64_const(value as i64)
    } else {
        ConstExpr::i32_const(value as i32)
    }
}
