//! `--gc-sections`: marking what is reachable from the roots by following
//! relocations (rules GC-*).

use crate::ids::{DefinedIndex, SymbolIndex};
use crate::config::Config;
use crate::exports::is_export_root;
use crate::object::{SymbolKind, SEG_RETAIN};
use crate::quirks::Quirk;
use crate::resolve::Resolution;
use crate::resolve::{Def, FileId, SymbolId, Synthetic};
use rustc_hash::FxHashSet as HashSet;
use wasmparser::RelocationType;

/// A piece of an input that is kept or dropped as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Chunk {
    /// A defined function: file and position among its defined functions.
    Function(FileId, DefinedIndex),
    /// A data segment: file and segment index.
    Segment(FileId, DefinedIndex),
    /// A defined global: file and position among its defined globals.
    Global(FileId, DefinedIndex),
    /// A defined tag: file and position.
    Tag(FileId, DefinedIndex),
    /// A defined table: file and position.
    Table(FileId, DefinedIndex),
}

/// How a live relocation uses an undefined symbol (for diagnostics and
/// the signature rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SymbolUse {
    pub symbol: SymbolId,
    pub file: FileId,
    /// The relocation is a direct call (FUNCTION_INDEX_LEB).
    pub call: bool,
    /// The relocation takes the function's table slot.
    pub address_taken: bool,
    /// The relocation's type.
    pub ty: RelocationType,
    /// The chunk holding the relocation: 0 and the function's position, or
    /// 1 and the data segment's (wasm-ld scans a file's functions, then its
    /// data segments).
    pub chunk: (u8, u32),
}

/// What survived garbage collection.
#[derive(Debug, Clone, Default)]
pub struct LiveSet {
    pub chunks: HashSet<Chunk>,
    /// Global symbols that are live (referenced from a live chunk or a root).
    pub symbols: HashSet<SymbolId>,
    pub synthetic: HashSet<Synthetic>,
    /// Files with at least one live definition: their init functions run.
    pub files: Vec<bool>,
    /// Uses of global symbols from live chunks, in file order.
    pub uses: Vec<SymbolUse>,
    /// Requested exports left out all the same (QUIRK-ZIG-EXPORT-REACHED).
    pub unexported: HashSet<SymbolId>,
}

impl LiveSet {
    pub fn is_live(&self, c: Chunk) -> bool {
        self.chunks.contains(&c)
    }
}

struct Marker<'r> {
    res: &'r Resolution,
    live: LiveSet,
    queue: Vec<Chunk>,
}

/// Marks live chunks. Roots (GC-1): the entry, exported symbols
/// (EXPORTED flag, `--export`, `--export-if-defined`, `--export-all`,
/// `--export-dynamic` for non-hidden), NO_STRIP symbols; and of every live
/// file (command-line objects from the start, lazily loaded ones with
/// their first live definition), its init functions and RETAIN segments
/// (GC-2). Marking follows every relocation of a live chunk except
/// TYPE_INDEX_LEB (GC-3). With `--no-gc-sections` every chunk of every
/// loaded file is live (GC-4).
pub(crate) fn mark_live(config: &Config, res: &Resolution) -> LiveSet {
    let mut m = Marker { res, live: LiveSet { files: vec![false; res.files.len()], ..Default::default() }, queue: Vec::new() };
    // `-u` extracts archive members but is not a root (measured, wasm-ld 22).
    for name in config.entry.iter().chain(&config.exports).chain(&config.exports_if_defined) {
        // GC-1: a requested export that is not defined roots nothing: it
        // is not imported because of the request (measured). SIG-EXPORT:
        // nor does a name whose primary symbol became a SIG-1 stub (local
        // to the link, never exported: wasm-ld `isExported`).
        let root = |sid: &SymbolId| {
            let sym = &res.table.symbols[*sid];
            !sym.is_undefined() && (sym.def != Def::SignatureStub || config.entry.as_ref() == Some(name))
        };
        // QUIRK-ZIG-EXPORT-DATA: Zig 0.17 takes no data symbol as a root.
        let data_ignored = |sid: &SymbolId| config.quirks.has(Quirk::DataExportsIgnored) && config.exports.contains(name) && res.table.symbols[*sid].kind == SymbolKind::Data;
        if let Some(sid) = res.table.find(name).filter(root).filter(|s| !data_ignored(s)) {
            m.symbol(sid);
        }
    }
    // SIG-EXPORT: the primary symbols only (wasm-ld's symbol vector); a
    // variant that is not its name's primary symbol is no root.
    for sid in res.table.primaries() {
        let sym = &res.table.symbols[sid];
        let table = sym.def == Def::Synthetic(Synthetic::IndirectFunctionTable);
        let stub = sym.def == Def::SignatureStub;
        if (sym.no_strip && !stub) || (is_export_root(config, res, sid) && !table) {
            m.symbol(sid);
        }
    }
    // DYN-IMPORTS (measured, wasm-ld 22): position-independent output
    // always has `__wasm_call_ctors` and imports both bases.
    if config.is_pic() {
        for name in ["__wasm_call_ctors", "__memory_base", "__table_base"] {
            if let Some(sid) = res.table.find(name) {
                m.symbol(sid);
            }
        }
    }
    // GC-2 (measured): objects named on the command line (not archive
    // members, not `--start-lib` objects) are live from the start; under
    // QUIRK-ZIG-CTORS only with their first live symbol, as members are
    // (measured: corpus/found/zig_constructor_of_unreferenced_object_dropped).
    if !config.quirks.has(Quirk::InitFunctionsNeedLiveObject) {
        for f in res.file_ids().filter(|f| !res.lazy_files.contains(f)) {
            m.file(f);
        }
    }
    // LAY-INIT-TLS (measured, wasm-ld 22): with shared memory the TLS
    // symbols are kept by `--no-gc-sections` and by `--export-all`, the
    // mutable `__tls_base` too when it cannot be exported (no
    // mutable-globals: EXP-4).
    if config.shared_memory && (config.export_all || !collects(config)) {
        for name in crate::resolve::synthetic::SHARED_MEMORY_TLS {
            if let Some(sid) = res.table.find(name).filter(|&s| matches!(res.table.symbols[s].def, Def::Synthetic(_))) {
                m.symbol(sid);
            }
        }
    }
    if !collects(config) {
        // GC-4: `__wasm_call_ctors` too, init functions or not (but
        // QUIRK-WILD-SYN), and every SIG-1 stub, called or not (measured).
        if let Some(sid) = res.table.find("__wasm_call_ctors").filter(|_| !config.quirks.has(Quirk::UnusedSyntheticsDropped)) {
            m.symbol(sid);
        }
        for sid in res.table.variants.iter().flatten().copied() {
            if res.table.symbols[sid].def == Def::SignatureStub {
                m.symbol(sid);
            }
        }
        for f in res.file_ids() {
            m.file(f);
            let obj = &res.files[f];
            for i in 0..obj.functions.len() {
                m.chunk(Chunk::Function(f, i.into()));
            }
            for i in 0..obj.segments.len() {
                m.chunk(Chunk::Segment(f, i.into()));
            }
            for i in 0..obj.globals.len() {
                m.chunk(Chunk::Global(f, i.into()));
            }
            for i in 0..obj.tags.len() {
                m.chunk(Chunk::Tag(f, i.into()));
            }
        }
    }
    if let Some(sid) = res.call_dtors {
        m.symbol(sid);
    }
    while let Some(c) = m.queue.pop() {
        m.scan(c);
    }
    // CTOR-1: with a live init function `__wasm_call_ctors` is live.
    let any_init = res.files().any(|(f, o)| m.live.files[f] && !o.init_funcs.is_empty());
    if any_init {
        if let Some(sid) = res.table.find("__wasm_call_ctors") {
            m.symbol(sid);
            while let Some(c) = m.queue.pop() {
                m.scan(c);
            }
        }
    }
    // UND-REPORT, DYN-TLS: in wasm-ld's relocation scan order (measured:
    // one file's undefined symbols reported in the order its chunks use
    // them), a chunk's relocations in order (the sort is stable).
    m.live.uses.sort_by_key(|u| (u.file, u.chunk));
    m.live.unexported = exports_lost_when_reached(config, res);
    m.live
}

/// QUIRK-ZIG-EXPORT-REACHED: the `--export` names whose export Zig 0.17
/// loses. Zig takes the roots (the entry and the `--export` names defined
/// by a function), first those an input references through an undefined
/// symbol, then the others in definition order (files in load order, each
/// file's symbols in table order), marking what each reaches through
/// relocations; an `--export` root no input references through an
/// undefined symbol that is already reached when its turn comes is marked
/// but not exported (measured:
/// corpus/found/zig_export_of_reached_function_dropped).
/// Under QUIRK-ZIG-EXPORT-DATA every requested data symbol too. Empty
/// without either quirk.
fn exports_lost_when_reached(config: &Config, res: &Resolution) -> HashSet<SymbolId> {
    let mut lost = HashSet::default();
    // QUIRK-ZIG-EXPORT-DATA: no requested data symbol is exported.
    if config.quirks.has(Quirk::DataExportsIgnored) {
        lost.extend(config.exports.iter().filter_map(|n| res.table.find(n)).filter(|&s| res.table.symbols[s].kind == SymbolKind::Data));
    }
    if !config.quirks.has(Quirk::ExportOfReachedFunctionDropped) {
        return lost;
    }
    let names = config.entry.iter().map(|n| (n, true)).chain(config.exports.iter().map(|n| (n, false)));
    let mut roots: Vec<(FileId, SymbolIndex, SymbolId, bool)> = Vec::new();
    for (name, entry) in names {
        let Some(sid) = res.table.find(name) else { continue };
        let sym = &res.table.symbols[sid];
        if let (SymbolKind::Function, &Def::Defined { file, sym: index }) = (sym.kind, &sym.def) {
            if !roots.iter().any(|r| r.2 == sid) {
                roots.push((file, index, sid, entry));
            }
        }
    }
    // Names an input references through an undefined symbol first (Zig
    // flags and marks those while it reads the inputs: symbol-table
    // order), then the others in definition order.
    roots.sort_by_key(|r| if res.table.symbols[r.2].refs.is_empty() { (1, r.0, r.1, r.2) } else { (0, FileId::from(0), SymbolIndex(0), r.2) });
    // Every file counts as live already, so that reaching one adds no init
    // functions: only relocations are followed.
    let mut m = Marker { res, live: LiveSet { files: vec![true; res.files.len()], ..Default::default() }, queue: Vec::new() };
    for (file, index, sid, entry) in roots {
        let obj = &res.files[file];
        let own = Chunk::Function(file, DefinedIndex(obj.symbols[index.index()].index - obj.num_imported_funcs()));
        if m.live.chunks.contains(&own) && !entry && res.table.symbols[sid].refs.is_empty() && !is_export_root(config, res, sid) {
            lost.insert(sid);
        }
        m.symbol(sid);
        while let Some(c) = m.queue.pop() {
            m.scan(c);
        }
    }
    lost
}

/// Whether garbage collection runs (GC-1..GC-3): `--gc-sections`, wasm-ld's
/// default, unless `--no-gc-sections` (GC-4) or QUIRK-WILD-GC: Wild 0.10
/// accepts `--gc-sections` and collects nothing (measured:
/// corpus/found/wild_no_gc_sections, wild_constructor_of_unused_member_runs;
/// dead functions, data, imports, table slots and weak stubs stay, the
/// init functions of every extracted member run). Under QUIRK-ZIG-GC it
/// runs whatever `--no-gc-sections` says (Zig 0.17, measured:
/// corpus/found/zig_no_gc_sections_ignored).
pub(crate) fn collects(config: &Config) -> bool {
    (config.gc_sections || config.quirks.has(Quirk::NoGcSectionsIgnored)) && !config.quirks.has(Quirk::GcSectionsIgnored)
}

impl Marker<'_> {
    fn chunk(&mut self, c: Chunk) {
        if self.live.chunks.insert(c) {
            self.queue.push(c);
        }
    }

    /// A file becomes live with its first live definition (GC-2).
    fn file(&mut self, f: FileId) {
        if self.live.files[f] {
            return;
        }
        self.live.files[f] = true;
        let obj = &self.res.files[f];
        for init in &obj.init_funcs {
            self.file_symbol(f, SymbolIndex(init.symbol));
        }
        for (i, seg) in obj.segments.iter().enumerate() {
            if seg.flags & SEG_RETAIN != 0 {
                self.chunk(Chunk::Segment(f, i.into()));
            }
        }
    }

    fn symbol(&mut self, sid: SymbolId) {
        if !self.live.symbols.insert(sid) {
            return;
        }
        match self.res.table.symbols[sid].def {
            Def::Defined { file, sym } => {
                self.file(file);
                self.defined(file, sym);
            }
            Def::Synthetic(s) => {
                self.live.synthetic.insert(s);
            }
            // A SIG-1 stub has no chunk (and no file to make live).
            Def::Undefined | Def::Lazy { .. } | Def::SignatureStub => {}
        }
    }

    /// Symbol `sym` of file `f`, local or global.
    fn file_symbol(&mut self, f: FileId, sym: SymbolIndex) {
        match self.res.file_syms[f][sym.index()] {
            Some(sid) => self.symbol(sid),
            None => self.defined(f, sym),
        }
    }

    /// The chunk that defines symbol `sym` of file `f`.
    fn defined(&mut self, f: FileId, sym: SymbolIndex) {
        let obj = &self.res.files[f];
        let s = &obj.symbols[sym.index()];
        if s.is_undefined() {
            return;
        }
        let c = match s.kind {
            SymbolKind::Function => Chunk::Function(f, DefinedIndex(s.index - obj.num_imported_funcs())),
            SymbolKind::Data => match s.data {
                Some(d) => Chunk::Segment(f, DefinedIndex(d.segment)),
                None => return,
            },
            SymbolKind::Global => Chunk::Global(f, DefinedIndex(s.index - obj.num_imported_globals())),
            SymbolKind::Tag => Chunk::Tag(f, DefinedIndex(s.index - obj.num_imported_tags())),
            SymbolKind::Table => Chunk::Table(f, DefinedIndex(s.index - obj.num_imported_tables())),
            SymbolKind::Section => return,
        };
        self.chunk(c);
    }

    fn scan(&mut self, c: Chunk) {
        let res = self.res;
        let (f, relocs, chunk) = match c {
            Chunk::Function(f, i) => {
                let obj = &res.files[f];
                (f, &obj.code_relocs[obj.func_relocs[i.index()].clone()], (0, i.index() as u32))
            }
            Chunk::Segment(f, i) => {
                let obj = &res.files[f];
                (f, &obj.data_relocs[obj.segment_relocs[i.index()].clone()], (1, i.index() as u32))
            }
            _ => return,
        };
        for r in relocs {
            if r.ty == RelocationType::TypeIndexLeb {
                continue;
            }
            let address_taken = matches!(crate::object::reloc_types::narrow(r.ty), RelocationType::TableIndexSleb | RelocationType::TableIndexI32);
            if let Some(sid) = res.file_syms[f][r.index as usize] {
                let call = r.ty == RelocationType::FunctionIndexLeb;
                self.live.uses.push(SymbolUse { symbol: sid, file: f, call, address_taken, ty: r.ty, chunk });
                // SIG-1: taking a stub's address (0) does not keep the stub
                // (wasm-ld `MarkLive::mark` skips `isStub` table indices).
                if address_taken && res.table.symbols[sid].def == Def::SignatureStub {
                    continue;
                }
            }
            self.file_symbol(f, SymbolIndex(r.index));
        }
    }
}
