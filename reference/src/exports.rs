//! Exports (rules EXP-*): which symbols are exported and under which
//! names, the checks on the requested ones (`--entry`, `--export`), and the
//! export roots garbage collection starts from. Output indices are given
//! by the layout.

use crate::config::{Config, UnresolvedPolicy};
use crate::diag::Diagnostics;
use crate::object::SymbolKind;
use crate::quirks::Quirk;
use crate::resolve::synthetic::SHARED_MEMORY_TLS;
use crate::resolve::{Def, Resolution, SymbolId, Synthetic};
use rustc_hash::FxHashSet as HashSet;

/// One export of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Export {
    /// The export's name (EXP-NAME).
    pub name: String,
    pub symbol: SymbolId,
    /// CTOR-2: a defined function exported through its
    /// `NAME.command_export` wrapper.
    pub command_wrapper: bool,
}

/// Everything the output exports, in wasm-ld's order: `memory` (EXP-1),
/// then symbols in symbol-table order, the table (`--export-table`) at its
/// symbol's place (EXP-TABLE, `layout::exports`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Exports {
    /// `memory` is exported: memory is not imported, or `--export-memory`.
    pub memory: bool,
    /// `__indirect_function_table` is exported (`--export-table`).
    pub table: bool,
    pub symbols: Vec<Export>,
}

/// EXP-2..EXP-4: the symbol is exported by its EXPORTED flag, or by
/// `--export-all` / `--export-dynamic` (non-hidden); these are roots of
/// garbage collection (GC-1).
pub(crate) fn is_export_root(config: &Config, res: &Resolution, sid: SymbolId) -> bool {
    let sym = &res.table.symbols[sid];
    if let Def::Synthetic(s) = sym.def {
        // SYN-2, EXP-4 (measured): `--export-all` exports the linker's data
        // symbols, `__wasm_call_ctors`, `__stack_pointer` and the table.
        // `__stack_pointer` only when the inputs use mutable-globals (an
        // exported mutable global needs it); the table only when something
        // else keeps it (it is no root of garbage collection).
        // LAY-INIT-TLS (measured): with shared memory the TLS symbols too,
        // `__tls_base` (then mutable) as `__stack_pointer`.
        let mutable_globals = || res.files.iter().any(|f| f.features.iter().any(|x| x.prefix == b'+' && x.name == "mutable-globals"));
        let exported = match s {
            Synthetic::CallCtors | Synthetic::IndirectFunctionTable | Synthetic::TlsSize | Synthetic::TlsAlign | Synthetic::InitTls => true,
            Synthetic::StackPointer => mutable_globals(),
            Synthetic::TlsBase => !config.shared_memory || mutable_globals(),
            _ => false,
        };
        // EXP-4 (measured, wasm-ld 22; not 19): `__stack_pointer` is the
        // one linker symbol that is not hidden, so `--export-dynamic`
        // exports it too.
        let dynamic = config.export_dynamic && !config.is_pic() && s == Synthetic::StackPointer && mutable_globals();
        return dynamic || (config.export_all && (sym.kind == SymbolKind::Data || exported));
    }
    let Def::Defined { file, sym: si } = sym.def else { return false };
    // DYN-STUB: a stub library's used symbol needs it, hidden or not.
    if res.force_export.contains(&sid) {
        return true;
    }
    let s = &res.files[file].symbols[si.index()];
    s.is_exported() || config.export_all || (config.export_dynamic && !s.is_hidden())
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
pub(crate) fn check_entry(config: &Config, res: &Resolution, diags: &mut Diagnostics) {
    if let Some(entry) = config.entry.as_ref().filter(|e| !res.is_defined(e)) {
        diags.error(format!("entry symbol not defined (pass --no-entry to suppress): {entry}"));
    }
}

/// EXP-5: `--export=X` for an X that is not defined is an error under
/// report-all, a warning under warn, silent under ignore-all and (measured,
/// wasm-ld 22) import-dynamic: `symbol exported via --export not found: X`.
/// An undefined weak function counts as defined: wasm-ld gives it its
/// trapping stub (UND-WEAK-FUNC) before it checks, and then exports
/// nothing for it (measured).
pub(crate) fn check_requested(config: &Config, res: &Resolution, diags: &mut Diagnostics) {
    // QUIRK-ZIG-EXPORT: Zig 0.17 says nothing (measured:
    // corpus/found/zig_export_missing_ignored).
    if config.quirks.has(Quirk::ExportMissingIgnored) {
        return;
    }
    for name in &config.exports {
        if !res.is_defined(name) && !weak_undefined_function(res, name) {
            let msg = format!("symbol exported via --export not found: {name}");
            match config.unresolved {
                UnresolvedPolicy::ReportAll => diags.error(msg),
                UnresolvedPolicy::Warn => diags.warning(msg),
                UnresolvedPolicy::IgnoreAll | UnresolvedPolicy::ImportDynamic => {}
            }
        }
    }
}

/// The exports of the output (EXP-1..EXP-4): `memory` unless imported
/// without `--export-memory`, the table with `--export-table`, then every
/// live defined symbol in symbol-table order that is requested (the entry,
/// `--export`, `--export-if-defined`) or an export root; a name exported
/// once only. `live` holds the live symbols; `has_init`: some live init
/// function runs (CTOR-2 wraps exported functions only then, or when
/// `__wasm_call_dtors` is defined); `unexported`: requested names not
/// exported all the same (QUIRK-ZIG-EXPORT-REACHED, `LiveSet::unexported`).
pub(crate) fn select(config: &Config, res: &Resolution, live: &HashSet<SymbolId>, unexported: &HashSet<SymbolId>, has_init: bool) -> Exports {
    let memory = (!config.import_memory || config.export_memory) && res.defines_memory(config.quirks);
    let mut out = Exports { memory, table: config.export_table, symbols: Vec::new() };
    // WRAP-1 (measured): a requested name marks the symbol a lookup by that
    // name finds, exported under its own name (`--export=NAME` of a
    // wrapped NAME exports `__wrap_NAME`).
    let mut requested: HashSet<SymbolId> = config.entry.iter().chain(&config.exports).chain(&config.exports_if_defined).filter_map(|n| res.table.find(n)).collect();
    // QUIRK-ZIG-EXPORT-REACHED: Zig 0.17 loses some of them.
    for sid in unexported {
        requested.remove(sid);
    }
    let mut names: HashSet<String> = HashSet::default();
    if out.memory {
        names.insert(config.memory_export_name().into());
    }
    if out.table {
        names.insert("__indirect_function_table".into());
    }
    // QUIRK-WILD-WRAP: Wild 0.10 wraps the entry alone, and only for init
    // functions (measured: found/wild_no_command_export_wrapper,
    // wild_command_export_skips_dtors; a defined `__wasm_call_dtors`
    // without init functions makes no wrapper).
    let entry_only = config.quirks.has(Quirk::CommandWrapperEntryOnly);
    // CTOR-2 (measured, wasm-ld 22 and 19): PIC output has no wrappers; its
    // loader runs the constructors.
    let wrap = !config.is_pic() && res.command_wrappers && (has_init || (res.call_dtors.is_some() && !entry_only));
    // EXP-CTORS-FIRST (measured, wasm-ld 22 and 19): the symbols wasm-ld
    // makes before reading the inputs come first when exported, in the
    // order it makes them: `__wasm_call_ctors` (a side module's always,
    // DYN-EXPORTS), `__stack_pointer`, with shared memory the TLS ones.
    let early_exported = |s: &SymbolId| requested.contains(s) || is_export_root(config, res, *s);
    let tls: &[&str] = if config.shared_memory { SHARED_MEMORY_TLS } else { &[] };
    let mut early = HashSet::default();
    for name in ["__wasm_call_ctors", "__stack_pointer"].iter().chain(tls) {
        let Some(sid) = res.table.find(name).filter(|s| live.contains(s) && early_exported(s)) else { continue };
        if matches!(res.table.symbols[sid].def, Def::Synthetic(_)) && has_export_form(res, sid) && names.insert(name.to_string()) {
            out.symbols.push(Export { name: name.to_string(), symbol: sid, command_wrapper: false });
            early.insert(sid);
        }
    }
    // SIG-EXPORT: primary symbols only (a variant that is not its name's
    // primary symbol is not exported, measured); a SIG-1 stub has no
    // export target.
    for sid in res.table.primaries() {
        let sym = &res.table.symbols[sid];
        if !live.contains(&sid) || !has_export_form(res, sid) || early.contains(&sid) {
            continue;
        }
        if !(requested.contains(&sid) || is_export_root(config, res, sid)) {
            continue;
        }
        let name = export_name(res, sid);
        if names.insert(name.clone()) {
            let wrapped = !entry_only || config.entry.as_deref() == Some(sym.name.as_str());
            let command_wrapper = wrap && wrapped && sym.kind == SymbolKind::Function && matches!(sym.def, Def::Defined { .. });
            out.symbols.push(Export { name, symbol: sid, command_wrapper });
        }
    }
    out
}

/// A symbol the output can export: a defined function, global or data
/// symbol (EXP-DATA: data as an immutable global holding its address), or
/// the linker's `__wasm_call_ctors`, `__wasm_init_tls`, globals, data
/// symbols and table; a defined tag (TAG-EXPORT). Undefined symbols, SIG-1
/// stubs and tables of the inputs have none.
fn has_export_form(res: &Resolution, sid: SymbolId) -> bool {
    let sym = &res.table.symbols[sid];
    match sym.def {
        Def::Defined { .. } => matches!(sym.kind, SymbolKind::Function | SymbolKind::Global | SymbolKind::Data | SymbolKind::Tag),
        Def::Synthetic(s) => match sym.kind {
            SymbolKind::Function => matches!(s, Synthetic::CallCtors | Synthetic::InitTls),
            SymbolKind::Global | SymbolKind::Data | SymbolKind::Table => true,
            _ => false,
        },
        Def::Undefined | Def::Lazy { .. } | Def::SignatureStub => false,
    }
}

/// EXP-NAME: a symbol exports under its `export_name` when its object gave
/// one, else under its own name.
fn export_name(res: &Resolution, sid: SymbolId) -> String {
    let sym = &res.table.symbols[sid];
    if let Def::Defined { file, sym: si } = sym.def {
        if let Some(n) = &res.files[file].symbols[si.index()].export_name {
            return n.clone();
        }
    }
    sym.name.clone()
}

/// QUIRK-TLS-MUTABLE (measured, wasm-ld 14, 16, 19; not 22): with no input
/// using the mutable-globals feature, an exported `__tls_size` or
/// `__tls_align` is the error ``mutable global exported but
/// 'mutable-globals' feature not present in inputs: `NAME`. Use
/// --no-check-features to suppress.``, once per export, in export order.
pub(crate) fn check_exported_tls_globals(config: &Config, res: &Resolution, exports: &Exports, diags: &mut Diagnostics) {
    if !config.quirks.has(Quirk::TlsGlobalsCheckedAsMutable) || !config.check_features {
        return;
    }
    let mutable_globals = res.files.iter().any(|f| f.features.iter().any(|x| x.prefix == b'+' && x.name == "mutable-globals"));
    for e in exports.symbols.iter().filter(|_| !mutable_globals) {
        if matches!(res.table.symbols[e.symbol].def, Def::Synthetic(Synthetic::TlsSize | Synthetic::TlsAlign)) {
            diags.error(format!("mutable global exported but 'mutable-globals' feature not present in inputs: `{}`. Use --no-check-features to suppress.", e.name));
        }
    }
}
