//! `--print-gc-sections` (rule TRACE-3; wasm-ld `MarkLive`'s report).

use crate::config::Config;
use crate::ids::DefinedIndex;
use crate::live::{Chunk, LiveSet};
use crate::object::{ObjectFile, SymbolKind};
use crate::resolve::{Def, Resolution, Synthetic};

/// One line `removing unused section FILE:(NAME)` per chunk garbage
/// collection removed, file by file in load order (functions, data
/// segments, globals), then the linker's own functions and globals as
/// `<internal>:(NAME)`: `__wasm_call_ctors`, and with shared memory
/// `__wasm_init_tls`, `__tls_base`, `__tls_size`, `__tls_align` (as they
/// stand when collection ends: `__wasm_init_memory` keeps `__tls_base`
/// later). Measured on wasm-ld 22. Nothing without garbage collection.
pub(crate) fn lines(config: &Config, res: &Resolution, live: &LiveSet) -> Vec<String> {
    let mut out = Vec::new();
    if !crate::live::collects(config) {
        return out;
    }
    let mut removed = |file: &str, name: &str| out.push(format!("removing unused section {file}:({name})"));
    for (f, obj) in res.files() {
        for i in 0..obj.functions.len() {
            if !live.is_live(Chunk::Function(f, DefinedIndex(i as u32))) {
                removed(&obj.name, &symbol_name(obj, SymbolKind::Function, obj.num_imported_funcs() + i as u32));
            }
        }
        for (i, seg) in obj.segments.iter().enumerate() {
            if !live.is_live(Chunk::Segment(f, DefinedIndex(i as u32))) {
                removed(&obj.name, &seg.name);
            }
        }
        for i in 0..obj.globals.len() {
            if !live.is_live(Chunk::Global(f, DefinedIndex(i as u32))) {
                removed(&obj.name, &symbol_name(obj, SymbolKind::Global, obj.num_imported_globals() + i as u32));
            }
        }
    }
    let tls = config.shared_memory && !config.is_pic();
    let synthetic: &[(&str, bool)] = &[("__wasm_call_ctors", true), ("__wasm_init_tls", tls), ("__tls_base", tls), ("__tls_size", tls), ("__tls_align", tls)];
    for &(name, made) in synthetic {
        let Some(sid) = res.table.find(name).filter(|_| made) else { continue };
        if let Def::Synthetic(s) = res.table.symbols[sid].def {
            if !live.synthetic.contains(&s) && s != Synthetic::StackPointer {
                removed("<internal>", name);
            }
        }
    }
    out
}

/// The name of a defined function or global: its first symbol's name.
fn symbol_name(obj: &ObjectFile, kind: SymbolKind, index: u32) -> String {
    obj.symbols.iter().find(|s| s.kind == kind && s.is_defined() && s.index == index).map(|s| s.name.clone()).unwrap_or_default()
}
