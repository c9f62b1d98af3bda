//! What position-independent output adds to the module (DynamicLinking.md;
//! rules DYN-*): the `dylink.0` section and the bodies of
//! `__wasm_apply_data_relocs` and `__wasm_apply_global_relocs`.

use crate::config::Config;
use crate::layout::Layout;
use crate::object::SymbolKind;
use crate::relocate::Relocator;
use crate::resolve::{Resolution, Synthetic};
use std::borrow::Cow;
use wasm_encoder::{CustomSection, Encode};
use wasmparser::RelocationType as R;

/// `dylink.0` subsection ids (DynamicLinking.md).
const MEM_INFO: u8 = 1;
const NEEDED: u8 = 2;
const EXPORT_INFO: u8 = 3;
const IMPORT_INFO: u8 = 4;
const RUNTIME_PATH: u8 = 5;
/// `WASM_SYM_BINDING_WEAK | WASM_SYM_UNDEFINED` (Linking.md symbol flags).
const WEAK_UNDEFINED: u32 = 0x01 | 0x10;

/// DYN-DYLINK: the `dylink.0` section, first in the module: MEM_INFO
/// (memory size in bytes, its alignment as a power of 2, table size in
/// slots, table alignment 0; DYN-STATIC-IMPORT-DYNAMIC: a static link's
/// memory size is 0, its alignment the largest of its data segments'), NEEDED (DYN-SHLIB: the file name of each
/// shared library of the command line, in order, repeats kept, used or
/// not), EXPORT_INFO for exported thread-local data (DYN-TLS: name and
/// input symbol flags), IMPORT_INFO for imported undefined weak
/// symbols (DYN-WEAK: module, field, flags weak and undefined) and, with
/// `-rpath`, RUNTIME_PATH.
pub(super) fn dylink_section(config: &Config, res: &Resolution, l: &Layout) -> CustomSection<'static> {
    let mut data = Vec::new();
    let mut info = Vec::new();
    // DYN-STATIC-IMPORT-DYNAMIC (measured): a static module's data is no
    // block for a loader to place.
    let size = if l.pic { l.memory.data_end } else { 0 };
    size.encode(&mut info);
    let align = l.memory.segments.iter().map(|s| s.alignment).max().unwrap_or(1);
    align.trailing_zeros().encode(&mut info);
    l.table.as_ref().map_or(0, |t| t.functions.len() as u32).encode(&mut info);
    0u32.encode(&mut info);
    data.push(MEM_INFO);
    info.encode(&mut data);
    if !res.shared_libs.is_empty() {
        let mut needed = Vec::new();
        (res.shared_libs.len() as u32).encode(&mut needed);
        for lib in &res.shared_libs {
            lib.needed_name.as_str().encode(&mut needed);
        }
        data.push(NEEDED);
        needed.encode(&mut data);
    }
    // DYN-TLS (measured): after NEEDED, the exported TLS data symbols.
    if !l.tls_exports.is_empty() {
        let mut exports = Vec::new();
        (l.tls_exports.len() as u32).encode(&mut exports);
        for (name, flags) in &l.tls_exports {
            name.as_str().encode(&mut exports);
            flags.encode(&mut exports);
        }
        data.push(EXPORT_INFO);
        exports.encode(&mut data);
    }
    if !l.weak_imports.is_empty() {
        let mut imports = Vec::new();
        (l.weak_imports.len() as u32).encode(&mut imports);
        for (module, field) in &l.weak_imports {
            module.as_str().encode(&mut imports);
            field.as_str().encode(&mut imports);
            WEAK_UNDEFINED.encode(&mut imports);
        }
        data.push(IMPORT_INFO);
        imports.encode(&mut data);
    }
    if !config.rpath.is_empty() {
        let mut paths = Vec::new();
        (config.rpath.len() as u32).encode(&mut paths);
        for p in &config.rpath {
            p.as_str().encode(&mut paths);
        }
        data.push(RUNTIME_PATH);
        paths.encode(&mut data);
    }
    CustomSection { name: Cow::Borrowed("dylink.0"), data: Cow::Owned(data) }
}

fn global_get(v: &mut Vec<u8>, g: u32) {
    v.push(0x23);
    g.encode(v);
}

fn i32_const(v: &mut Vec<u8>, c: i32) {
    v.push(0x41);
    c.encode(v);
}

const I32_ADD: u8 = 0x6a;

fn base(l: &Layout, s: Synthetic) -> u32 {
    l.synthetic_global.get(&s).copied().unwrap_or(0)
}

/// DYN-DATA-RELOCS (measured, wasm-ld 22): for each `R_WASM_MEMORY_ADDR_I32`
/// and `R_WASM_TABLE_INDEX_I32` of the live data, in data order: the
/// site's address (`__memory_base` + offset), then the value: the symbol's
/// imported GOT entry (plus the addend), or `__memory_base` + its address +
/// addend, or `__table_base` + its slot; stored with `i32.store`.
/// DYN-STATIC-IMPORT-DYNAMIC (measured): in a static link only the sites
/// of imported GOT entries, each at its absolute address (the others hold
/// their values).
pub(super) fn apply_data_relocs_body(res: &Resolution, l: &Layout, rel: &Relocator<'_>) -> Vec<u8> {
    let (memory_base, table_base) = (base(l, Synthetic::MemoryBase), base(l, Synthetic::TableBase));
    let mut v = vec![0x00];
    for seg in &l.memory.segments {
        for p in &seg.pieces {
            let obj = &res.files[p.file];
            let s = &obj.segments[p.segment.index()];
            for r in &obj.data_relocs[obj.segment_relocs[p.segment.index()].clone()] {
                if !matches!(r.ty, R::MemoryAddrI32 | R::TableIndexI32) {
                    continue;
                }
                let site = seg.address + p.offset + (r.offset as usize - s.section_offset) as u32;
                let target = crate::pic::got_target(res, p.file, crate::ids::SymbolIndex(r.index));
                let imported = l.got_global.get(&target).filter(|&&g| g < l.num_imported_globals);
                if !l.pic && imported.is_none() {
                    continue;
                }
                i32_const(&mut v, site as i32);
                if l.pic {
                    global_get(&mut v, memory_base);
                    v.push(I32_ADD);
                }
                let value = rel.value(p.file, r, None).unwrap_or(0);
                match (imported, r.ty) {
                    (Some(&g), R::MemoryAddrI32) => {
                        global_get(&mut v, g);
                        if r.addend != 0 {
                            i32_const(&mut v, r.addend as i32);
                            v.push(I32_ADD);
                        }
                    }
                    (Some(&g), _) => global_get(&mut v, g),
                    (None, R::MemoryAddrI32) => {
                        global_get(&mut v, memory_base);
                        i32_const(&mut v, value as i32);
                        v.push(I32_ADD);
                    }
                    (None, _) => {
                        global_get(&mut v, table_base);
                        i32_const(&mut v, value as i32);
                        v.push(I32_ADD);
                    }
                }
                // i32.store align=2 offset=0
                v.extend([0x36, 0x02, 0x00]);
            }
        }
    }
    v.push(0x0b);
    v
}

/// DYN-GOT (measured, wasm-ld 22): the start function sets each internal
/// GOT global to `__memory_base` + the data's address, or `__table_base` +
/// the function's slot (the static values the globals hold).
pub(super) fn apply_global_relocs_body(res: &Resolution, l: &Layout) -> Vec<u8> {
    let mut v = vec![0x00];
    for &(target, kind, g) in &l.internal_got {
        let (b, value) = match kind {
            SymbolKind::Function => (base(l, Synthetic::TableBase), crate::layout::got_slot(res, target, l)),
            _ => (base(l, Synthetic::MemoryBase), crate::layout::got_address(res, target, l)),
        };
        global_get(&mut v, b);
        i32_const(&mut v, value as i32);
        v.push(I32_ADD);
        v.push(0x24);
        g.encode(&mut v);
    }
    v.push(0x0b);
    v
}
