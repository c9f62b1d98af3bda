//! The map file: `-M`/`--print-map` (standard output) and `-Map=FILE`
//! (rule MAP-1; wasm-ld `writeMapFile`).
//!
//! One row per output section, then under CODE one per function body,
//! under DATA one per output segment and its input segments, under GLOBAL
//! one per global of the inputs and the linker; under each input function
//! and segment the symbols defined there. File offsets are wasm-ld's: a
//! section's is where its id byte is, a chunk's is that plus the chunk's
//! offset in the section's *contents* (the id and size bytes not counted,
//! as wasm-ld adds them up). Read from the written module, so the map
//! says what the bytes hold.

use crate::ids::{DefinedIndex, SymbolIndex};
use crate::layout::{FuncBody, Layout};
use crate::object::SymbolKind;
use crate::resolve::{FileId, Resolution, Target};
use rustc_hash::FxHashMap as HashMap;
use crate::config::Config;
use std::fmt::Write;

/// One section of the written module: where its id byte is, its whole
/// size (id, size field and contents), where its contents start, bytes.
struct Section {
    name: String,
    start: usize,
    size: usize,
    contents: usize,
}

/// `Addr Off Size ` as wasm-ld writes them: `%8llx` each, `-` for no
/// address.
fn header(s: &mut String, addr: Option<u64>, off: usize, size: usize) {
    match addr {
        Some(a) => {
            let _ = write!(s, "{a:>8x} {off:>8x} {size:>8x} ");
        }
        None => {
            let _ = write!(s, "       - {off:>8x} {size:>8x} ");
        }
    }
}

/// The section names wasm-ld's map uses.
fn section_name(id: u8, custom: &str) -> String {
    let n = match id {
        0 => return format!("CUSTOM({custom})"),
        1 => "TYPE",
        2 => "IMPORT",
        3 => "FUNCTION",
        4 => "TABLE",
        5 => "MEMORY",
        6 => "GLOBAL",
        7 => "EXPORT",
        8 => "START",
        9 => "ELEM",
        10 => "CODE",
        11 => "DATA",
        12 => "DATACOUNT",
        13 => "TAG",
        _ => "UNKNOWN",
    };
    n.to_string()
}

fn leb_len(mut v: usize) -> usize {
    let mut n = 1;
    while v >= 0x80 {
        v >>= 7;
        n += 1;
    }
    n
}

/// What the map needs of the written module: its sections, the place and
/// size (size field included) of each function body in order, and of each
/// data segment entry, where its bytes start.
struct Parsed {
    sections: Vec<Section>,
    bodies: Vec<(usize, usize)>,
    segments: Vec<(usize, usize)>,
}

fn parse(bytes: &[u8]) -> Parsed {
    let mut p = Parsed { sections: Vec::new(), bodies: Vec::new(), segments: Vec::new() };
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        // refld's own output: a payload it cannot read ends the map (no panic).
        let Ok(payload) = payload else { break };
        match &payload {
            wasmparser::Payload::CodeSectionEntry(body) => {
                let r = body.range();
                let (start, len) = (r.start as usize, (r.end - r.start) as usize);
                p.bodies.push((start - leb_len(len), len + leb_len(len)));
            }
            wasmparser::Payload::DataSection(reader) => {
                for d in reader.clone().into_iter().flatten() {
                    p.segments.push((d.range.start as usize, d.range.end as usize - d.data.len()));
                }
            }
            _ => {}
        }
        if let Some((id, range)) = payload.as_section() {
            let custom = match &payload {
                wasmparser::Payload::CustomSection(c) => c.name().to_string(),
                _ => String::new(),
            };
            let (contents, end) = (range.start as usize, range.end as usize);
            let start = contents - leb_len(end - contents) - 1;
            p.sections.push(Section { name: section_name(id, &custom), start, size: end - start, contents });
        }
    }
    p
}

/// The map file's text for the module `bytes` written from `l`.
pub(crate) fn text(config: &Config, res: &Resolution, l: &Layout, bytes: &[u8]) -> String {
    let parsed = parse(bytes);
    let syms = symbols_by_chunk(res, l);
    let mut s = String::from("    Addr      Off     Size Out     In      Symbol\n");
    for sec in &parsed.sections {
        header(&mut s, None, sec.start, sec.size);
        s.push_str(&sec.name);
        s.push('\n');
        // A chunk's offset: the section's start plus its place in the contents.
        let at = |pos: usize| sec.start + (pos - sec.contents);
        match sec.name.as_str() {
            "CODE" => {
                for (f, &(pos, size)) in l.functions.iter().zip(&parsed.bodies) {
                    header(&mut s, None, at(pos), size);
                    let chunk = match f.body {
                        FuncBody::Input(file, d) => {
                            let _ = writeln!(s, "        {}:({})", res.files[file].name, f.name);
                            Some(Chunk::Func(file, d))
                        }
                        _ => {
                            let _ = writeln!(s, "        <internal>:({})", internal_function_name(&f.name));
                            None
                        }
                    };
                    for sym in chunk.and_then(|c| syms.get(&c)).into_iter().flatten() {
                        header(&mut s, None, at(pos), size);
                        let _ = writeln!(s, "                {}", sym.name);
                    }
                }
            }
            "DATA" => data_rows(&mut s, config, res, l, &parsed, &syms, &at),
            "GLOBAL" => {
                // wasm-ld lists its input globals (the inputs' and its own,
                // `__stack_pointer`...), not GOT entries or the globals
                // holding exported data addresses.
                let mut listed: Vec<u32> = l.global_index.values().chain(l.synthetic_global.values()).copied().filter(|&i| i >= l.num_imported_globals).collect();
                listed.sort_unstable();
                listed.dedup();
                for i in listed {
                    header(&mut s, Some(i as u64), 0, 0);
                    let _ = writeln!(s, "        {}", l.globals[(i - l.num_imported_globals) as usize].name);
                }
            }
            _ => {}
        }
    }
    // DATA absent (nothing written): wasm-ld lists no segments then.
    s
}

fn data_rows(s: &mut String, config: &Config, res: &Resolution, l: &Layout, parsed: &Parsed, syms: &Symbols, at: &dyn Fn(usize) -> usize) {
    let mut entries = parsed.segments.iter();
    let data_start = parsed.sections.iter().find(|x| x.name == "DATA").map(|x| x.start).unwrap_or(0);
    for seg in &l.memory.segments {
        // An unwritten segment (`.bss`, OUT-BSS) is at offset 0 of the
        // section, its input segments at file offset 0 (wasm-ld's defaults).
        let entry = if seg.is_written(config.import_memory, l.memory.shared) { entries.next() } else { None };
        let seg_off = entry.map(|&(e, _)| at(e)).unwrap_or(data_start);
        header(s, Some(seg.address as u64), seg_off, seg.size as usize);
        s.push_str(&seg.name);
        s.push('\n');
        // MERGE-STRINGS: a merged chunk is `<internal>:(SEGMENT)`, where
        // its first input was, without symbols (measured); rows in offset
        // order, a chunk after an empty input at its offset.
        let mut rows: Vec<(u32, u8, String)> = Vec::new();
        for c in &seg.merged {
            let mut r = String::new();
            let off = entry.map(|&(_, d)| at(d) + c.offset as usize).unwrap_or(0);
            header(&mut r, Some((seg.address + c.offset) as u64), off, c.bytes.len());
            let _ = writeln!(r, "        <internal>:({})", seg.name);
            rows.push((c.offset, 1, r));
        }
        for p in &seg.pieces {
            let mut r = String::new();
            let obj = &res.files[p.file];
            let len = obj.segments[p.segment.index()].data.len();
            let off = entry.map(|&(_, d)| at(d) + p.offset as usize).unwrap_or(0);
            let addr = seg.address + p.offset;
            header(&mut r, Some(addr as u64), off, len);
            let _ = writeln!(r, "        {}:({})", obj.name, obj.segments[p.segment.index()].name);
            for sym in syms.get(&Chunk::Seg(p.file, p.segment)).into_iter().flatten() {
                header(&mut r, Some((addr + sym.value) as u64), off + sym.value as usize, sym.size as usize);
                let _ = writeln!(r, "                {}", sym.name);
            }
            rows.push((p.offset, 0, r));
        }
        rows.sort_by_key(|r| (r.0, r.1));
        for (_, _, r) in rows {
            s.push_str(&r);
        }
    }
}

/// An input chunk the map lists symbols under.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Chunk {
    Func(FileId, DefinedIndex),
    Seg(FileId, DefinedIndex),
}

/// A symbol row: its name, offset in its segment (0 for functions) and
/// size in bytes (data symbols; a function's is its chunk's).
struct MapSymbol {
    name: String,
    value: u32,
    size: u32,
}

/// Per chunk, its symbols in map order: file by file, each file's symbol
/// table in order, those defined by that file (locals too) whose chunk is
/// in the output (wasm-ld `getSymbols`).
type Symbols = HashMap<Chunk, Vec<MapSymbol>>;

fn symbols_by_chunk(res: &Resolution, l: &Layout) -> Symbols {
    let mut out: Symbols = HashMap::default();
    for (f, obj) in res.files() {
        for (i, sym) in obj.symbols.iter().enumerate() {
            let si = SymbolIndex(i as u32);
            if sym.is_undefined() || res.target(f, si) != Target::Defined(f, si) {
                continue;
            }
            let (chunk, value, size) = match sym.kind {
                SymbolKind::Function => {
                    let Some(d) = sym.index.checked_sub(obj.num_imported_funcs()) else { continue };
                    (Chunk::Func(f, DefinedIndex(d)), 0, 0)
                }
                SymbolKind::Data => {
                    let Some(d) = sym.data else { continue };
                    (Chunk::Seg(f, DefinedIndex(d.segment)), d.offset, d.size)
                }
                _ => continue,
            };
            let placed = match chunk {
                Chunk::Func(f, d) => l.func_index.contains_key(&(f, d)),
                // MERGE-STRINGS: symbols of merged segments are not listed.
                Chunk::Seg(f, d) => l.memory.segment_address.contains_key(&(f, d)) && !l.memory.merged_pieces.contains_key(&(f, d)),
            };
            if placed {
                out.entry(chunk).or_default().push(MapSymbol { name: sym.name.clone(), value, size });
            }
        }
    }
    out
}

/// A linker-made function's name in the map: a stub's is its symbol's
/// (the name section's `undefined_weak:`/`signature_mismatch:` prefix is
/// its debug name only).
fn internal_function_name(name: &str) -> &str {
    name.strip_prefix("undefined_weak:").or_else(|| name.strip_prefix("signature_mismatch:")).unwrap_or(name)
}
