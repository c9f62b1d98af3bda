//! The synthetic functions of a shared-memory module (rules
//! LAY-INIT-MEMORY, LAY-INIT-TLS): `__wasm_init_memory`, which writes the
//! passive data segments into memory once, whichever thread starts first,
//! and `__wasm_init_tls`, which sets up one thread's TLS block.

use crate::layout::memory::OutSegment;
use crate::layout::Layout;
use crate::resolve::Synthetic;
use wasm_encoder::Encode;

/// The output segments with their index in the data section (`None` for a
/// `.bss` segment the data section does not hold, OUT-BSS).
pub(super) fn data_indices(l: &Layout, import_memory: bool) -> Vec<(&OutSegment, Option<u32>)> {
    let mut next = 0;
    l.memory
        .segments
        .iter()
        .map(|s| {
            let i = s.is_written(import_memory, l.memory.shared).then(|| {
                next += 1;
                next - 1
            });
            (s, i)
        })
        .collect()
}

fn i32_const(v: &mut Vec<u8>, x: u32) {
    v.push(0x41);
    (x as i32).encode(v);
}

/// The `__tls_base` global, 0 when the layout has none.
fn tls_base(l: &Layout) -> u32 {
    l.synthetic_global.get(&Synthetic::TlsBase).copied().unwrap_or(0)
}

/// LAY-INIT-MEMORY (measured, wasm-ld 22 and 19 alike): the flag at
/// `init_memory_flag` goes from 0 to 1 (`i32.atomic.rmw.cmpxchg`) for the
/// thread that initialises; it writes each segment in layout order
/// (`memory.init` at its address; `.tdata` setting `__tls_base` to its
/// address first; `memory.fill` with 0 for `.bss`), stores 2 and wakes
/// every waiter (`memory.atomic.notify`, count -1). A thread finding 1
/// waits (`memory.atomic.wait32`, no timeout); then every thread drops
/// the segments but `.tdata` (kept for `__wasm_init_tls`). Constants are
/// minimal LEBs; memory operations align 4, offset 0.
pub(super) fn init_memory_body(l: &Layout, import_memory: bool) -> Vec<u8> {
    let flag = l.memory.init_memory_flag.unwrap_or(0);
    let segments = data_indices(l, import_memory);
    let mut v = vec![0x00, 0x02, 0x40, 0x02, 0x40, 0x02, 0x40];
    i32_const(&mut v, flag);
    i32_const(&mut v, 0);
    i32_const(&mut v, 1);
    // i32.atomic.rmw.cmpxchg; br_table 0 1 2: 0 initialise, 1 wait, else done.
    v.extend([0xfe, 0x48, 0x02, 0x00, 0x0e, 0x02, 0x00, 0x01, 0x02, 0x0b]);
    // EMIT-RELOCS (measured): a `.bss` segment the data section holds
    // (`--emit-relocs` keeps it) is still zero-filled, never dropped.
    let filled = |s: &OutSegment| s.name.starts_with(".bss");
    for (s, index) in &segments {
        i32_const(&mut v, s.address);
        match index.filter(|_| !filled(s)) {
            Some(i) => {
                if s.tls {
                    i32_const(&mut v, s.address);
                    v.push(0x24);
                    tls_base(l).encode(&mut v);
                }
                i32_const(&mut v, 0);
                i32_const(&mut v, s.size);
                v.extend([0xfc, 0x08]);
                i.encode(&mut v);
                v.push(0x00);
            }
            None => {
                i32_const(&mut v, 0);
                i32_const(&mut v, s.size);
                v.extend([0xfc, 0x0b, 0x00]);
            }
        }
    }
    i32_const(&mut v, flag);
    i32_const(&mut v, 2);
    v.extend([0xfe, 0x17, 0x02, 0x00]);
    i32_const(&mut v, flag);
    v.extend([0x41, 0x7f, 0xfe, 0x00, 0x02, 0x00, 0x1a, 0x0c, 0x01, 0x0b]);
    i32_const(&mut v, flag);
    i32_const(&mut v, 1);
    v.extend([0x42, 0x7f, 0xfe, 0x01, 0x02, 0x00, 0x1a, 0x0b]);
    for (s, index) in &segments {
        if let Some(i) = index.filter(|_| !s.tls && !filled(s)) {
            v.extend([0xfc, 0x09]);
            i.encode(&mut v);
        }
    }
    v.push(0x0b);
    v
}

/// LAY-INIT-TLS (measured, wasm-ld 22): `__wasm_init_tls(ptr)` sets
/// `__tls_base` to `ptr` and copies `.tdata` there (`memory.init`); its
/// body is empty when the module has no TLS data.
pub(super) fn init_tls_body(l: &Layout, import_memory: bool) -> Vec<u8> {
    let mut v = vec![0x00];
    if let Some((s, Some(i))) = data_indices(l, import_memory).into_iter().find(|(s, _)| s.tls) {
        v.extend([0x20, 0x00, 0x24]);
        tls_base(l).encode(&mut v);
        v.extend([0x20, 0x00]);
        i32_const(&mut v, 0);
        i32_const(&mut v, s.size);
        v.extend([0xfc, 0x08]);
        i.encode(&mut v);
        v.push(0x00);
    }
    v.push(0x0b);
    v
}
