//! Output indices of the exports: each selected export's function, global
//! or table, with the globals that hold data symbols' addresses (EXP-DATA)
//! and the command-export wrappers (CTOR-2).

use crate::ids::DefinedIndex;
use super::{FuncBody, Layout, OutFunction, OutGlobal};
use crate::config::Config;
use crate::exports::Exports;
use crate::quirks::Quirk;
use crate::object::SymbolKind;
use crate::resolve::{Def, Resolution, SymbolId, Synthetic};
use wasm_encoder::ExportKind;

/// Fills `l.exports` from `exports`, in its order.
pub(super) fn assign(config: &Config, res: &Resolution, exports: &Exports, l: &mut Layout) {
    if exports.memory {
        // EXP-MEMORY-NAME: `--export-memory=NAME`.
        l.exports.push((config.memory_export_name().into(), ExportKind::Memory, 0));
    }
    // EXP-TABLE (measured): `--export-table` exports the table where its
    // symbol is in the symbol table (an input's table symbol), else after
    // every symbol (wasm-ld makes the symbol last).
    let table_symbol = res.table.find("__indirect_function_table");
    let mut table_export = exports.table && l.table.is_some() && !exports.symbols.iter().any(|e| Some(e.symbol) == table_symbol);
    for e in &exports.symbols {
        if table_export && table_symbol.is_some_and(|t| t < e.symbol) {
            l.exports.push(("__indirect_function_table".into(), ExportKind::Table, 0));
            table_export = false;
        }
        let Some((kind, mut index)) = export_target(res, e.symbol, l) else { continue };
        if e.command_wrapper {
            index = match l.entry_wrapper.filter(|_| config.quirks.has(Quirk::CommandWrapperEntryOnly)) {
                // QUIRK-WILD-WRAP: the wrapper placed before the input
                // functions (`super::functions`) now gets its target.
                Some(w) => {
                    let i = (w - l.num_imported_funcs) as usize;
                    if let FuncBody::CommandExport { target, .. } = &mut l.functions[i].body {
                        *target = index;
                    }
                    w
                }
                None => command_wrapper(l, index, &res.table.symbols[e.symbol].name),
            };
        }
        l.exports.push((e.name.clone(), kind, index));
    }
    if table_export {
        l.exports.push(("__indirect_function_table".into(), ExportKind::Table, 0));
    }
    // LAY-INIT-MEMORY (measured, wasm-ld 22 and 19): `--export-all` exports
    // the flag and `__wasm_init_memory`, last, as wasm-ld makes their
    // symbols after the layout; `--export` cannot name them.
    if let (true, Some(f), Some(flag)) = (config.export_all, l.init_memory, l.memory.init_memory_flag) {
        let g = data_global(l, flag);
        l.exports.push(("__wasm_init_memory_flag".into(), ExportKind::Global, g));
        l.exports.push(("__wasm_init_memory".into(), ExportKind::Func, f));
    }
    // DYN-TLS, DYN-STATIC-IMPORT-DYNAMIC (measured): `dylink.0` EXPORT_INFO
    // names each exported TLS data symbol with its input flags, in
    // symbol-table order.
    if config.writes_dylink() {
        let mut tls: Vec<(SymbolId, String, u32)> = exports
            .symbols
            .iter()
            .filter_map(|e| {
                let sym = &res.table.symbols[e.symbol];
                let Def::Defined { file, sym: si } = sym.def else { return None };
                let flags = res.files[file].symbols[si.index()].flags;
                (sym.kind == SymbolKind::Data && flags & crate::object::flags::TLS != 0).then(|| (e.symbol, sym.name.clone(), flags))
            })
            .collect();
        tls.sort_by_key(|t| t.0);
        tls.dedup_by_key(|t| t.0);
        l.tls_exports = tls.into_iter().map(|(_, name, flags)| (name, flags)).collect();
    }
    // DYN-EXPORTS (measured): the loader calls `__wasm_apply_data_relocs`;
    // exported after every symbol.
    if let Some(i) = l.apply_data_relocs {
        l.exports.push(("__wasm_apply_data_relocs".into(), ExportKind::Func, i));
    }
}

fn export_target(res: &Resolution, sid: SymbolId, l: &mut Layout) -> Option<(ExportKind, u32)> {
    let sym = &res.table.symbols[sid];
    match sym.def {
        Def::Defined { file, sym: si } => match sym.kind {
            SymbolKind::Function => l.body_of_definition(res, file, si).map(|i| (ExportKind::Func, i)),
            SymbolKind::Global => l.global_of(res, file, si).map(|i| (ExportKind::Global, i)),
            SymbolKind::Tag => l.tag_of(res, file, si).map(|i| (ExportKind::Tag, i)),
            SymbolKind::Data => {
                let s = &res.files[file].symbols[si.index()];
                let d = s.data?;
                let addr = l.memory.data_address(file, DefinedIndex(d.segment), d.offset)?;
                // LAY-TLS-BASE (measured, wasm-ld 22): exported TLS data
                // holds its offset in the TLS block (DYN-TLS alike).
                let tls = s.flags & crate::object::flags::TLS != 0 && !l.pic;
                let value = if tls { addr.wrapping_sub(l.memory.tls_base) } else { addr };
                Some((ExportKind::Global, data_global(l, value)))
            }
            _ => None,
        },
        Def::Synthetic(s) => match sym.kind {
            SymbolKind::Function => match s {
                Synthetic::CallCtors => l.call_ctors.map(|i| (ExportKind::Func, i)),
                Synthetic::InitTls => l.init_tls.map(|i| (ExportKind::Func, i)),
                _ => None,
            },
            SymbolKind::Global => l.synthetic_global.get(&s).map(|&i| (ExportKind::Global, i)),
            SymbolKind::Data => {
                let addr = l.memory.synthetic_address(s)?;
                Some((ExportKind::Global, data_global(l, addr)))
            }
            SymbolKind::Table => l.table.as_ref().map(|_| (ExportKind::Table, 0)),
            _ => None,
        },
        _ => None,
    }
}

/// CTOR-2: adds `NAME.command_export` wrapping function `target`;
/// returns the wrapper's index.
fn command_wrapper(l: &mut Layout, target: u32, name: &str) -> u32 {
    let type_index = match target.checked_sub(l.num_imported_funcs) {
        Some(i) => l.functions[i as usize].type_index,
        None => return target,
    };
    let params = l.types[type_index as usize].params.len() as u32;
    l.functions.push(OutFunction { type_index, body: FuncBody::CommandExport { target, params }, name: format!("{name}.command_export") });
    l.num_imported_funcs + l.functions.len() as u32 - 1
}

/// Adds an immutable global holding `addr` (EXP-DATA; i64 in a wasm64
/// link, SIXTYFOUR-LAYOUT), without a name in the name section (OUT-NAMES);
/// returns its index.
fn data_global(l: &mut Layout, addr: u32) -> u32 {
    let i = l.num_imported_globals + l.globals.len() as u32;
    let (ty, init) = l.address_global(false, addr);
    l.globals.push(OutGlobal { ty, init, name: String::new() });
    i
}
