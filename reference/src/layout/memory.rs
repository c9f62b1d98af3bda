//! Linear memory layout: output data segments, the stack, the heap and the
//! linker-defined data symbols (rules MEM-*). wasm-ld's defaults.

use crate::config::Config;
use crate::live::{Chunk, LiveSet};
use crate::object::{SegmentDef, SEG_STRINGS, SEG_TLS};
use super::strings::{self, PieceMap};
use crate::resolve::Resolution;
use crate::ids::DefinedIndex;
use crate::resolve::{Def, FileId, Synthetic};
use rustc_hash::FxHashMap as HashMap;

/// One input segment placed in an output segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub file: FileId,
    pub segment: DefinedIndex,
    /// Offset from the output segment's start, bytes.
    pub offset: u32,
}

/// An output data segment: input segments of one output name.
#[derive(Debug, Clone)]
pub struct OutSegment {
    /// `.tdata`, `.rodata`, `.data`, `.bss` or an input segment's own name.
    pub name: String,
    /// Start address, bytes.
    pub address: u32,
    /// Size, bytes.
    pub size: u32,
    /// Alignment, bytes: the largest of its pieces.
    pub alignment: u32,
    pub pieces: Vec<Piece>,
    /// Thread-local data.
    pub tls: bool,
    /// Bytes the data section holds: `size`, less a zero-filled `.bss`
    /// tail in PIC output whose memory is not imported (DYN-MEMORY).
    pub written: u32,
    /// MERGE-STRINGS: the merged string chunks, one per SEGMENT_INFO flags
    /// value of its inputs, each where the first of its inputs was.
    pub merged: Vec<MergedChunk>,
    /// REL-OUT-DATA: relocatable output writes `.bss` segments too.
    pub keep_bss: bool,
    /// REL-OUT-COMDAT: the COMDAT group of its input segment, in
    /// relocatable output (where such segments stay apart).
    pub comdat: Option<String>,
}

/// MERGE-STRINGS: the strings of the mergeable input segments of one
/// output segment with the same flags, pooled (wasm-ld's
/// `SyntheticMergedChunk`).
#[derive(Debug, Clone)]
pub struct MergedChunk {
    /// Offset from the output segment's start, bytes.
    pub offset: u32,
    pub bytes: Vec<u8>,
    /// The input segments merged here, in input order.
    pub inputs: Vec<(FileId, DefinedIndex)>,
}

/// Addresses of memory, in bytes unless said.
#[derive(Debug, Clone, Default)]
pub struct MemoryLayout {
    pub segments: Vec<OutSegment>,
    /// Address of each live input segment (bytes); of its merged chunk
    /// for a merged one (MERGE-STRINGS; see [`MemoryLayout::data_address`]).
    pub segment_address: HashMap<(FileId, DefinedIndex), u32>,
    /// MERGE-STRINGS: per merged input segment, where its strings went in
    /// its merged chunk.
    pub merged_pieces: HashMap<(FileId, DefinedIndex), PieceMap>,
    pub global_base: u32,
    pub data_end: u32,
    pub stack_low: u32,
    pub stack_high: u32,
    /// Initial `__stack_pointer`: the top of the stack.
    pub stack_pointer: u32,
    pub heap_base: u32,
    pub heap_end: u32,
    /// `--table-base`, for `__table_base`.
    pub table_base: u32,
    pub tls_base: u32,
    pub tls_size: u32,
    pub tls_align: u32,
    /// Initial memory, pages of `page_size` bytes.
    pub initial_pages: u64,
    /// OPT-PAGE-SIZE: the page size, bytes (65536 unless `--page-size=1`).
    pub page_size: u64,
    /// Maximum memory, pages, when set.
    pub max_pages: Option<u64>,
    /// MEM-SHARED: `--shared-memory`: a shared memory whose segments are
    /// passive (LAY-INIT-MEMORY).
    pub shared: bool,
    /// LAY-INIT-MEMORY: the address of `__wasm_init_memory`'s 4-byte flag,
    /// when the output has that function.
    pub init_memory_flag: Option<u32>,
}

impl OutSegment {
    /// OUT-BSS, LAY-INIT-MEMORY: whether the data section holds this
    /// segment: a `.bss` segment is zero-filled instead (by the memory
    /// itself, or by `__wasm_init_memory` with shared memory) unless memory
    /// is imported without being shared.
    pub fn is_written(&self, import_memory: bool, shared: bool) -> bool {
        self.keep_bss || !self.name.starts_with(".bss") || (import_memory && !shared)
    }
}

impl MemoryLayout {
    /// The address (bytes) of byte `offset` of live input segment `seg`
    /// of `file`: its segment's address plus the offset, or for a merged
    /// string segment (MERGE-STRINGS) the address of the string holding
    /// that byte plus the byte's place in it. `None` for a segment not in
    /// the output.
    pub fn data_address(&self, file: FileId, seg: DefinedIndex, offset: u32) -> Option<u32> {
        let base = *self.segment_address.get(&(file, seg))?;
        match self.merged_pieces.get(&(file, seg)) {
            Some(map) => strings::translate(map, offset).map(|o| base + o),
            None => Some(base + offset),
        }
    }

    /// The address of a linker-defined data symbol (MEM-SYN).
    pub fn synthetic_address(&self, s: Synthetic) -> Option<u32> {
        Some(match s {
            Synthetic::DataEnd => self.data_end,
            Synthetic::HeapBase => self.heap_base,
            Synthetic::HeapEnd => self.heap_end,
            // MEM-SYN: wasm-ld points `__dso_handle` at the start of the data.
            Synthetic::DsoHandle => self.global_base,
            Synthetic::GlobalBase => self.global_base,
            Synthetic::StackLow => self.stack_low,
            Synthetic::StackHigh => self.stack_high,
            Synthetic::MemoryBase => 0,
            Synthetic::TableBase => self.table_base,
            // OPT-PAGE-SIZE: the end of the first page is the page size.
            Synthetic::FirstPageEnd => self.page_size as u32,
            _ => return None,
        })
    }
}

/// MEM-NAME: the output segment an input segment goes to. TLS segments all
/// go to `.tdata`; `.text.*`, `.data.*`, `.bss.*`, `.rodata.*` merge into
/// their prefix; any other name is its own segment. OPT-MERGE-SEGMENTS:
/// with `merge` false (`--no-merge-data-segments`) every name is its own.
pub fn output_segment_name(name: &str, flags: u32, merge: bool) -> String {
    if flags & SEG_TLS != 0 {
        return ".tdata".into();
    }
    if !merge {
        return name.into();
    }
    for p in [".text", ".data", ".bss", ".rodata"] {
        if name.starts_with(&format!("{p}.")) {
            return p.into();
        }
    }
    name.into()
}

/// MEM-ORDER: `.tdata` first, then `.rodata*`, `.data*`, other names, `.bss*` last.
fn order(name: &str) -> u8 {
    if name.starts_with(".tdata") {
        0
    } else if name.starts_with(".rodata") {
        1
    } else if name.starts_with(".data") {
        2
    } else if name.starts_with(".bss") {
        4
    } else {
        3
    }
}

fn align(v: u64, a: u64) -> u64 {
    v.div_ceil(a.max(1)) * a.max(1)
}

/// Lays out memory. With `--stack-first` (wasm-ld 22's default) the stack
/// of `-z stack-size` bytes (64 KiB) comes first, from 0, then the data
/// (MEM-STACK-FIRST); with `--no-stack-first` data from `--global-base`
/// (1024), then the 16-aligned stack (MEM-LAYOUT); then the heap.
/// Initial pages: enough for everything up to `__heap_base` unless
/// `--initial-memory` (MEM-PAGES).
///
/// With `--shared-memory` and data, `__wasm_init_memory`'s 4-byte flag
/// follows the data, 4-aligned, before `__data_end` (LAY-INIT-MEMORY).
///
/// Errors (every one found, MEM-PAGES): `--initial-memory`/`--max-memory`
/// not page multiples or too small; data beyond 4 GiB.
pub fn lay_out_memory(config: &Config, res: &Resolution, live: &LiveSet) -> Result<MemoryLayout, Vec<String>> {
    let mut segs: Vec<OutSegment> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::default();
    for (f, obj) in res.files() {
        for (i, s) in obj.segments.iter().enumerate() {
            if !live.is_live(Chunk::Segment(f, i.into())) {
                continue;
            }
            // REL-OUT-DATA (wasm-ld `createOutputSegments`, measured): with
            // -r only TLS segments merge (into `.tdata`) and segments of
            // one name; a COMDAT group's segment stays alone.
            let name = if config.relocatable && s.flags & SEG_TLS == 0 { s.name.clone() } else { output_segment_name(&s.name, s.flags, config.merge_data_segments) };
            let comdat = config.relocatable.then(|| obj.comdats.iter().find(|c| c.segments.contains(&(i as u32))).map(|c| c.name.clone())).flatten();
            let new = OutSegment { name: name.clone(), address: 0, size: 0, alignment: 1, pieces: vec![], tls: s.flags & SEG_TLS != 0, written: 0, merged: vec![], keep_bss: config.relocatable || config.emit_relocs, comdat: comdat.clone() };
            let idx = if comdat.is_some() {
                segs.push(new);
                segs.len() - 1
            } else {
                *by_name.entry(name.clone()).or_insert_with(|| {
                    segs.push(new);
                    segs.len() - 1
                })
            };
            let out = &mut segs[idx];
            let offset = align(out.size as u64, s.alignment as u64);
            out.alignment = out.alignment.max(s.alignment);
            out.size = (offset + s.data.len() as u64) as u32;
            out.pieces.push(Piece { file: f, segment: i.into(), offset: offset as u32 });
        }
    }
    segs.sort_by_key(|s| order(&s.name));
    let mut merged_pieces = HashMap::default();
    // MERGE-STRINGS (measured, wasm-ld 22): relocatable output keeps its
    // string segments apart (REL-OUT-DATA); only custom sections merge.
    if config.merges_strings() && !config.relocatable {
        for s in &mut segs {
            merge_strings(res, s, &mut merged_pieces);
        }
    }
    if !segs.is_empty() && !res.defines_memory(config.quirks) {
        // QUIRK-WILD-MEM: Wild 0.10 stops with `Wasm memory index 0 out of
        // range` (measured); refld says why.
        return Err(vec!["data segments but no memory: no input imports one (--quirk memory-only-when-imported)".into()]);
    }
    if config.is_pic() {
        return pic_memory(config, segs, merged_pieces).map_err(|e| vec![e]);
    }
    let page = config.page_size();
    let mut m = MemoryLayout { table_base: config.table_base(), shared: config.shared_memory, merged_pieces, page_size: page, ..Default::default() };
    let stack_align = 16;
    let mut ptr: u64 = 0;
    // REL-OUT-MEMORY (wasm-ld `layoutMemory`): relocatable output has no
    // stack; its data starts at 0.
    if config.relocatable {
        m.global_base = 0;
    } else if config.stack_first {
        ptr = align(ptr, stack_align);
        m.stack_low = ptr as u32;
        ptr += config.stack_size;
        m.stack_high = ptr as u32;
        m.stack_pointer = ptr as u32;
        if let Some(gb) = config.global_base {
            if gb < ptr {
                return Err(vec!["--global-base cannot be less than stack size when --stack-first is used".into()]);
            }
            ptr = gb;
        }
        m.global_base = ptr as u32;
    } else {
        ptr = config.global_base.unwrap_or(1024);
        m.global_base = ptr as u32;
    }
    for s in &mut segs {
        ptr = align(ptr, s.alignment as u64);
        s.address = ptr as u32;
        for p in &s.pieces {
            m.segment_address.insert((p.file, p.segment), s.address + p.offset);
        }
        for c in &s.merged {
            for &input in &c.inputs {
                m.segment_address.insert(input, s.address + c.offset);
            }
        }
        if s.tls {
            m.tls_base = s.address;
            m.tls_size = s.size;
            m.tls_align = s.alignment;
        }
        ptr += s.size as u64;
    }
    // LAY-INIT-TLS (measured, wasm-ld 22 and 19): without TLS data
    // `__tls_align` stays 0, like `__tls_size`.
    if !segs.iter().any(|s| s.tls) {
        // wasm-ld: without TLS data `__tls_base` is the start of the data.
        m.tls_base = m.global_base;
    }
    // LAY-INIT-MEMORY (measured, wasm-ld 22 and 19): the flag follows the
    // data (`.bss` included), 4-aligned; `__data_end` comes after it.
    if config.shared_memory && !segs.is_empty() {
        ptr = align(ptr, 4);
        m.init_memory_flag = Some(ptr as u32);
        ptr += 4;
    }
    m.data_end = ptr as u32;
    if !config.stack_first && !config.relocatable {
        ptr = align(ptr, stack_align);
        m.stack_low = ptr as u32;
        ptr += config.stack_size;
        m.stack_high = ptr as u32;
        m.stack_pointer = ptr as u32;
    }
    // MEM-LAYOUT: the heap is 16-aligned only when `__heap_base` is made
    // (measured: otherwise the memory ends right after the data or stack).
    let heap_base_made = res.table.find("__heap_base").is_some_and(|s| res.table.symbols[s].def == Def::Synthetic(Synthetic::HeapBase));
    if heap_base_made {
        ptr = align(ptr, stack_align);
    }
    m.heap_base = ptr as u32;
    if ptr > u32::MAX as u64 {
        return Err(vec![format!("memory layout needs {ptr} bytes, more than 4 GiB")]);
    }
    // MEM-PAGES (measured, wasm-ld 22): every error is reported; the
    // initial size is checked against the end of the layout, the maximum
    // against the initial size in whole pages (OPT-PAGE-SIZE: of
    // `--page-size` bytes).
    let mut errors = Vec::new();
    // OPT-INITIAL-HEAP (measured): `--initial-heap` bytes after
    // `__heap_base`, a multiple of the page size, at most the 4 GiB (16 GiB)
    // limit less `__heap_base`; checked before `--initial-memory`.
    if config.initial_heap != 0 {
        if !config.initial_heap.is_multiple_of(page) {
            errors.push(format!("initial heap must be aligned to the page size ({page} bytes)"));
        }
        let most = config.max_memory_limit() - ptr;
        if config.initial_heap > most {
            errors.push(format!("initial heap too large, cannot be greater than {most}"));
        }
        ptr += config.initial_heap;
    }
    let mut end = ptr;
    if let Some(b) = config.initial_memory {
        if b % page != 0 {
            errors.push(format!("initial memory must be aligned to the page size ({page} bytes)"));
        }
        if b < ptr {
            errors.push(format!("initial memory too small, {ptr} bytes needed"));
        } else {
            end = b;
        }
        // SIXTYFOUR-LAYOUT, MEM-PAGES (measured, wasm-ld 22 and 19): 4 GiB at most
        // for wasm32, 16 GiB for wasm64, after the other checks.
        if b > config.max_memory_limit() {
            errors.push(format!("initial memory too large, cannot be greater than {}", config.max_memory_limit()));
        }
    }
    m.initial_pages = end.div_ceil(page);
    let needed = m.initial_pages * page;
    m.max_pages = match config.max_memory {
        Some(b) => {
            if b % page != 0 {
                errors.push(format!("maximum memory must be aligned to the page size ({page} bytes)"));
            }
            if b < needed {
                errors.push(format!("maximum memory too small, {needed} bytes needed"));
            }
            if b > config.max_memory_limit() {
                errors.push(format!("maximum memory too large, cannot be greater than {}", config.max_memory_limit()));
            }
            Some(b / page)
        }
        // MEM-MAX (measured): a shared or non-growable memory without
        // `--max-memory` has its initial size as maximum.
        None if config.shared_memory || config.no_growable_memory => Some(m.initial_pages),
        None => None,
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    m.heap_end = (m.initial_pages * page).min(u32::MAX as u64) as u32;
    for s in &mut segs {
        s.written = s.size;
    }
    m.segments = segs;
    Ok(m)
}

/// DYN-MEMORY (measured, wasm-ld 22): PIC data starts at 0 (the loader
/// places it at `__memory_base`) and has no stack (`__stack_pointer` is
/// imported); the output segments, in MEM-ORDER, are merged into one
/// `.data` segment, each aligned as it would be alone. The data section
/// holds it up to its last non-`.bss` byte unless memory is imported.
/// Initial pages: enough for the data. The merged segment keeps the name
/// of a lone output segment (`.rodata`, `.tdata`, ...; measured).
/// DYN-TLS: `.tdata` comes first (MEM-ORDER), so the TLS block starts at
/// offset 0 and `__tls_base` holds that static offset.
fn pic_memory(config: &Config, segs: Vec<OutSegment>, merged_pieces: HashMap<(FileId, DefinedIndex), PieceMap>) -> Result<MemoryLayout, String> {
    let mut m = MemoryLayout { merged_pieces, page_size: config.page_size(), ..Default::default() };
    let name = match segs.as_slice() {
        [one] => one.name.clone(),
        _ => ".data".to_string(),
    };
    let mut out = OutSegment { name, address: 0, size: 0, alignment: 1, pieces: vec![], tls: false, written: 0, merged: vec![], keep_bss: false, comdat: None };
    let mut end: u64 = 0;
    for s in segs {
        let start = align(end, s.alignment as u64);
        if s.tls {
            (m.tls_base, m.tls_size, m.tls_align) = (start as u32, s.size, s.alignment);
        }
        for p in &s.pieces {
            let piece = Piece { offset: (start + p.offset as u64) as u32, ..*p };
            m.segment_address.insert((p.file, p.segment), piece.offset);
            out.pieces.push(piece);
        }
        for c in s.merged {
            let chunk = MergedChunk { offset: (start + c.offset as u64) as u32, ..c };
            for &input in &chunk.inputs {
                m.segment_address.insert(input, chunk.offset);
            }
            out.merged.push(chunk);
        }
        end = start + s.size as u64;
        out.alignment = out.alignment.max(s.alignment);
        if config.import_memory || !s.name.starts_with(".bss") {
            out.written = end as u32;
        }
    }
    if end > u32::MAX as u64 {
        return Err(format!("memory layout needs {end} bytes, more than 4 GiB"));
    }
    out.size = end as u32;
    m.data_end = out.size;
    m.heap_base = out.size;
    m.initial_pages = end.div_ceil(m.page_size);
    m.max_pages = config.max_memory.map(|b| b / m.page_size);
    if !out.pieces.is_empty() {
        m.segments = vec![out];
    }
    Ok(m)
}

/// MERGE-STRINGS: whether an input segment's strings are merged (at
/// `-O1` and above): the STRINGS flag, 1-byte alignment and some contents
/// (wasm-ld `shouldMerge`).
pub(crate) fn is_mergeable(s: &SegmentDef) -> bool {
    s.flags & SEG_STRINGS != 0 && s.alignment == 1 && !s.data.is_empty()
}

/// MERGE-STRINGS: replaces the mergeable input segments of `seg` by one
/// merged chunk per flags value, placed where the first of them was, and
/// lays the output segment out again (each piece at its alignment, the
/// merged chunks at 1) (wasm-ld `OutputSegment::finalizeInputSegments`).
fn merge_strings(res: &Resolution, seg: &mut OutSegment, maps: &mut HashMap<(FileId, DefinedIndex), PieceMap>) {
    enum Entry {
        Input(Piece),
        Merged(usize),
    }
    let mut entries = Vec::new();
    let mut groups: Vec<(u32, Vec<(FileId, DefinedIndex)>)> = Vec::new();
    for p in std::mem::take(&mut seg.pieces) {
        let s = &res.files[p.file].segments[p.segment.index()];
        if !is_mergeable(s) {
            entries.push(Entry::Input(p));
            continue;
        }
        match groups.iter().position(|g| g.0 == s.flags) {
            Some(g) => groups[g].1.push((p.file, p.segment)),
            None => {
                entries.push(Entry::Merged(groups.len()));
                groups.push((s.flags, vec![(p.file, p.segment)]));
            }
        }
    }
    let mut chunks: Vec<MergedChunk> = groups
        .into_iter()
        .map(|(_, inputs)| {
            let data: Vec<&[u8]> = inputs.iter().map(|&(f, d)| &res.files[f].bytes[res.files[f].segments[d.index()].data.clone()]).collect();
            let merged = strings::merge(&data);
            for (&input, map) in inputs.iter().zip(merged.maps) {
                maps.insert(input, map);
            }
            MergedChunk { offset: 0, bytes: merged.bytes, inputs }
        })
        .collect();
    let mut size: u64 = 0;
    for e in entries {
        match e {
            Entry::Input(mut p) => {
                let s = &res.files[p.file].segments[p.segment.index()];
                size = align(size, s.alignment as u64);
                p.offset = size as u32;
                size += s.data.len() as u64;
                seg.pieces.push(p);
            }
            Entry::Merged(i) => {
                chunks[i].offset = size as u32;
                size += chunks[i].bytes.len() as u64;
            }
        }
    }
    seg.size = size as u32;
    seg.merged = chunks;
}

/// MERGE-STRINGS: every mergeable input of the loaded files (string
/// segments, live or not, and `.debug_str`-like sections) must end in a
/// NUL; the first that does not ends the link:
/// `FILE:(NAME): string is not null terminated` (wasm-ld's fatal error in
/// `splitSections`, after symbol resolution). Nothing is checked at `-O0`.
pub(crate) fn check_strings(config: &Config, res: &Resolution) -> Result<(), String> {
    if !config.merges_strings() {
        return Ok(());
    }
    for (_, obj) in res.files() {
        let segments = obj.segments.iter().filter(|s| is_mergeable(s)).map(|s| (&s.name, &s.data));
        let customs = obj.customs.iter().filter(|c| strings::MERGED_CUSTOM.contains(&c.name.as_str())).map(|c| (&c.name, &c.data));
        for (name, data) in segments.chain(customs) {
            if strings::split(&obj.bytes[data.clone()]).is_err() {
                return Err(format!("{}:({name}): string is not null terminated", obj.name));
            }
        }
    }
    Ok(())
}
