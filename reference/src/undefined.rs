//! What becomes of each live undefined symbol: an import, a trapping stub,
//! address 0, or an error (rules UND-*); and references that resolved to a
//! symbol of another kind (SYM-5).

use crate::config::{Config, UnresolvedPolicy};
use crate::diag::Diagnostics;
use crate::live::{LiveSet, SymbolUse};
use crate::object::SymbolKind;
use crate::quirks::Quirk;
use crate::resolve::{Resolution, SymbolId};
use std::collections::BTreeMap;

/// The fate of one live undefined symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// An import `(module, field)` of the output (UND-IMPORT).
    Import { module: String, field: String },
    /// Undefined weak function: direct calls go to a trapping
    /// `undefined_weak:NAME` stub; table index 0, no table slot (UND-WEAK-FUNC).
    WeakStub,
    /// Unresolved function under warn/ignore: a trapping stub shared per
    /// signature; table index 0 (UND-STUB).
    TrapStub,
    /// Undefined data (weak, or under warn/ignore): address 0 + addend
    /// (UND-WEAK-DATA, UND-DATA-ZERO).
    Zero,
    /// DYN-IMPORTS: an undefined function PIC output reaches only through
    /// its `GOT.func` import (no file calls it directly): no function import.
    GotOnly,
    /// Reported as an error; the link fails.
    Error,
    /// QUIRK-UND-INDEX: a global or tag that is neither imported nor
    /// defined; its index relocations are written as 0xFFFFFFFF.
    InvalidIndex,
}

/// The fates of every live undefined symbol.
#[derive(Debug, Clone, Default)]
pub struct Undefined {
    pub fates: BTreeMap<SymbolId, Fate>,
}

/// The policy undefined symbols are decided under and whether functions
/// (and globals) are imported: the command line's (UND-POLICY), or under
/// QUIRK-WILD-UND `--allow-undefined`'s (ignore-all and
/// `--import-undefined`): Wild 0.10 imports undefined functions and
/// globals and gives undefined data address 0 without a diagnostic, and
/// rejects `--allow-undefined` itself (measured:
/// corpus/found/wild_links_undefined_function).
fn policy(config: &Config) -> (UnresolvedPolicy, bool) {
    if config.quirks.has(Quirk::UndefinedAllowed) {
        (UnresolvedPolicy::IgnoreAll, true)
    } else {
        (config.unresolved, config.import_undefined)
    }
}

/// Decides every live undefined symbol's fate under the policy, and
/// reports `FILE: undefined symbol: NAME` once per referencing file
/// (UND-REPORT) as an error (report-all) or warning (warn).
pub(crate) fn decide(config: &Config, res: &Resolution, live: &LiveSet, diags: &mut Diagnostics) -> Undefined {
    let (unresolved, import_undefined) = policy(config);
    let mut out = Undefined::default();
    if config.relocatable {
        return relocatable_fates(res);
    }
    // QUIRK-LAZY-LOCAL: a left-lazy name has no fate: its uses are 0.
    let mut sids: Vec<SymbolId> = live.symbols.iter().copied().filter(|&s| res.table.symbols[s].is_undefined() && !res.left_lazy.contains(&s)).collect();
    sids.sort_unstable();
    for sid in sids {
        let sym = &res.table.symbols[sid];
        let weak = sym.is_undefined_weak();
        let explicit = res.is_import_by_design(sid);
        // DYN-IMPORTS (measured, wasm-ld 22 and 19; `shouldImport`): PIC
        // output imports an undefined function only when some file calls it
        // directly; its address is a GOT.func import alone. A library's
        // functions are imported all the same (DYN-SHLIB).
        let got_only = config.is_pic() && sym.kind == SymbolKind::Function && !sym.called_directly && sym.shared.is_none() && !sym.force_import;
        let fate = match sym.kind {
            SymbolKind::Function if got_only && (weak || explicit || import_undefined || unresolved == UnresolvedPolicy::ImportDynamic) => Fate::GotOnly,
            SymbolKind::Data if weak => Fate::Zero,
            // DYN-SHLIB: a library's data is reached through its GOT import.
            SymbolKind::Data if sym.shared.is_some() => Fate::Zero,
            // DYN-WEAK (measured): PIC output imports an undefined weak
            // function (the loader may find it), marked weak in `dylink.0`.
            SymbolKind::Function if weak && config.is_pic() => {
                let (module, field) = res.import_of(sid);
                Fate::Import { module, field }
            }
            // QUIRK-ZIG-WEAK-UND: Zig 0.17 imports it like a strong one.
            SymbolKind::Function if weak && config.quirks.has(Quirk::WeakUndefinedImported) => {
                let (module, field) = res.import_of(sid);
                Fate::Import { module, field }
            }
            SymbolKind::Function if weak => Fate::WeakStub,
            // UND-DYNAMIC: undefined data is no import; its absolute
            // addresses are errors (`report`), nothing else needs a value.
            SymbolKind::Data if unresolved == UnresolvedPolicy::ImportDynamic => Fate::Zero,
            SymbolKind::Data => match unresolved {
                UnresolvedPolicy::ReportAll => Fate::Error,
                _ => Fate::Zero,
            },
            // UND-DYNAMIC: every other undefined symbol is an import
            // (wasm-ld `shouldImport`); TAG-IMPORT: tags too.
            _ if explicit || import_undefined || unresolved == UnresolvedPolicy::ImportDynamic => {
                let (module, field) = res.import_of(sid);
                Fate::Import { module, field }
            }
            SymbolKind::Function => match unresolved {
                UnresolvedPolicy::ReportAll => Fate::Error,
                _ => Fate::TrapStub,
            },
            _ => match unresolved {
                UnresolvedPolicy::ReportAll => Fate::Error,
                _ if config.quirks.has(Quirk::UndefinedIndexInvalid) => Fate::InvalidIndex,
                // UND-GLOBAL: an import, so that the output stays valid
                // (wasm-ld writes no index: QUIRK-UND-INDEX).
                _ => {
                    let (module, field) = res.import_of(sid);
                    Fate::Import { module, field }
                }
            },
        };
        out.fates.insert(sid, fate);
    }
    report(config, res, live, diags);
    out
}

/// REL-OUT-IMPORT (wasm-ld `shouldImport`): in relocatable output every
/// live undefined function, global, table and tag is an import (weak ones
/// too) and nothing is reported; undefined data stays a symbol (address 0
/// at its sites). Without garbage collection every symbol an input
/// references is live.
fn relocatable_fates(res: &Resolution) -> Undefined {
    let mut out = Undefined::default();
    for sid in res.table.primaries() {
        let sym = &res.table.symbols[sid];
        if !sym.is_undefined() || sym.refs.is_empty() {
            continue;
        }
        let fate = match sym.kind {
            SymbolKind::Data | SymbolKind::Section => Fate::Zero,
            _ => {
                let (module, field) = res.import_of(sid);
                Fate::Import { module, field }
            }
        };
        out.fates.insert(sid, fate);
    }
    out
}

fn report(config: &Config, res: &Resolution, live: &LiveSet, diags: &mut Diagnostics) {
    // UND-REPORT: one message per live relocation (measured, wasm-ld 22);
    // `--import-undefined` excuses functions only (wasm-ld `allowUndefined`).
    let (unresolved, import_undefined) = policy(config);
    for u in live.uses.iter().filter(|u| !res.left_lazy.contains(&u.symbol)) {
        let sym = &res.table.symbols[u.symbol];
        // DYN-RELOC (measured, wasm-ld 22; static links too, under every
        // policy): a relative address of an undefined symbol has no value,
        // before the symbol is reported undefined.
        if sym.is_undefined() && matches!(crate::object::reloc_types::narrow(u.ty), wasmparser::RelocationType::MemoryAddrRelSleb | wasmparser::RelocationType::TableIndexRelSleb) {
            let ty = crate::object::reloc_types::info(u.ty).name;
            diags.error(format!("{}: relocation {ty} is not supported against an undefined symbol `{}`", res.files[u.file].name, sym.name));
        }
        // DYN-TLS (measured, wasm-ld 22 and 19, static and PIC links): an
        // offset in the TLS block needs a definition here, weak references
        // included; before the symbol is reported undefined.
        if crate::object::reloc_types::narrow(u.ty) == wasmparser::RelocationType::MemoryAddrTlsSleb && sym.is_undefined() {
            let ty = crate::object::reloc_types::info(u.ty).name;
            let file = &res.files[u.file].name;
            match sym.shared {
                // wasm-ld links it, writing offset 0 of this module's own
                // TLS block (measured): no way to reach the library's variable.
                Some(lib) => diags.error(format!(
                    "{file}: relocation {ty} against `{}` of shared library {}: thread-local data of another module is not supported",
                    sym.name, res.shared_libs[lib].path
                )),
                None => diags.error(format!("{file}: relocation {ty} cannot be used against an undefined symbol `{}`", sym.name)),
            }
        }
        // In PIC output `pic::scan` judges every other relocation (DYN-RELOC).
        if unresolved == UnresolvedPolicy::ImportDynamic && sym.is_undefined() && !config.is_pic() {
            if let Some(msg) = dynamic_relocation_error(res, u) {
                diags.error(msg);
            }
        }
        if !sym.is_undefined() || sym.is_undefined_weak() {
            continue;
        }
        let explicit = res.is_import_by_design(u.symbol);
        if explicit || (import_undefined && sym.kind == SymbolKind::Function) {
            continue;
        }
        let mut msg = format!("{}: undefined symbol: {}", res.files[u.file].name, sym.name);
        for (name, file) in crate::didyoumean::suggestions(res, u.symbol) {
            msg.push_str(&format!("\n>>> did you mean: {name} (defined in {file})"));
        }
        match unresolved {
            UnresolvedPolicy::ReportAll => diags.error(msg),
            UnresolvedPolicy::Warn => diags.warning(msg),
            UnresolvedPolicy::IgnoreAll | UnresolvedPolicy::ImportDynamic => {}
        }
    }
}

/// UND-DYNAMIC (wasm-ld `scanRelocations`): under import-dynamic an
/// undefined symbol (weak ones too) has no address at link time, so an
/// absolute address of it in code is an error:
/// `FILE: relocation R_WASM_X cannot be used against symbol `S`; recompile
/// with -fPIC`. The forms in data (`R_WASM_TABLE_INDEX_I32`,
/// `R_WASM_MEMORY_ADDR_I32`) take GOT imports instead (`pic::scan`,
/// DYN-STATIC-IMPORT-DYNAMIC).
fn dynamic_relocation_error(res: &Resolution, u: &SymbolUse) -> Option<String> {
    use wasmparser::RelocationType as R;
    let sym = &res.table.symbols[u.symbol];
    let file = &res.files[u.file].name;
    let ty = crate::object::reloc_types::info(u.ty).name;
    match crate::object::reloc_types::narrow(u.ty) {
        R::TableIndexSleb | R::MemoryAddrSleb | R::MemoryAddrLeb => Some(format!(
            "{file}: relocation {ty} cannot be used against symbol `{}`; recompile with -fPIC",
            sym.name
        )),
        _ => None,
    }
}

/// SYM-5: every live symbol that an undefined reference of another kind
/// joined (see the module docs), when a live relocation uses that
/// reference, is an error once nothing else stopped the link: wasm-ld
/// reports its uses as undefined symbols under report-all and crashes on
/// it otherwise (measured: a data relocation against a function,
/// `InputChunk::getVA`), so there is no output to match.
/// `NAME: referenced as WASM_SYMBOL_TYPE_DATA in b.o but resolves to a
/// WASM_SYMBOL_TYPE_FUNCTION`.
pub(crate) fn check_mixed_references(config: &Config, res: &Resolution, live: &LiveSet, diags: &mut Diagnostics) {
    let calls_of_data_written = config.quirks.has(Quirk::LazyKindUnchecked);
    let mut sids: Vec<SymbolId> = live.symbols.iter().copied().collect();
    sids.sort_unstable();
    for sid in sids {
        let sym = &res.table.symbols[sid];
        // Only a reference some live relocation uses: wasm-ld links past an
        // unused one (measured on rust-lld 22 and wasm-ld 19, a weak
        // undefined function of an extracted member meeting exported data;
        // found by diff_linkers). One object has one symbol of a name
        // (OBJ-7), so the file tells the reference.
        // QUIRK-LAZY-KIND: a call (FUNCTION_INDEX_LEB) or an address
        // (TABLE_INDEX_*) of a name that ended as data is written as
        // wasm-ld writes it, not refused (measured:
        // found/wasm_ld_lazy_kind_call_of_data,
        // found/wasm_ld_lazy_kind_address_of_data).
        use wasmparser::RelocationType as R;
        let written = |u: &SymbolUse| matches!(crate::object::reloc_types::narrow(u.ty), R::FunctionIndexLeb | R::TableIndexSleb | R::TableIndexI32);
        let refused = |u: &SymbolUse| !(calls_of_data_written && written(u) && sym.kind == SymbolKind::Data);
        let used = |file| live.uses.iter().any(|u| u.symbol == sid && u.file == file && refused(u));
        let other = sym.refs.iter().find(|r| res.files[r.file].symbols[r.sym.index()].kind != sym.kind && used(r.file));
        if let Some(r) = other {
            let kind = res.files[r.file].symbols[r.sym.index()].kind;
            diags.error(format!(
                "{}: referenced as {} in {} but resolves to a {} (wasm-ld crashes on this link)",
                sym.name,
                kind.wasm_name(),
                res.files[r.file].name,
                sym.kind.wasm_name()
            ));
        }
    }
}
