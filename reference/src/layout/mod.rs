//! Output index spaces: types, imports, functions (with synthetic ones and
//! stubs), globals, the indirect function table and exports (rules LAY-*).
//! Memory addresses are in [`memory`].

mod exports;
pub(crate) mod memory;
pub(crate) mod strings;
mod table;

use crate::ids::{DefinedIndex, SymbolIndex};
use crate::config::Config;
use memory::MemoryLayout;
use crate::exports::Exports;
use crate::live::{Chunk, LiveSet};

use crate::object::{ImportKind, Signature, SymbolKind};
use crate::quirks::Quirk;
use crate::resolve::Resolution;
use crate::resolve::{Def, FileId, SymbolId, Synthetic, Target};
use crate::pic::{GotTarget, Pic};
use crate::undefined::{Fate, Undefined};
use rustc_hash::FxHashMap as HashMap;
use wasmparser::{GlobalType, RelocationType, ValType};

/// The name of the indirect function table (Linking.md).
pub(crate) const INDIRECT_TABLE: &str = "__indirect_function_table";

/// An output import.
#[derive(Debug, Clone, PartialEq)]
pub struct OutImport {
    pub module: String,
    pub field: String,
    pub kind: OutImportKind,
}

/// What an output import brings in.
#[derive(Debug, Clone, PartialEq)]
pub enum OutImportKind {
    /// Function of output type index.
    Func(u32),
    Global(GlobalType),
    Table(wasmparser::TableType),
    Memory,
    /// Tag of output type index.
    Tag(u32),
}

/// Where an output function's body comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum FuncBody {
    /// Defined function at position `1` of file `0`.
    Input(FileId, DefinedIndex),
    /// `__wasm_call_ctors`: calls the live init functions in order.
    CallCtors,
    /// `__wasm_init_tls`: sets `__tls_base` and copies `.tdata` there
    /// (LAY-INIT-TLS).
    InitTls,
    /// `__wasm_init_memory` (LAY-INIT-MEMORY): the start function of a
    /// shared-memory module, initialising the memory once.
    InitMemory,
    /// A body of `unreachable`.
    Trap,
    /// CTOR-2: `NAME.command_export`: calls `__wasm_call_ctors` (when
    /// live), function `target` with this function's `params` arguments,
    /// then `__wasm_call_dtors` (when defined).
    CommandExport { target: u32, params: u32 },
    /// DYN-DATA-RELOCS: `__wasm_apply_data_relocs`, storing each pointer of
    /// the data that depends on `__memory_base`/`__table_base` or the GOT.
    ApplyDataRelocs,
    /// DYN-GOT: `__wasm_apply_global_relocs` (the start function), setting
    /// each internal GOT global from `__memory_base`/`__table_base`.
    ApplyGlobalRelocs,
}

/// A function defined in the output.
#[derive(Debug, Clone)]
pub struct OutFunction {
    pub type_index: u32,
    pub body: FuncBody,
    /// Name for the name section.
    pub name: String,
}

/// How an output global is initialised.
#[derive(Debug, Clone, PartialEq)]
pub enum GlobalInit {
    /// The input's constant expression (file, defined global position).
    Input(FileId, DefinedIndex),
    I32(i32),
    /// SIXTYFOUR-LAYOUT: an address in a wasm64 link.
    I64(i64),
}

/// A global defined in the output.
#[derive(Debug, Clone)]
pub struct OutGlobal {
    pub ty: GlobalType,
    pub init: GlobalInit,
    pub name: String,
}

/// The whole output index layout.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub types: Vec<Signature>,
    pub(crate) type_map: HashMap<Signature, u32>,
    pub imports: Vec<OutImport>,
    pub num_imported_funcs: u32,
    pub num_imported_globals: u32,
    pub num_imported_tables: u32,
    pub num_imported_tags: u32,
    /// Names of imported functions, by output function index.
    pub import_func_names: Vec<(u32, String)>,
    /// Names of imported globals, by output global index.
    pub import_global_names: Vec<(u32, String)>,
    pub functions: Vec<OutFunction>,
    /// Output function index of each live defined input function.
    pub func_index: HashMap<(FileId, DefinedIndex), u32>,
    /// Output function index of undefined symbols (imports, stubs) and of
    /// SIG-1 stubs.
    pub symbol_func: HashMap<SymbolId, u32>,
    /// DYN-WEAK-DEF: the import index of each weakly defined function a
    /// side module imports; its calls and table slots name it.
    pub weak_definition_imports: HashMap<SymbolId, u32>,
    pub call_ctors: Option<u32>,
    pub init_tls: Option<u32>,
    /// LAY-INIT-MEMORY: `__wasm_init_memory`, the start function.
    pub init_memory: Option<u32>,
    /// QUIRK-WILD-WRAP: the entry's command wrapper, made before the input
    /// functions (its target is set with the exports).
    pub entry_wrapper: Option<u32>,
    pub globals: Vec<OutGlobal>,
    pub global_index: HashMap<(FileId, DefinedIndex), u32>,
    pub symbol_global: HashMap<SymbolId, u32>,
    pub synthetic_global: HashMap<Synthetic, u32>,
    /// Output tag index of defined tags and tag imports.
    pub tag_index: HashMap<(FileId, DefinedIndex), u32>,
    pub symbol_tag: HashMap<SymbolId, u32>,
    pub tags: Vec<u32>,
    /// The indirect function table, when one is needed.
    pub table: Option<TableLayout>,
    /// DYN-*: position-independent output (`-pie`, `-shared`).
    pub pic: bool,
    /// SIXTYFOUR-LAYOUT: a wasm64 link (`-m wasm64`): addresses and table
    /// offsets are i64.
    pub wasm64: bool,
    /// Output global index of each GOT entry (imported or internal).
    pub got_global: HashMap<GotTarget, u32>,
    /// The internal GOT entries, in order: target, kind (data or
    /// function), output global index.
    pub internal_got: Vec<(GotTarget, SymbolKind, u32)>,
    /// DYN-WEAK: the (module, field) of each imported undefined weak
    /// symbol, in symbol-table order (`dylink.0` IMPORT_INFO).
    pub weak_imports: Vec<(String, String)>,
    /// DYN-TLS: the name and input symbol flags of each exported
    /// thread-local data symbol, in symbol-table order (`dylink.0`
    /// EXPORT_INFO).
    pub tls_exports: Vec<(String, u32)>,
    /// `__wasm_apply_data_relocs`, when the output has it.
    pub apply_data_relocs: Option<u32>,
    /// `__wasm_apply_global_relocs` (the start function), when the output
    /// has it.
    pub apply_global_relocs: Option<u32>,
    pub memory: MemoryLayout,
    /// Exports: name, kind, index.
    pub exports: Vec<(String, wasm_encoder::ExportKind, u32)>,
}

/// The indirect function table: slot `base + i` holds `functions[i]`
/// (slot 0 stays null, LAY-TABLE).
#[derive(Debug, Clone, Default)]
pub struct TableLayout {
    pub base: u32,
    pub functions: Vec<u32>,
    /// Table slot of each defined function, by output function index.
    pub slot: HashMap<u32, u32>,
    /// Table slot of each undefined function symbol that has one (imports,
    /// UND-STUB-SLOT): one per symbol, even when symbols share a function.
    pub symbol_slot: HashMap<SymbolId, u32>,
    /// The table is imported (`--import-table`).
    pub imported: bool,
}

impl TableLayout {
    /// Table size in slots.
    pub fn size(&self) -> u32 {
        self.base + self.functions.len() as u32
    }
}

impl Layout {
    /// SIXTYFOUR-LAYOUT: the type and value of a global holding a memory address
    /// (`__stack_pointer`, `__tls_base`, a data export, a GOT entry): i64
    /// in a wasm64 link (measured, wasm-ld 22 and 19), i32 otherwise.
    pub fn address_global(&self, mutable: bool, value: u32) -> (GlobalType, GlobalInit) {
        if self.wasm64 {
            (GlobalType { content_type: ValType::I64, mutable, shared: false }, GlobalInit::I64(value as i64))
        } else {
            (GlobalType { content_type: ValType::I32, mutable, shared: false }, GlobalInit::I32(value as i32))
        }
    }

    /// The imported `__memory_base` of PIC output.
    pub fn memory_base_global(&self) -> Option<u32> {
        self.synthetic_global.get(&Synthetic::MemoryBase).copied().filter(|_| self.pic)
    }

    /// The output type index of `sig`, interning it.
    pub fn type_index(&mut self, sig: &Signature) -> u32 {
        if let Some(&i) = self.type_map.get(sig) {
            return i;
        }
        let i = self.types.len() as u32;
        self.types.push(sig.clone());
        self.type_map.insert(sig.clone(), i);
        i
    }

    /// The output function index of input symbol `sym` of `file`, `None`
    /// when it has none (a dead or data symbol); for a weak definition a
    /// side module imports, the import (DYN-WEAK-DEF).
    pub fn function_of(&self, res: &Resolution, file: FileId, sym: SymbolIndex) -> Option<u32> {
        let imported = res.file_syms[file][sym.index()].and_then(|sid| self.weak_definition_imports.get(&sid));
        imported.copied().or_else(|| self.body_of(res, file, sym))
    }

    /// The output function index of the body input symbol `sym` of `file`
    /// stands for (what an export names, DYN-WEAK-DEF), `None` when it has
    /// none.
    pub fn body_of(&self, res: &Resolution, file: FileId, sym: SymbolIndex) -> Option<u32> {
        match res.target(file, sym) {
            Target::Defined(f, s) => self.body_of_definition(res, f, s),
            Target::Synthetic(Synthetic::CallCtors) => self.call_ctors,
            Target::Synthetic(Synthetic::InitTls) => self.init_tls,
            Target::Synthetic(_) => None,
            Target::Undefined(sid) | Target::Stub(sid) => self.symbol_func.get(&sid).copied(),
        }
    }

    /// The output function index of the body defined by symbol `sym` of
    /// `file` itself (not what the symbol resolves to: under WRAP-1 a
    /// wrapped definition's own symbol resolves to `__wrap_NAME`).
    pub fn body_of_definition(&self, res: &Resolution, file: FileId, sym: SymbolIndex) -> Option<u32> {
        let obj = &res.files[file];
        let idx = obj.symbols[sym.index()].index;
        let defined = idx.checked_sub(obj.num_imported_funcs())?;
        self.func_index.get(&(file, DefinedIndex(defined))).copied()
    }

    /// The output global index of input symbol `sym` of `file`.
    pub fn global_of(&self, res: &Resolution, file: FileId, sym: SymbolIndex) -> Option<u32> {
        match res.target(file, sym) {
            Target::Defined(f, s) => {
                let obj = &res.files[f];
                let idx = obj.symbols[s.index()].index;
                self.global_index.get(&(f, DefinedIndex(idx.checked_sub(obj.num_imported_globals())?))).copied()
            }
            Target::Synthetic(syn) => self.synthetic_global.get(&syn).copied(),
            Target::Undefined(sid) => self.symbol_global.get(&sid).copied(),
            Target::Stub(_) => None,
        }
    }
}

/// Builds the layout: imports, functions (synthetic ones and stubs
/// first), memory, globals, the table, then the exports' indices.
///
/// Errors (as messages, every one found) only for impossible memory
/// settings (`--initial-memory` too small, and the like).
pub(crate) fn lay_out(config: &Config, res: &Resolution, live: &LiveSet, und: &Undefined, exports: &Exports, pic: &Pic) -> Result<Layout, Vec<String>> {
    let mut l = Layout { pic: config.is_pic(), wasm64: config.wasm64(), ..Layout::default() };
    relocation_types(res, live, &mut l);
    imports(config, res, live, und, pic, &mut l);
    // The memory first: whether `__wasm_init_memory` exists depends on it.
    l.memory = memory::lay_out_memory(config, res, live)?;
    functions(config, res, live, und, exports, pic, &mut l);
    tags(res, live, &mut l);
    table::table(config, res, live, und, pic, &mut l);
    globals(config, res, live, pic, &mut l);
    exports::assign(config, res, exports, &mut l);
    Ok(l)
}

/// LAY-TYPES (wasm-ld `scanRelocations`, `calculateTypes`): the types
/// that live `R_WASM_TYPE_INDEX_LEB` relocations name come first, in the
/// order the relocations name them (file by file, function by function;
/// measured: a file's second type named first comes first); then those
/// of imported and defined functions as they are met.
fn relocation_types(res: &Resolution, live: &LiveSet, l: &mut Layout) {
    for (f, obj) in res.files() {
        for i in (0..obj.functions.len()).filter(|&i| live.is_live(Chunk::Function(f, i.into()))) {
            for r in obj.code_relocs[obj.func_relocs[i].clone()].iter().filter(|r| r.ty == RelocationType::TypeIndexLeb) {
                if let Some(t) = obj.types.get(r.index as usize) {
                    l.type_index(t);
                }
            }
        }
    }
}

/// Imports in wasm-ld's order: the memory, the table, the linker's
/// globals PIC output imports (DYN-IMPORTS: `__stack_pointer` when used,
/// `__memory_base`, `__table_base`), the undefined symbols, then the
/// imported GOT entries (DYN-GOT).
fn imports(config: &Config, res: &Resolution, live: &LiveSet, und: &Undefined, pic: &Pic, l: &mut Layout) {
    if config.import_memory {
        l.imports.push(OutImport { module: "env".into(), field: "memory".into(), kind: OutImportKind::Memory });
    }
    if config.import_table {
        l.imports.push(OutImport {
            module: "env".into(),
            field: "__indirect_function_table".into(),
            kind: OutImportKind::Table(wasmparser::TableType { element_type: wasmparser::RefType::FUNCREF, table64: false, initial: 0, maximum: None, shared: false }),
        });
        l.num_imported_tables += 1;
    }
    if config.is_pic() {
        let i32_mut = GlobalType { content_type: ValType::I32, mutable: true, shared: false };
        let i32_const = GlobalType { content_type: ValType::I32, mutable: false, shared: false };
        let bases = [(Synthetic::MemoryBase, "__memory_base", i32_const), (Synthetic::TableBase, "__table_base", i32_const)];
        // DYN-IMPORTS (measured, wasm-ld 22 and 19): `__stack_pointer` is
        // imported when live: a live relocation uses it, or nothing is
        // collected (`--no-gc-sections` keeps every symbol live).
        let sp_live = pic.uses_stack_pointer || !crate::live::collects(config);
        let sp = sp_live.then_some((Synthetic::StackPointer, "__stack_pointer", i32_mut));
        for (syn, name, ty) in sp.into_iter().chain(bases) {
            let i = l.num_imported_globals;
            l.num_imported_globals += 1;
            l.synthetic_global.insert(syn, i);
            l.import_global_names.push((i, name.into()));
            l.imports.push(OutImport { module: "env".into(), field: name.into(), kind: OutImportKind::Global(ty) });
        }
    }
    let mut seen: HashMap<(String, String, String), u32> = HashMap::default();
    let mut no_map: HashMap<SymbolId, u32> = HashMap::default();
    // DYN-WEAK-DEF: weak definitions a side module imports, among the
    // undefined symbols in symbol-table order (wasm-ld walks its table once).
    let mut weak_defs: Vec<SymbolId> = live.symbols.iter().copied().filter(|&s| crate::pic::imports_weak_definition(config, res, s)).collect();
    weak_defs.sort_unstable();
    let mut weak_defs = weak_defs.into_iter().peekable();
    for (&sid, fate) in &und.fates {
        while let Some(w) = weak_defs.next_if(|&w| w < sid) {
            weak_definition_import(res, w, l);
        }
        let Fate::Import { module, field } = fate else { continue };
        let sym = &res.table.symbols[sid];
        // REL-OUT-TABLE: the indirect function table is imported first
        // (`table::table`), as wasm-ld numbers it table 0.
        if config.relocatable && sym.kind == SymbolKind::Table && sym.name == INDIRECT_TABLE {
            continue;
        }
        let Some(r) = sym.refs.first() else { continue };
        let obj = &res.files[r.file];
        let s = &obj.symbols[r.sym.index()];
        let Some(imp) = obj.import_of(s.kind, s.index) else { continue };
        let kind = match &imp.kind {
            // The symbol's signature (SIG-REPLACE may have changed it).
            ImportKind::Func(t) => OutImportKind::Func(l.type_index(res.symbol_signature(sid).unwrap_or(&obj.types[*t as usize]))),
            ImportKind::Global(g) => OutImportKind::Global(*g),
            ImportKind::Table(t) => OutImportKind::Table(*t),
            ImportKind::Tag(t) => OutImportKind::Tag(l.type_index(&obj.types[*t as usize])),
            ImportKind::Memory(_) => continue,
        };
        // UND-DEDUP: imports equal in (module, field, type) are one import.
        let key = (module.clone(), field.clone(), format!("{kind:?}"));
        let (counter, map): (&mut u32, &mut HashMap<SymbolId, u32>) = match kind {
            OutImportKind::Func(_) => (&mut l.num_imported_funcs, &mut l.symbol_func),
            OutImportKind::Global(_) => (&mut l.num_imported_globals, &mut l.symbol_global),
            OutImportKind::Tag(_) => (&mut l.num_imported_tags, &mut l.symbol_tag),
            _ => (&mut l.num_imported_tables, &mut no_map),
        };
        // QUIRK-ZIG-DEDUP: Zig 0.17 imports each symbol on its own.
        if let Some(&i) = seen.get(&key).filter(|_| !config.quirks.has(Quirk::ImportsNotDeduplicated)) {
            map.insert(sid, i);
            continue;
        }
        let i = *counter;
        *counter += 1;
        map.insert(sid, i);
        seen.insert(key, i);
        match kind {
            OutImportKind::Func(_) => l.import_func_names.push((i, sym.name.clone())),
            OutImportKind::Global(_) => l.import_global_names.push((i, sym.name.clone())),
            _ => {}
        }
        l.imports.push(OutImport { module: module.clone(), field: field.clone(), kind });
    }
    for w in weak_defs {
        weak_definition_import(res, w, l);
    }
    // DYN-WEAK: an imported undefined weak symbol, as a function or
    // through the GOT, is listed once.
    let mut weak: Vec<SymbolId> = und
        .fates
        .iter()
        .filter(|(_, f)| matches!(f, Fate::Import { .. }))
        .map(|(&s, _)| s)
        .chain(pic.got.iter().filter(|e| e.imported).filter_map(|e| match e.target {
            GotTarget::Global(sid) => Some(sid),
            GotTarget::Local(..) => None,
        }))
        .filter(|&s| config.writes_dylink() && res.table.symbols[s].is_undefined_weak())
        .collect();
    weak.sort_unstable();
    weak.dedup();
    l.weak_imports = weak.into_iter().map(|s| res.import_of(s)).collect();
    for e in pic.got.iter().filter(|e| e.imported) {
        let module = if e.kind == SymbolKind::Function { "GOT.func" } else { "GOT.mem" };
        let i = l.num_imported_globals;
        l.num_imported_globals += 1;
        l.got_global.insert(e.target, i);
        l.import_global_names.push((i, e.name.clone()));
        let ty = GlobalType { content_type: ValType::I32, mutable: true, shared: false };
        l.imports.push(OutImport { module: module.into(), field: e.name.clone(), kind: OutImportKind::Global(ty) });
    }
}

/// DYN-WEAK-DEF: the `env` import of weakly defined function `sid`, with
/// the definition's signature.
fn weak_definition_import(res: &Resolution, sid: SymbolId, l: &mut Layout) {
    let sym = &res.table.symbols[sid];
    let Some(sig) = res.symbol_signature(sid) else { return };
    let t = l.type_index(&sig.clone());
    let i = l.num_imported_funcs;
    l.num_imported_funcs += 1;
    l.weak_definition_imports.insert(sid, i);
    l.import_func_names.push((i, sym.name.clone()));
    l.imports.push(OutImport { module: "env".into(), field: sym.name.clone(), kind: OutImportKind::Func(t) });
}

/// For each symbol a live relocation names, the position of the first
/// such relocation in wasm-ld's scan: file by file in load order, each
/// file's live functions, then its live data segments.
fn relocation_scan_order(res: &Resolution, live: &LiveSet) -> HashMap<SymbolId, usize> {
    let mut first: HashMap<SymbolId, usize> = HashMap::default();
    for (f, obj) in res.files() {
        let funcs = (0..obj.functions.len()).filter(|&i| live.is_live(Chunk::Function(f, i.into()))).flat_map(|i| &obj.code_relocs[obj.func_relocs[i].clone()]);
        let segs = (0..obj.segments.len()).filter(|&i| live.is_live(Chunk::Segment(f, i.into()))).flat_map(|i| &obj.data_relocs[obj.segment_relocs[i].clone()]);
        for r in funcs.chain(segs).filter(|r| r.ty != RelocationType::TypeIndexLeb) {
            if let Some(sid) = res.file_syms[f].get(r.index as usize).copied().flatten() {
                let next = first.len();
                first.entry(sid).or_insert(next);
            }
        }
    }
    first
}

fn functions(config: &Config, res: &Resolution, live: &LiveSet, und: &Undefined, exports: &Exports, pic: &Pic, l: &mut Layout) {
    let void = Signature { params: vec![], results: vec![] };
    let push = |l: &mut Layout, f: OutFunction| {
        l.functions.push(f);
        l.num_imported_funcs + l.functions.len() as u32 - 1
    };
    if live.synthetic.contains(&Synthetic::CallCtors) {
        let t = l.type_index(&void);
        l.call_ctors = Some(push(l, OutFunction { type_index: t, body: FuncBody::CallCtors, name: "__wasm_call_ctors".into() }));
    }
    if live.synthetic.contains(&Synthetic::InitTls) {
        let t = l.type_index(&Signature { params: vec![ValType::I32], results: vec![] });
        l.init_tls = Some(push(l, OutFunction { type_index: t, body: FuncBody::InitTls, name: "__wasm_init_tls".into() }));
    }
    let apply_data_relocs = |l: &mut Layout| {
        let t = l.type_index(&void);
        l.apply_data_relocs = Some(push(l, OutFunction { type_index: t, body: FuncBody::ApplyDataRelocs, name: "__wasm_apply_data_relocs".into() }));
    };
    // DYN-DATA-RELOCS, DYN-GOT: after the constructors (measured).
    if config.is_pic() && pic.data_relocs {
        apply_data_relocs(l);
    }
    if config.is_pic() && pic.got.iter().any(|e| !e.imported) {
        let t = l.type_index(&void);
        l.apply_global_relocs = Some(push(l, OutFunction { type_index: t, body: FuncBody::ApplyGlobalRelocs, name: "__wasm_apply_global_relocs".into() }));
    }
    if config.quirks.has(Quirk::CommandWrapperEntryOnly) {
        entry_wrapper(res, exports, l);
    }
    signature_stubs(res, live, l);
    let mut trap_stubs: HashMap<Signature, u32> = HashMap::default();
    // UND-WEAK-FUNC: the weak stubs before the trapping ones (measured,
    // wasm-ld 22: it makes them while resolving, the others while scanning
    // relocations).
    // UND-STUB (measured: found by diff_linkers, a constructor calling one
    // unresolved function after another function called another): the
    // trapping stubs in the order of their first relocation in the scan
    // (file by file, functions before segments), not in symbol order.
    let first_use = relocation_scan_order(res, live);
    let mut fates: Vec<(&SymbolId, &Fate)> = und.fates.iter().collect();
    fates.sort_by_key(|(sid, f)| (**f != Fate::WeakStub, first_use.get(*sid).copied().unwrap_or(usize::MAX)));
    for (&sid, fate) in fates {
        let sym = &res.table.symbols[sid];
        if sym.kind != SymbolKind::Function || !matches!(fate, Fate::WeakStub | Fate::TrapStub | Fate::Error) {
            continue;
        }
        // UND-WEAK-FUNC: the weak stub exists only for direct calls, or
        // with --no-gc-sections (measured); DYN-STATIC: or for a GOT entry
        // of PIC code, which names it (measured, wasm-ld 22).
        let got = |u: &crate::live::SymbolUse| matches!(u.ty, RelocationType::GlobalIndexLeb | RelocationType::GlobalIndexI32);
        if *fate == Fate::WeakStub && crate::live::collects(config) && !live.uses.iter().any(|u| u.symbol == sid && (u.call || got(u))) {
            continue;
        }
        let Some(sig) = res.symbol_signature(sid).cloned() else { continue };
        let t = l.type_index(&sig);
        let idx = match fate {
            Fate::WeakStub => push(l, OutFunction { type_index: t, body: FuncBody::Trap, name: format!("undefined_weak:{}", sym.name) }),
            _ => match trap_stubs.get(&sig) {
                Some(&i) => i,
                None => {
                    let i = push(l, OutFunction { type_index: t, body: FuncBody::Trap, name: "undefined_stub".to_string() });
                    trap_stubs.insert(sig, i);
                    i
                }
            },
        };
        l.symbol_func.insert(sid, idx);
    }
    // LAY-INIT-MEMORY (measured): after `__wasm_call_ctors`,
    // `__wasm_init_tls` and the stubs (wasm-ld makes it once relocations
    // are scanned), when shared memory has data.
    if l.memory.init_memory_flag.is_some() {
        let t = l.type_index(&void);
        l.init_memory = Some(push(l, OutFunction { type_index: t, body: FuncBody::InitMemory, name: "__wasm_init_memory".into() }));
    }
    // DYN-STATIC-IMPORT-DYNAMIC (measured, wasm-ld 22): in a static link it
    // comes after every stub, before the input functions.
    if !config.is_pic() && pic.data_relocs {
        apply_data_relocs(l);
    }
    for (f, obj) in res.files() {
        for (i, func) in obj.functions.iter().enumerate() {
            if !live.is_live(Chunk::Function(f, i.into())) {
                continue;
            }
            let t = l.type_index(&obj.types[func.type_index as usize]);
            // REL-TYPE: call_indirect types need an output type too.
            for r in &obj.code_relocs[obj.func_relocs[i].clone()] {
                if r.ty == RelocationType::TypeIndexLeb {
                    l.type_index(&obj.types[r.index as usize]);
                }
            }
            let name = function_name(res, f, i.into());
            let idx = push(l, OutFunction { type_index: t, body: FuncBody::Input(f, i.into()), name });
            l.func_index.insert((f, i.into()), idx);
        }
    }
}

/// QUIRK-WILD-WRAP: Wild 0.10 makes the entry's command wrapper before the
/// input functions and names it as the entry, which keeps its own name too
/// (measured: found/wild_command_export_skips_dtors), so the canonical
/// forms pair the wrappers up. The wrapper is `() -> ()` and passes no
/// argument whatever the entry's type (measured with `() -> i32` and
/// `(i32) -> i32` entries: an invalid module). Its target is set with the
/// exports (`exports::assign`).
fn entry_wrapper(res: &Resolution, exports: &Exports, l: &mut Layout) {
    let Some(e) = exports.symbols.iter().find(|e| e.command_wrapper) else { return };
    let type_index = l.type_index(&Signature { params: vec![], results: vec![] });
    let body = FuncBody::CommandExport { target: 0, params: 0 };
    l.functions.push(OutFunction { type_index, body, name: res.table.symbols[e.symbol].name.clone() });
    l.entry_wrapper = Some(l.num_imported_funcs + l.functions.len() as u32 - 1);
}

/// SIG-1: a trapping `signature_mismatch:NAME` stub, with the symbol's own
/// signature, for each live SIG-1 stub symbol (in the order the variants
/// were made; before the other stubs, as wasm-ld makes them first).
fn signature_stubs(res: &Resolution, live: &LiveSet, l: &mut Layout) {
    for sid in res.table.variants.iter().flatten().copied() {
        let sym = &res.table.symbols[sid];
        if sym.def != Def::SignatureStub || !live.symbols.contains(&sid) {
            continue;
        }
        let Some(sig) = res.symbol_signature(sid) else { continue };
        let type_index = l.type_index(&sig.clone());
        l.functions.push(OutFunction { type_index, body: FuncBody::Trap, name: format!("signature_mismatch:{}", sym.name) });
        l.symbol_func.insert(sid, l.num_imported_funcs + l.functions.len() as u32 - 1);
    }
}

/// TAG-1: the live defined tags, file by file in input order, after the
/// imported ones; their types are registered after the functions' (as
/// wasm-ld's `calculateTypes` does, measured).
fn tags(res: &Resolution, live: &LiveSet, l: &mut Layout) {
    for (f, obj) in res.files() {
        for (i, &t) in obj.tags.iter().enumerate() {
            if !live.is_live(Chunk::Tag(f, i.into())) {
                continue;
            }
            let ty = l.type_index(&obj.types[t as usize]);
            l.tag_index.insert((f, i.into()), l.num_imported_tags + l.tags.len() as u32);
            l.tags.push(ty);
        }
    }
}

impl Layout {
    /// The output tag index of input symbol `sym` of `file` (REL-TAG).
    pub fn tag_of(&self, res: &Resolution, file: FileId, sym: SymbolIndex) -> Option<u32> {
        match res.target(file, sym) {
            Target::Defined(f, s) => {
                let obj = &res.files[f];
                let pos = obj.symbols[s.index()].index.checked_sub(obj.num_imported_tags())?;
                self.tag_index.get(&(f, DefinedIndex(pos))).copied()
            }
            Target::Undefined(sid) => self.symbol_tag.get(&sid).copied(),
            Target::Synthetic(_) | Target::Stub(_) => None,
        }
    }
}

/// The name of a defined function for the name section: its first
/// defining symbol's name; none without one (OUT-NAMES, as wasm-ld).
fn function_name(res: &Resolution, f: FileId, pos: DefinedIndex) -> String {
    let obj = &res.files[f];
    let idx = pos.0 + obj.num_imported_funcs();
    obj.symbols
        .iter()
        .find(|s| s.kind == SymbolKind::Function && s.is_defined() && s.index == idx)
        .map(|s| s.name.clone())
        .unwrap_or_default()
}

fn globals(config: &Config, res: &Resolution, live: &LiveSet, pic: &Pic, l: &mut Layout) {
    let mut next = l.num_imported_globals;
    let i32_const = GlobalType { content_type: ValType::I32, mutable: false, shared: false };
    let mut add = |l: &mut Layout, g: OutGlobal| {
        l.globals.push(g);
        next += 1;
        next - 1
    };
    let m = l.memory.clone();
    // LAY-TLS-BASE (measured, wasm-ld 22): with shared memory `__tls_base`
    // is mutable and starts at 0 (`__wasm_init_memory` and
    // `__wasm_init_tls` set it); otherwise it is immutable, the TLS block's
    // address.
    let tls_base = if m.shared { l.address_global(true, 0) } else { l.address_global(false, m.tls_base) };
    // SIXTYFOUR-LAYOUT: `__stack_pointer` and `__tls_base` are addresses (i64 in a
    // wasm64 link, measured); `__tls_size` and `__tls_align` exist with
    // shared memory only, which refld refuses in wasm64 links.
    // REL-OUT-SYN: relocatable output defines no synthetic global.
    let synthetics = if config.relocatable { vec![] } else { vec![
        (Synthetic::StackPointer, l.address_global(true, m.stack_pointer), "__stack_pointer"),
        (Synthetic::TlsBase, tls_base, "__tls_base"),
        (Synthetic::TlsSize, (i32_const, GlobalInit::I32(m.tls_size as i32)), "__tls_size"),
        (Synthetic::TlsAlign, (i32_const, GlobalInit::I32(m.tls_align as i32)), "__tls_align"),
    ] };
    for (syn, (ty, init), name) in synthetics {
        // MEM-SP: wasm-ld always writes `__stack_pointer` (measured);
        // QUIRK-WILD-SYN: Wild 0.10 only when a live relocation uses it
        // (measured: found/wild_unused_stack_pointer_dropped).
        // DYN-IMPORTS: PIC output imports `__stack_pointer` (`imports`).
        // DYN-TLS (measured): without shared memory it defines only
        // `__tls_base`, immutable, holding the TLS block's static offset
        // (not rebased by `__memory_base`); the others stay undefined.
        if config.is_pic() {
            if syn == Synthetic::TlsBase && live.synthetic.contains(&syn) {
                let i = add(l, OutGlobal { ty: i32_const, init, name: name.into() });
                l.synthetic_global.insert(syn, i);
            }
            continue;
        }
        let always = syn == Synthetic::StackPointer && !config.quirks.has(Quirk::UnusedSyntheticsDropped);
        // LAY-INIT-MEMORY: `__wasm_init_memory` keeps `__tls_base` (measured:
        // also without TLS data).
        // `__wasm_init_tls` sets it only when there is TLS data (its body
        // is empty otherwise, measured).
        let has_tls = m.segments.iter().any(|s| s.tls);
        let set_by_init = l.init_memory.is_some() || (live.synthetic.contains(&Synthetic::InitTls) && has_tls);
        let needed = always || live.synthetic.contains(&syn) || (syn == Synthetic::TlsBase && set_by_init);
        if needed {
            let i = add(l, OutGlobal { ty, init, name: name.into() });
            l.synthetic_global.insert(syn, i);
        }
    }
    for (f, obj) in res.files() {
        for (i, g) in obj.globals.iter().enumerate() {
            if !live.is_live(Chunk::Global(f, i.into())) {
                continue;
            }
            let idx = i as u32 + obj.num_imported_globals();
            let name = obj
                .symbols
                .iter()
                .find(|s| s.kind == SymbolKind::Global && s.is_defined() && s.index == idx)
                .map(|s| s.name.clone())
                .unwrap_or_default();
            let gi = add(l, OutGlobal { ty: g.ty, init: GlobalInit::Input(f, i.into()), name });
            l.global_index.insert((f, i.into()), gi);
        }
    }
    // DYN-GOT: internal GOT entries after the inputs' globals, each
    // holding the static address or table slot that
    // `__wasm_apply_global_relocs` rebases (measured); DYN-STATIC: outside
    // PIC output, immutable constants.
    // SIXTYFOUR-LAYOUT: i64 constants in a wasm64 link (not measured; PIC
    // output is refused there).
    let got_mutable = config.is_pic();
    for e in pic.got.iter().filter(|e| !e.imported) {
        let (value, prefix) = match e.kind {
            SymbolKind::Function => (got_slot(res, e.target, l), "GOT.func.internal."),
            _ => (got_address(res, e.target, l), "GOT.data.internal."),
        };
        let (ty, init) = l.address_global(got_mutable, value);
        let gi = add(l, OutGlobal { ty, init, name: format!("{prefix}{}", e.name) });
        l.got_global.insert(e.target, gi);
        l.internal_got.push((e.target, e.kind, gi));
    }
}

/// The definition a GOT target stands for, when it has one.
fn got_symbol(res: &Resolution, t: GotTarget) -> Option<(FileId, SymbolIndex)> {
    match t {
        GotTarget::Local(f, s) => Some((f, s)),
        GotTarget::Global(sid) => match res.table.symbols[sid].def {
            Def::Defined { file, sym } => Some((file, sym)),
            _ => None,
        },
    }
}

/// The static (unrebased) address of a data GOT target, 0 without one.
pub(crate) fn got_address(res: &Resolution, t: GotTarget, l: &Layout) -> u32 {
    if let GotTarget::Global(sid) = t {
        if let Def::Synthetic(s) = res.table.symbols[sid].def {
            return l.memory.synthetic_address(s).unwrap_or(0);
        }
    }
    let Some((f, s)) = got_symbol(res, t) else { return 0 };
    match res.target(f, s) {
        Target::Defined(df, ds) => res.files[df].symbols[ds.index()]
            .data
            .and_then(|d| l.memory.data_address(df, DefinedIndex(d.segment), d.offset))
            .unwrap_or(0),
        _ => 0,
    }
}

/// The table slot of a function GOT target, 0 without one.
pub(crate) fn got_slot(res: &Resolution, t: GotTarget, l: &Layout) -> u32 {
    let Some((f, s)) = got_symbol(res, t) else { return 0 };
    let Some(func) = l.function_of(res, f, s) else { return 0 };
    l.table.as_ref().and_then(|t| t.slot.get(&func).copied()).unwrap_or(0)
}
