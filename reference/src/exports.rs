//! Exports of the output and the checks on requested roots (rules EXP-*).

use crate::config::{Config, UnresolvedPolicy};
use crate::diag::Diagnostic;
use crate::layout::{FuncBody, GlobalInit, Layout, OutFunction, OutGlobal};
use crate::live::{is_export_root, LiveSet};
use crate::object::SymbolKind;
use crate::resolve::Resolution;
use crate::symtab::{Def, SymbolId, Synthetic};
use rustc_hash::FxHashSet as HashSet;
use wasm_encoder::ExportKind;
use wasmparser::{GlobalType, ValType};

fn defined(res: &Resolution, name: &str) -> bool {
    res.table.find(name).is_some_and(|sid| !res.table.symbols[sid].is_undefined())
}

/// UND-WEAK-FUNC: `name` is an undefined function whose references are
/// all weak.
fn weak_undefined_function(res: &Resolution, name: &str) -> bool {
    res.table.find(name).is_some_and(|sid| {
        let sym = &res.table.symbols[sid];
        sym.kind == SymbolKind::Function && matches!(sym.def, Def::Undefined) && !sym.refs.is_empty() && sym.is_undefined_weak()
    })
}

/// EXP-6: a missing entry is an error:
/// `entry symbol not defined (pass --no-entry to suppress): _start`.
pub fn check_entry(config: &Config, res: &Resolution) -> Vec<Diagnostic> {
    match &config.entry {
        Some(entry) if !defined(res, entry) => vec![Diagnostic::error(format!("entry symbol not defined (pass --no-entry to suppress): {entry}"))],
        _ => vec![],
    }
}

/// EXP-5: `--export=X` for an X that is not defined is an error under
/// report-all, a warning under warn, silent under ignore-all and (measured,
/// wasm-ld 22) import-dynamic: `symbol exported via --export not found: X`.
/// An undefined weak function counts as defined: wasm-ld gives it its
/// trapping stub (UND-WEAK-FUNC) before it checks, and then exports
/// nothing for it (measured).
pub fn check_exports(config: &Config, res: &Resolution) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for name in &config.exports {
        if !defined(res, name) && !weak_undefined_function(res, name) {
            let msg = format!("symbol exported via --export not found: {name}");
            match config.unresolved {
                UnresolvedPolicy::ReportAll => out.push(Diagnostic::error(msg)),
                UnresolvedPolicy::Warn => out.push(Diagnostic::warning(msg)),
                UnresolvedPolicy::IgnoreAll | UnresolvedPolicy::ImportDynamic => {}
            }
        }
    }
    out
}

/// Fills `l.exports`: `memory` (unless imported without
/// `--export-memory`, EXP-1), the table with `--export-table`, then every
/// exported symbol in symbol-table order (EXP-2..EXP-4): the entry,
/// `--export`, `--export-if-defined`, EXPORTED symbols, `--export-all`,
/// `--export-dynamic` (non-hidden). Data symbols export as immutable i32
/// globals holding their address (EXP-DATA).
pub fn exports(config: &Config, res: &Resolution, live: &LiveSet, l: &mut Layout) {
    if !config.import_memory || config.export_memory {
        l.exports.push(("memory".into(), ExportKind::Memory, 0));
    }
    if config.export_table && l.table.is_some() {
        l.exports.push(("__indirect_function_table".into(), ExportKind::Table, 0));
    }
    let requested: HashSet<&str> = config.entry.iter().chain(&config.exports).chain(&config.exports_if_defined).map(String::as_str).collect();
    let mut names: HashSet<String> = l.exports.iter().map(|e| e.0.clone()).collect();
    let has_init = !crate::ctors::init_order(res, live).is_empty();
    // SIG-EXPORT: primary symbols only (a variant that is not its name's
    // primary symbol is not exported, measured); a SIG-1 stub has no
    // export target.
    for sid in res.table.primaries() {
        let sym = &res.table.symbols[sid];
        if !live.symbols.contains(&sid) || sym.is_undefined() {
            continue;
        }
        if !(requested.contains(sym.name.as_str()) || is_export_root(config, res, sid)) {
            continue;
        }
        if let Some((kind, mut index)) = export_target(res, sid, l) {
            let name = export_name(res, sid);
            // CTOR-2: only when there is something to run around the call
            // (live init functions: `__wasm_call_ctors` alone, live under
            // --no-gc-sections, does not count).
            let wrap = res.command_wrappers && (has_init || res.call_dtors.is_some());
            if wrap && kind == ExportKind::Func && matches!(sym.def, Def::Defined { .. }) {
                index = command_wrapper(l, index, &sym.name);
            }
            if names.insert(name.clone()) {
                l.exports.push((name, kind, index));
            }
        }
    }
}

/// EXP-NAME: a symbol exports under its `export_name` when its object gave
/// one, else under its own name.
fn export_name(res: &Resolution, sid: SymbolId) -> String {
    let sym = &res.table.symbols[sid];
    if let Def::Defined { file, sym: si } = sym.def {
        if let Some(n) = &res.files[file].symbols[si as usize].export_name {
            return n.clone();
        }
    }
    sym.name.clone()
}

fn export_target(res: &Resolution, sid: SymbolId, l: &mut Layout) -> Option<(ExportKind, u32)> {
    let sym = &res.table.symbols[sid];
    match sym.def {
        Def::Defined { file, sym: si } => match sym.kind {
            SymbolKind::Function => l.function_of(res, file, si).map(|i| (ExportKind::Func, i)),
            SymbolKind::Global => l.global_of(res, file, si).map(|i| (ExportKind::Global, i)),
            SymbolKind::Data => {
                let s = &res.files[file].symbols[si as usize];
                let d = s.data?;
                let addr = *l.memory.segment_address.get(&(file, d.segment))? + d.offset;
                Some((ExportKind::Global, data_global(l, &sym.name, addr)))
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
                Some((ExportKind::Global, data_global(l, &sym.name, addr)))
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

/// Adds an immutable i32 global holding `addr`; returns its index.
fn data_global(l: &mut Layout, name: &str, addr: u32) -> u32 {
    let i = l.num_imported_globals + l.globals.len() as u32;
    l.globals.push(OutGlobal {
        ty: GlobalType { content_type: ValType::I32, mutable: false, shared: false },
        init: GlobalInit::I32(addr as i32),
        name: name.to_string(),
    });
    i
}
