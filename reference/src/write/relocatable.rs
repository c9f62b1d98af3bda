//! Relocatable output (`-r`, REL-OUT-LINKING and the rules beside it): the `linking` section (its
//! symbol table, SEGMENT_INFO, INIT_FUNCS and COMDAT_INFO) and the
//! `reloc.*` sections that keep the output's relocation sites patchable,
//! as wasm-ld's `LinkingSection` and `RelocSection` write them, so that
//! the output links again to what its inputs link to (REL-OUT-ACCEPTED).
//! `--emit-relocs` (EMIT-RELOCS) writes the same sections for a linked
//! module: its live symbols, the linker's own among them.

use crate::ids::{DefinedIndex, SymbolIndex};
use crate::layout::{FuncBody, Layout};
use crate::object::{flags, ObjectFile, Relocation, SectionTarget, SymbolKind};
use crate::relocate::Offsets;
use crate::resolve::{Def, FileId, Resolution, SymbolId, Synthetic};
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;
use wasm_encoder::Encode;
use wasmparser::{RelocAddendKind, RelocationType};

/// Linking.md's version of the `linking` section.
const LINKING_VERSION: u32 = 2;
/// Linking.md subsection ids.
const SEGMENT_INFO: u8 = 5;
const INIT_FUNCS: u8 = 6;
const COMDAT_INFO: u8 = 7;
const SYMBOL_TABLE: u8 = 8;
/// COMDAT_INFO entry kinds.
const COMDAT_DATA: u8 = 0;
const COMDAT_FUNCTION: u8 = 1;

/// Where the written sections went: the section index (counting every
/// section of the output) of the code and data sections and of each
/// output custom section.
#[derive(Debug, Clone, Default)]
pub(crate) struct SectionIndices {
    pub code: Option<u32>,
    pub data: Option<u32>,
    /// By output custom section, in the order written.
    pub customs: Vec<u32>,
}

/// An output custom section: its name and the input sections in it
/// (file, custom index, offset in the output section).
pub(crate) type CustomPieces<'a> = (&'a str, &'a [(FileId, usize, usize)]);

/// What the sections describe: a relocatable object (`-r`) or a linked
/// module (`--emit-relocs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Relocatable,
    Linked,
}

/// The output the sections describe.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Output<'a> {
    pub kind: Kind,
    /// EMIT-RELOCS: the entry's symbol (its hidden visibility is dropped).
    pub entry: Option<SymbolId>,
    /// The live symbols (EMIT-RELOCS: the undefined ones it names).
    pub live: &'a rustc_hash::FxHashSet<SymbolId>,
}

/// One entry of the output symbol table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Global(SymbolId),
    Local(FileId, SymbolIndex),
    /// A SIG-1 `signature_mismatch:NAME` stub a file's references reach.
    Stub(SymbolId),
    /// The section symbol of output custom section `0`.
    Section(usize),
    /// EMIT-RELOCS: an undefined weak function's `undefined_weak:NAME`
    /// stub (UND-WEAK-FUNC), a local function symbol.
    WeakStub(SymbolId),
}

/// The output symbol table (REL-OUT-SYMTAB) and the index of each symbol.
struct SymbolTable {
    entries: Vec<Entry>,
    global: HashMap<SymbolId, u32>,
    local: HashMap<(FileId, SymbolIndex), u32>,
    /// Output custom section of each input custom section: (file, index).
    custom_of: HashMap<(FileId, usize), usize>,
}

/// REL-OUT-SYMTAB (wasm-ld `populateSymtab`, `createCustomSections`):
/// the global symbols in symbol-table order (the order their names were
/// first seen) that an input defines or references, then each file's
/// local symbols (section symbols aside) in file order, a SIG-1 stub at
/// the place of the first reference that reaches it, then one section
/// symbol per output custom section.
fn symbol_table(res: &Resolution, l: &Layout, output: Output<'_>, customs: &[CustomPieces<'_>]) -> SymbolTable {
    let mut t = SymbolTable { entries: Vec::new(), global: HashMap::default(), local: HashMap::default(), custom_of: HashMap::default() };
    // EMIT-RELOCS (measured, wasm-ld 22): the symbols some input defines
    // or references that are in the output, the linker's made before the
    // inputs first (EXP-CTORS-FIRST's order), then symbol-table order.
    let linked = output.kind == Kind::Linked;
    let early = |sid: SymbolId| linked && matches!(res.table.symbols[sid].def, Def::Synthetic(s) if EARLY.contains(&s));
    let order: Vec<SymbolId> = res.table.primaries().filter(|&s| early(s)).chain(res.table.primaries().filter(|&s| !early(s))).collect();
    // The stubs of undefined weak functions, by function index.
    let mut weak_stubs: Vec<(SymbolId, u32)> = l
        .symbol_func
        .iter()
        .filter(|(_, &f)| f.checked_sub(l.num_imported_funcs).and_then(|i| l.functions.get(i as usize)).is_some_and(|f| f.name.starts_with("undefined_weak:")))
        .map(|(&s, &f)| (s, f))
        .collect();
    weak_stubs.sort_by_key(|&(_, f)| f);
    for sid in order {
        let sym = &res.table.symbols[sid];
        let used = match sym.def {
            Def::Defined { file, sym: s } => !linked || in_output(res, l, file, s),
            Def::Synthetic(s) => linked && !sym.refs.is_empty() && synthetic_in_output(l, s, sym.kind),
            _ => sym.is_undefined() && !sym.refs.is_empty() && (!linked || output.live.contains(&sid)),
        };
        if used && linked && weak_stubs.iter().any(|&(s, _)| s == sid) {
            // EMIT-RELOCS (measured): the symbol became its stub's.
            t.entries.push(Entry::WeakStub(sid));
        } else if used {
            t.global.insert(sid, t.entries.len() as u32);
            t.entries.push(Entry::Global(sid));
        }
    }
    for (f, obj) in res.files() {
        for (i, s) in obj.symbols.iter().enumerate() {
            if s.is_local() && s.kind != SymbolKind::Section && s.is_defined() && (!linked || in_output(res, l, f, SymbolIndex(i as u32))) {
                t.local.insert((f, SymbolIndex(i as u32)), t.entries.len() as u32);
                t.entries.push(Entry::Local(f, SymbolIndex(i as u32)));
            }
            // A reference that SIG-1 sent to a stub names the stub, a local
            // symbol there (measured).
            if let Some(sid) = res.file_syms[f][i].filter(|&sid| res.table.symbols[sid].def == Def::SignatureStub) {
                if let std::collections::hash_map::Entry::Vacant(e) = t.global.entry(sid) {
                    e.insert(t.entries.len() as u32);
                    t.entries.push(Entry::Stub(sid));
                }
            }
        }
    }
    // EMIT-RELOCS (measured): the stubs' own file's locals come after the
    // inputs'; relocations name these.
    if linked {
        for &(sid, _) in &weak_stubs {
            if t.entries.contains(&Entry::WeakStub(sid)) {
                t.global.insert(sid, t.entries.len() as u32);
                t.entries.push(Entry::WeakStub(sid));
            }
        }
    }
    for (k, (_, pieces)) in customs.iter().enumerate() {
        for &(f, ci, _) in pieces.iter() {
            t.custom_of.insert((f, ci), k);
        }
        t.entries.push(Entry::Section(k));
    }
    t
}

/// The linker's symbols wasm-ld makes before reading the inputs
/// (EXP-CTORS-FIRST), in that order.
const EARLY: [Synthetic; 6] = [Synthetic::CallCtors, Synthetic::StackPointer, Synthetic::TlsBase, Synthetic::TlsSize, Synthetic::TlsAlign, Synthetic::InitTls];

/// Whether the definition `sym` of `file` is in the output: its function,
/// global or tag written, its data in an output segment.
fn in_output(res: &Resolution, l: &Layout, file: FileId, sym: SymbolIndex) -> bool {
    let s = &res.files[file].symbols[sym.index()];
    match s.kind {
        SymbolKind::Function => l.body_of_definition(res, file, sym).is_some(),
        SymbolKind::Global => l.global_of(res, file, sym).is_some(),
        SymbolKind::Tag => l.tag_index.contains_key(&(file, DefinedIndex(s.index - res.files[file].num_imported_tags()))),
        // MERGE-STRINGS: a string's segment is in a merged chunk.
        SymbolKind::Data => s.data.is_some_and(|d| l.memory.data_address(file, DefinedIndex(d.segment), d.offset).is_some()),
        SymbolKind::Table | SymbolKind::Section => false,
    }
}

/// Whether the linker's symbol `s` (of `kind`) is in the output.
fn synthetic_in_output(l: &Layout, s: Synthetic, kind: SymbolKind) -> bool {
    match kind {
        SymbolKind::Function => match s {
            Synthetic::CallCtors => l.call_ctors.is_some(),
            Synthetic::InitTls => l.init_tls.is_some(),
            _ => false,
        },
        SymbolKind::Global => l.synthetic_global.contains_key(&s),
        SymbolKind::Table => l.table.is_some(),
        SymbolKind::Data => l.memory.synthetic_address(s).is_some(),
        SymbolKind::Tag | SymbolKind::Section => false,
    }
}

impl SymbolTable {
    /// The output symbol index relocation target `sym` of `file` names:
    /// its global symbol, its local symbol, or the section symbol of the
    /// output section its section went to.
    fn index_of(&self, obj: &ObjectFile, res: &Resolution, file: FileId, sym: SymbolIndex) -> Option<u32> {
        let s = obj.symbols.get(sym.index())?;
        if s.kind == SymbolKind::Section {
            let SectionTarget::Custom(ci) = obj.section_target(s.index) else { return None };
            let k = *self.custom_of.get(&(file, ci))?;
            return self.entries.iter().position(|e| *e == Entry::Section(k)).map(|p| p as u32);
        }
        match res.file_syms[file].get(sym.index()).copied().flatten() {
            Some(sid) => self.global.get(&sid).copied(),
            None => self.local.get(&(file, sym)).copied(),
        }
    }
}

/// Where each live input segment went: (output segment, offset in it).
fn segment_places(l: &Layout) -> HashMap<(FileId, DefinedIndex), (u32, u32)> {
    let mut m = HashMap::default();
    for (i, seg) in l.memory.segments.iter().enumerate() {
        for p in &seg.pieces {
            m.insert((p.file, p.segment), (i as u32, p.offset));
        }
    }
    m
}

/// The payload of the `linking` section (REL-OUT-LINKING): version 2,
/// then WASM_SYMBOL_TABLE, WASM_SEGMENT_INFO, WASM_INIT_FUNCS and
/// WASM_COMDAT_INFO, each only when not empty.
fn linking_payload(res: &Resolution, l: &Layout, t: &SymbolTable, sections: &SectionIndices, output: Output<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    LINKING_VERSION.encode(&mut out);
    let places = segment_places(l);
    if !t.entries.is_empty() {
        let mut sub = Vec::new();
        (t.entries.len() as u32).encode(&mut sub);
        for e in &t.entries {
            symbol_entry(res, l, &places, sections, *e, output.entry, &mut sub);
        }
        subsection(&mut out, SYMBOL_TABLE, &sub);
    }
    // REL-OUT-SEGMENTS: each output segment's name, log2 alignment and
    // flags 0: wasm-ld 22 and 19 drop the inputs' TLS, RETAIN and STRINGS
    // flags (measured; LLVM's main branch now carries them).
    if !l.memory.segments.is_empty() {
        let mut sub = Vec::new();
        (l.memory.segments.len() as u32).encode(&mut sub);
        for seg in &l.memory.segments {
            seg.name.as_str().encode(&mut sub);
            seg.alignment.max(1).trailing_zeros().encode(&mut sub);
            0u32.encode(&mut sub);
        }
        subsection(&mut out, SEGMENT_INFO, &sub);
    }
    // EMIT-RELOCS (measured): a linked module has no INIT_FUNCS and no
    // COMDAT_INFO (its `__wasm_call_ctors` runs the constructors).
    if output.kind == Kind::Linked {
        return out;
    }
    // REL-OUT-INIT (wasm-ld `calculateInitFunctions`): every file's init
    // functions, stably sorted by priority, naming output symbols.
    let mut inits: Vec<(u32, u32)> = Vec::new();
    for (f, obj) in res.files() {
        for init in &obj.init_funcs {
            if let Some(i) = t.index_of(obj, res, f, SymbolIndex(init.symbol)) {
                inits.push((init.priority, i));
            }
        }
    }
    inits.sort_by_key(|&(p, _)| p);
    if !inits.is_empty() {
        let mut sub = Vec::new();
        (inits.len() as u32).encode(&mut sub);
        for (priority, sym) in inits {
            priority.encode(&mut sub);
            sym.encode(&mut sub);
        }
        subsection(&mut out, INIT_FUNCS, &sub);
    }
    let comdats = comdat_groups(res, l);
    if !comdats.is_empty() {
        let mut sub = Vec::new();
        (comdats.len() as u32).encode(&mut sub);
        for (name, entries) in &comdats {
            name.as_str().encode(&mut sub);
            0u32.encode(&mut sub);
            (entries.len() as u32).encode(&mut sub);
            for &(kind, index) in entries {
                sub.push(kind);
                index.encode(&mut sub);
            }
        }
        subsection(&mut out, COMDAT_INFO, &sub);
    }
    out
}

/// REL-OUT-COMDAT (wasm-ld `LinkingSection::writeBody`): by group name
/// (byte order), the output functions of the group in index order, then
/// its output data segments. Every input's copy is in the output (no
/// garbage collection: a COMDAT-1 discarded copy stays, measured).
fn comdat_groups(res: &Resolution, l: &Layout) -> BTreeMap<String, Vec<(u8, u32)>> {
    let mut groups: BTreeMap<String, Vec<(u8, u32)>> = BTreeMap::new();
    for (i, f) in l.functions.iter().enumerate() {
        let FuncBody::Input(file, pos) = f.body else { continue };
        let obj = &res.files[file];
        let index = pos.0 + obj.num_imported_funcs();
        if let Some(c) = obj.comdats.iter().find(|c| c.functions.contains(&index)) {
            groups.entry(c.name.clone()).or_default().push((COMDAT_FUNCTION, l.num_imported_funcs + i as u32));
        }
    }
    for (i, seg) in l.memory.segments.iter().enumerate() {
        if let Some(c) = &seg.comdat {
            groups.entry(c.clone()).or_default().push((COMDAT_DATA, i as u32));
        }
    }
    groups
}

/// One WASM_SYMBOL_TABLE entry (REL-OUT-SYMTAB): kind, flags (the
/// defining input symbol's; an undefined symbol's first reference's, with
/// the symbol's binding), then the index in its space and the name
/// (undefined symbols without EXPLICIT_NAME have none), or for data the
/// name and, when defined, output segment, offset in it and size.
fn symbol_entry(res: &Resolution, l: &Layout, places: &HashMap<(FileId, DefinedIndex), (u32, u32)>, sections: &SectionIndices, e: Entry, entry: Option<SymbolId>, out: &mut Vec<u8>) {
    if let Entry::Global(sid) = e {
        if let Def::Synthetic(s) = res.table.symbols[sid].def {
            synthetic_entry(res, l, sid, s, out);
            return;
        }
    }
    let (file, sym, flags, name) = match e {
        Entry::Section(k) => {
            out.push(3);
            flags::BINDING_LOCAL.encode(out);
            sections.customs.get(k).copied().unwrap_or(0).encode(out);
            return;
        }
        Entry::WeakStub(sid) => {
            out.push(0);
            (flags::BINDING_LOCAL | flags::VISIBILITY_HIDDEN).encode(out);
            l.symbol_func.get(&sid).copied().unwrap_or(0).encode(out);
            format!("undefined_weak:{}", res.table.symbols[sid].name).as_str().encode(out);
            return;
        }
        Entry::Stub(sid) => {
            out.push(0);
            flags::BINDING_LOCAL.encode(out);
            l.symbol_func.get(&sid).copied().unwrap_or(0).encode(out);
            format!("signature_mismatch:{}", res.table.symbols[sid].name).as_str().encode(out);
            return;
        }
        Entry::Local(f, s) => (f, s, res.files[f].symbols[s.index()].flags, res.files[f].symbols[s.index()].name.as_str()),
        Entry::Global(sid) => {
            let g = &res.table.symbols[sid];
            let (f, s, fl) = match g.def {
                Def::Defined { file, sym } => (file, sym, res.files[file].symbols[sym.index()].flags),
                _ => {
                    let Some(r) = g.refs.first() else { return };
                    let fl = res.files[r.file].symbols[r.sym.index()].flags & !flags::BINDING_WEAK;
                    (r.file, r.sym, fl | if g.weak { flags::BINDING_WEAK } else { 0 })
                }
            };
            // EMIT-RELOCS (measured): the entry loses its hidden visibility;
            // a function CTOR-2 wraps is hidden and no longer EXPORTED.
            let wrapped = g.kind == SymbolKind::Function && l.body_of_definition(res, f, s).is_some_and(|i| wrapped_by_command_export(l, i));
            let fl = if wrapped {
                (fl | flags::VISIBILITY_HIDDEN) & !flags::EXPORTED
            } else if entry == Some(sid) {
                fl & !flags::VISIBILITY_HIDDEN
            } else {
                fl
            };
            (f, s, fl, g.name.as_str())
        }
    };
    let s = &res.files[file].symbols[sym.index()];
    let kind = match s.kind {
        SymbolKind::Function => 0u8,
        SymbolKind::Data => 1,
        SymbolKind::Global => 2,
        SymbolKind::Section => 3,
        SymbolKind::Tag => 4,
        SymbolKind::Table => 5,
    };
    out.push(kind);
    flags.encode(out);
    let defined = flags & flags::UNDEFINED == 0;
    let with_name = defined || flags & flags::EXPLICIT_NAME != 0;
    let index = |out: &mut Vec<u8>, i: Option<u32>| i.unwrap_or(0).encode(out);
    let global = match e {
        Entry::Global(sid) => Some(sid),
        _ => None,
    };
    match s.kind {
        SymbolKind::Function => index(out, if defined { l.body_of_definition(res, file, sym) } else { global.and_then(|g| l.symbol_func.get(&g).copied()) }),
        SymbolKind::Global => index(out, if defined { l.global_of(res, file, sym) } else { global.and_then(|g| l.symbol_global.get(&g).copied()) }),
        SymbolKind::Tag => index(out, if defined { l.tag_index.get(&(file, DefinedIndex(s.index - res.files[file].num_imported_tags()))).copied() } else { global.and_then(|g| l.symbol_tag.get(&g).copied()) }),
        // REL-OUT-TABLE: the indirect function table is table 0.
        SymbolKind::Table => index(out, Some(0)),
        SymbolKind::Data => {
            name.encode(out);
            if defined {
                // MERGE-STRINGS (linked output): where the string went in
                // its output segment.
                let merged = |d: crate::object::DataRef| {
                    let addr = l.memory.data_address(file, DefinedIndex(d.segment), d.offset)?;
                    let i = l.memory.segments.iter().position(|s| addr >= s.address && addr < s.address + s.size.max(1))?;
                    Some((i as u32, addr - l.memory.segments[i].address))
                };
                let (seg, offset) = s.data.and_then(|d| places.get(&(file, DefinedIndex(d.segment))).map(|&(i, o)| (i, o + d.offset)).or_else(|| merged(d))).unwrap_or((0, 0));
                seg.encode(out);
                offset.encode(out);
                s.data.map_or(0, |d| d.size).encode(out);
            }
            return;
        }
        SymbolKind::Section => index(out, None),
    }
    if with_name {
        name.encode(out);
    }
}

/// Whether function `index` has a CTOR-2 `NAME.command_export` wrapper.
fn wrapped_by_command_export(l: &Layout, index: u32) -> bool {
    l.functions.iter().any(|f| matches!(f.body, FuncBody::CommandExport { target, .. } if target == index))
}

/// EMIT-RELOCS (measured, wasm-ld 22): a linker symbol's entry: hidden
/// (but `__stack_pointer`); a data symbol absolute, "segment 0", its
/// address as the offset, size 0.
fn synthetic_entry(res: &Resolution, l: &Layout, sid: SymbolId, s: Synthetic, out: &mut Vec<u8>) {
    let sym = &res.table.symbols[sid];
    let hidden = if s == Synthetic::StackPointer { 0 } else { flags::VISIBILITY_HIDDEN };
    let name = sym.name.as_str();
    match sym.kind {
        SymbolKind::Function => {
            out.push(0);
            hidden.encode(out);
            let f = if s == Synthetic::InitTls { l.init_tls } else { l.call_ctors };
            f.unwrap_or(0).encode(out);
        }
        SymbolKind::Global => {
            out.push(2);
            hidden.encode(out);
            l.synthetic_global.get(&s).copied().unwrap_or(0).encode(out);
        }
        SymbolKind::Table => {
            out.push(5);
            hidden.encode(out);
            0u32.encode(out);
        }
        SymbolKind::Data => {
            out.push(1);
            (hidden | flags::ABSOLUTE).encode(out);
            name.encode(out);
            0u32.encode(out);
            l.memory.synthetic_address(s).unwrap_or(0).encode(out);
            0u32.encode(out);
            return;
        }
        SymbolKind::Tag | SymbolKind::Section => return,
    }
    name.encode(out);
}

fn subsection(out: &mut Vec<u8>, id: u8, payload: &[u8]) {
    out.push(id);
    payload.encode(out);
}

/// REL-OUT-LINKING, REL-OUT-RELOC: the `linking` section and the
/// `reloc.CODE`, `reloc.DATA`, `reloc.NAME` sections, in that order, as
/// (name, payload). `offsets` says where function bodies and input custom
/// sections went; `customs` lists the output custom sections.
pub(crate) fn sections(config: &crate::config::Config, res: &Resolution, l: &Layout, offsets: &Offsets, customs: &[CustomPieces<'_>], indices: &SectionIndices, output: Output<'_>) -> Vec<(String, Vec<u8>)> {
    let t = symbol_table(res, l, output, customs);
    let mut out = vec![("linking".to_string(), linking_payload(res, l, &t, indices, output))];
    let mut w = RelocWriter { res, l, t: &t, offsets, kind: output.kind, collected: crate::live::collects(config), entries: Vec::new(), count: 0 };
    // REL-OUT-RELOC: code relocations, function by function in output order.
    for (i, f) in l.functions.iter().enumerate() {
        let FuncBody::Input(file, pos) = f.body else { continue };
        let obj = &res.files[file];
        let Some(&body) = offsets.code.get(&(l.num_imported_funcs + i as u32)) else { continue };
        let start = obj.functions[pos.index()].body.start - obj.code_payload;
        for r in &obj.code_relocs[obj.func_relocs[pos.index()].clone()] {
            w.push(file, r, (body as usize + r.offset as usize - start) as u32);
        }
    }
    w.finish("reloc.CODE", indices.code, &mut out);
    // Data relocations, segment by segment, piece by piece.
    for (seg, start) in l.memory.segments.iter().zip(super::data_starts(config, l)) {
        let Some(start) = start else { continue };
        for p in &seg.pieces {
            let obj = &res.files[p.file];
            let s = &obj.segments[p.segment.index()];
            for r in &obj.data_relocs[obj.segment_relocs[p.segment.index()].clone()] {
                w.push(p.file, r, start + p.offset + (r.offset - s.section_offset as u32));
            }
        }
    }
    w.finish("reloc.DATA", indices.data, &mut out);
    for (k, (name, pieces)) in customs.iter().enumerate() {
        for &(f, ci, start) in pieces.iter() {
            for r in &res.files[f].customs[ci].relocs {
                w.push(f, r, start as u32 + r.offset);
            }
        }
        w.finish(&format!("reloc.{name}"), indices.customs.get(k).copied(), &mut out);
    }
    out
}

/// Collects one `reloc.*` section's entries.
struct RelocWriter<'a> {
    res: &'a Resolution,
    l: &'a Layout,
    t: &'a SymbolTable,
    offsets: &'a Offsets,
    kind: Kind,
    collected: bool,
    entries: Vec<u8>,
    count: u32,
}

impl RelocWriter<'_> {
    /// REL-OUT-RELOC (wasm-ld `writeRelocations`): type, offset in the
    /// output section, the output symbol index (an output type index for
    /// TYPE_INDEX_LEB), and the addend, moved by the input section's offset
    /// in its output section for SECTION_OFFSET_I32.
    fn push(&mut self, file: FileId, r: &Relocation, offset: u32) {
        // EMIT-RELOCS (measured, wasm-ld 22): with garbage collection (no
        // section symbol is live) a linked module keeps no SECTION_OFFSET
        // relocation (debug sections' references to each other), though it
        // keeps the section symbols; `--no-gc-sections` keeps them.
        if self.kind == Kind::Linked && self.collected && r.ty == RelocationType::SectionOffsetI32 {
            return;
        }
        let obj = &self.res.files[file];
        let index = if r.ty == RelocationType::TypeIndexLeb {
            obj.types.get(r.index as usize).and_then(|sig| self.l.type_map.get(sig).copied())
        } else {
            self.t.index_of(obj, self.res, file, SymbolIndex(r.index))
        };
        let Some(index) = index else { return };
        (r.ty as u8 as u32).encode(&mut self.entries);
        offset.encode(&mut self.entries);
        index.encode(&mut self.entries);
        if r.ty.addend_kind() != RelocAddendKind::None {
            let mut addend = r.addend;
            if r.ty == RelocationType::SectionOffsetI32 {
                if let Some(s) = obj.symbols.get(r.index as usize) {
                    if let SectionTarget::Custom(ci) = obj.section_target(s.index) {
                        let start = self.offsets.custom.get(&(file, ci)).copied().unwrap_or(0) as i64;
                        // MERGE-STRINGS: where the string at the addend went.
                        addend = match self.offsets.custom_merged.get(&(file, ci)) {
                            Some(map) => start + u32::try_from(addend).ok().and_then(|a| crate::layout::strings::translate(map, a)).unwrap_or(0) as i64,
                            None => start + addend,
                        };
                    }
                }
            }
            addend.encode(&mut self.entries);
        }
        self.count += 1;
    }

    /// Ends the section `name` of output section `target`: written when it
    /// has entries.
    fn finish(&mut self, name: &str, target: Option<u32>, out: &mut Vec<(String, Vec<u8>)>) {
        let entries = std::mem::take(&mut self.entries);
        let count = std::mem::replace(&mut self.count, 0);
        let Some(target) = target.filter(|_| count > 0) else { return };
        let mut payload = Vec::new();
        target.encode(&mut payload);
        count.encode(&mut payload);
        payload.extend(entries);
        out.push((name.to_string(), payload));
    }
}
