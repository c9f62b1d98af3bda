//! Position-independent code (tool-conventions DynamicLinking.md; rules
//! DYN-*): which symbols are reached through the GOT, which relocations
//! position-independent output forbids, and whether data needs relocating
//! at load time. wasm-ld makes these decisions in `scanRelocations`
//! (Relocations.cpp) while it scans the live chunks; so does [`scan`], in
//! the same order (files in order, each file's functions, then its data
//! segments, each chunk's relocations in order).

use crate::config::Config;
use crate::diag::Diagnostics;
use crate::ids::SymbolIndex;
use crate::live::{Chunk, LiveSet};
use crate::object::reloc_types;
use crate::object::SymbolKind;
use crate::resolve::{Def, FileId, Resolution, SymbolId, Synthetic, Target};
use rustc_hash::FxHashMap as HashMap;
use wasmparser::RelocationType as R;

/// The symbol a GOT entry holds the address (data) or table slot
/// (function) of: a global symbol, or a local symbol of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GotTarget {
    Global(SymbolId),
    Local(FileId, SymbolIndex),
}

/// One GOT entry: a mutable i32 global.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GotEntry {
    pub target: GotTarget,
    /// `Data` (a memory address) or `Function` (a table slot).
    pub kind: SymbolKind,
    /// The symbol's name.
    pub name: String,
    /// DYN-GOT: imported from `GOT.mem` / `GOT.func` (field: the symbol's
    /// name; the loader fills it) when the symbol must be reached through
    /// the GOT, else an internal global `GOT.data.internal.NAME` /
    /// `GOT.func.internal.NAME` that `__wasm_apply_global_relocs` sets.
    pub imported: bool,
}

/// What position-independent output needs beyond a static link's layout.
#[derive(Debug, Clone, Default)]
pub struct Pic {
    /// GOT entries in the order their first relocation was met.
    pub got: Vec<GotEntry>,
    /// Position of each target's entry in `got`.
    pub index: HashMap<GotTarget, usize>,
    /// DYN-DATA-RELOCS: a live data segment has a `R_WASM_MEMORY_ADDR_I32`
    /// or `R_WASM_TABLE_INDEX_I32` relocation, so the output has
    /// `__wasm_apply_data_relocs`.
    pub data_relocs: bool,
    /// A live relocation uses `__stack_pointer` (DYN-IMPORTS: imported only then).
    pub uses_stack_pointer: bool,
}

impl Pic {
    /// The GOT entry of symbol `sym` of `file`, if it has one.
    pub fn entry_of(&self, res: &Resolution, file: FileId, sym: SymbolIndex) -> Option<&GotEntry> {
        self.index.get(&got_target(res, file, sym)).map(|&i| &self.got[i])
    }
}

/// The GOT target that symbol `sym` of `file` stands for.
pub fn got_target(res: &Resolution, file: FileId, sym: SymbolIndex) -> GotTarget {
    match res.file_syms[file][sym.index()] {
        Some(sid) => GotTarget::Global(sid),
        None => GotTarget::Local(file, sym),
    }
}

/// DYN-GOT (wasm-ld `requiresGOTAccess`): a symbol is reached through an
/// imported GOT entry unless it is defined here and hidden or local, or
/// defined here in a `-pie` main module or a `-Bsymbolic` side module.
pub fn requires_got_access(config: &Config, res: &Resolution, file: FileId, sym: SymbolIndex) -> bool {
    match res.target(file, sym) {
        Target::Undefined(_) => true,
        Target::Defined(f, s) => {
            let d = &res.files[f].symbols[s.index()];
            !(d.is_hidden() || d.is_local() || !config.shared || config.bsymbolic)
        }
        Target::Synthetic(_) | Target::Stub(_) => false,
    }
}

/// DYN-WEAK-DEF (measured, wasm-ld 22 and 19; wasm-ld `shouldImport`): a
/// side module (`-shared`, with or without `-Bsymbolic`) imports each live
/// function it defines weakly and not hidden, from `env` under its own
/// name, so that another module's definition can take its place: its
/// calls and table slots name the import, its export the body. Weak data
/// needs no such import (its GOT entry, DYN-GOT, does the same).
pub fn imports_weak_definition(config: &Config, res: &Resolution, sid: SymbolId) -> bool {
    let sym = &res.table.symbols[sid];
    let Def::Defined { file, sym: s } = sym.def else { return false };
    let d = &res.files[file].symbols[s.index()];
    config.shared && sym.kind == SymbolKind::Function && d.is_weak() && !d.is_hidden() && !d.is_local()
}

/// Scans the relocations of the live chunks: the GOT and the errors of
/// relocations PIC output cannot hold (DYN-RELOC). DYN-TLS: thread-local
/// data needs neither (its offsets are constants). DYN-STATIC: in a static link, PIC code's
/// GOT entries are internal constants.
pub(crate) fn scan(config: &Config, res: &Resolution, live: &LiveSet, diags: &mut Diagnostics) -> Pic {
    let mut pic = Pic::default();
    for (f, obj) in res.files() {
        let funcs = (0..obj.functions.len()).map(|i| (Chunk::Function(f, i.into()), &obj.code_relocs[obj.func_relocs[i].clone()], false));
        let segs = (0..obj.segments.len()).map(|i| (Chunk::Segment(f, i.into()), &obj.data_relocs[obj.segment_relocs[i].clone()], true));
        for (chunk, relocs, in_data) in funcs.chain(segs) {
            if !live.is_live(chunk) {
                continue;
            }
            for r in relocs {
                if r.ty == R::TypeIndexLeb {
                    continue;
                }
                let sym = SymbolIndex(r.index);
                if !config.is_pic() {
                    scan_static_relocation(config, res, f, r.ty, sym, &mut pic);
                    if in_data && config.static_import_dynamic() {
                        scan_dynamic_data_relocation(res, f, r.ty, sym, &mut pic);
                    }
                    continue;
                }
                scan_pic_relocation(config, res, f, r.ty, sym, in_data, &mut pic, diags);
            }
        }
    }
    pic
}

#[allow(clippy::too_many_arguments)]
fn scan_pic_relocation(config: &Config, res: &Resolution, f: FileId, ty: R, sym: SymbolIndex, in_data: bool, pic: &mut Pic, diags: &mut Diagnostics) {
    let obj = &res.files[f];
    let s = &obj.symbols[sym.index()];
    let target = res.target(f, sym);
    if target == Target::Synthetic(Synthetic::StackPointer) {
        pic.uses_stack_pointer = true;
    }
    let name = || symbol_name(res, f, sym);
    match ty {
        // DYN-RELOC: absolute addresses in code have no value before load.
        R::TableIndexSleb | R::MemoryAddrSleb | R::MemoryAddrLeb => {
            diags.error(format!(
                "{}: relocation {} cannot be used against symbol `{}`; recompile with -fPIC",
                obj.name,
                reloc_types::info(ty).name,
                name()
            ));
        }
        R::GlobalIndexLeb | R::GlobalIndexI32 if matches!(s.kind, SymbolKind::Data | SymbolKind::Function) => {
            add_entry(res, f, sym, s.kind, requires_got_access(config, res, f, sym), || symbol_name(res, f, sym), pic);
        }
        // DYN-DATA-RELOCS: rewritten at load time by __wasm_apply_data_relocs.
        R::TableIndexI32 | R::MemoryAddrI32 if in_data => {
            pic.data_relocs = true;
            if requires_got_access(config, res, f, sym) {
                add_entry(res, f, sym, s.kind, true, || symbol_name(res, f, sym), pic);
            }
        }
        _ => {}
    }
}

/// DYN-STATIC (measured, wasm-ld 22): a GLOBAL_INDEX relocation against a
/// data or function symbol, or against `__memory_base`/`__table_base`
/// (data symbols outside PIC output), names an internal GOT entry (an
/// undefined weak function's is named after its stub);
/// DYN-STATIC-IMPORT-DYNAMIC: under import-dynamic, against an undefined
/// symbol (not an undefined weak function, which is its stub) an imported one.
fn scan_static_relocation(config: &Config, res: &Resolution, f: FileId, ty: R, sym: SymbolIndex, pic: &mut Pic) {
    if !matches!(ty, R::GlobalIndexLeb | R::GlobalIndexI32) {
        return;
    }
    let s = &res.files[f].symbols[sym.index()];
    let base = matches!(res.target(f, sym), Target::Synthetic(Synthetic::MemoryBase | Synthetic::TableBase));
    if !(base || matches!(s.kind, SymbolKind::Data | SymbolKind::Function)) {
        return;
    }
    let kind = if s.kind == SymbolKind::Function { SymbolKind::Function } else { SymbolKind::Data };
    let target = res.target(f, sym);
    let weak_stub = matches!(target, Target::Undefined(sid) if kind == SymbolKind::Function && res.table.symbols[sid].is_undefined_weak());
    let imported = config.static_import_dynamic() && matches!(target, Target::Undefined(_)) && !weak_stub;
    // The stub's entry is named after it (measured).
    let name = || if weak_stub { format!("undefined_weak:{}", symbol_name(res, f, sym)) } else { symbol_name(res, f, sym) };
    add_entry(res, f, sym, kind, imported, name, pic);
}

/// DYN-STATIC-IMPORT-DYNAMIC (measured, wasm-ld 22 and 19): in a static
/// link under import-dynamic, an `R_WASM_MEMORY_ADDR_I32` /
/// `R_WASM_TABLE_INDEX_I32` in data against an undefined symbol the
/// reference does not mark hidden takes the symbol's imported GOT entry
/// (`GOT.mem` / `GOT.func`), which `__wasm_apply_data_relocs` stores
/// there. An undefined weak function is no such symbol: it is the
/// `undefined_weak` stub, table index 0 (UND-WEAK-FUNC); a hidden
/// reference keeps address 0 or its table slot.
fn scan_dynamic_data_relocation(res: &Resolution, f: FileId, ty: R, sym: SymbolIndex, pic: &mut Pic) {
    if !matches!(ty, R::MemoryAddrI32 | R::TableIndexI32) {
        return;
    }
    let Target::Undefined(sid) = res.target(f, sym) else { return };
    let global = &res.table.symbols[sid];
    let s = &res.files[f].symbols[sym.index()];
    if s.is_hidden() || (global.kind == SymbolKind::Function && global.is_undefined_weak()) {
        return;
    }
    if matches!(global.kind, SymbolKind::Data | SymbolKind::Function) {
        pic.data_relocs = true;
        add_entry(res, f, sym, global.kind, true, || symbol_name(res, f, sym), pic);
    }
}

/// The GOT entry of symbol `sym` of `f`, named `name`, made at its first
/// relocation.
fn add_entry(res: &Resolution, f: FileId, sym: SymbolIndex, kind: SymbolKind, imported: bool, name: impl FnOnce() -> String, pic: &mut Pic) {
    let target = got_target(res, f, sym);
    if pic.index.contains_key(&target) {
        return;
    }
    pic.index.insert(target, pic.got.len());
    pic.got.push(GotEntry { target, kind, name: name(), imported });
}

/// The name of symbol `sym` of `f`: its global symbol's, or its own.
fn symbol_name(res: &Resolution, f: FileId, sym: SymbolIndex) -> String {
    match res.file_syms[f][sym.index()] {
        Some(sid) => res.table.symbols[sid].name.clone(),
        None => res.files[f].symbols[sym.index()].name.clone(),
    }
}
