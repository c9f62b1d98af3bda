//! Linking with rust-lld in a folder, and a wasmparser reading of an
//! object's sections, symbols and relocations (the tools themselves,
//! validation and calls are testkit's).

use std::ops::Range;
use std::path::Path;
use std::process::Command;

use wasmparser::{KnownCustom, Linking, Parser, Payload, RelocationEntry, SymbolInfo};

/// A temporary folder holding `files`.
pub fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

/// Runs rust-lld in `dir` with `args`; the output bytes, or stderr.
pub fn link(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new(testkit::rust_lld()).current_dir(dir).args(args).args(["-o", "out.wasm"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if out.status.success() {
        Ok(std::fs::read(dir.join("out.wasm")).unwrap())
    } else {
        Err(stderr)
    }
}

/// One symbol as read back: kind byte, flags, name, index or (segment,
/// offset, size).
#[derive(Debug, Clone, PartialEq)]
pub struct Sym {
    pub kind: u8,
    pub flags: u32,
    pub name: Option<String>,
    pub index: u32,
    pub data: Option<(u32, u32, u32)>,
}

/// What wasmparser reads from an object.
#[derive(Debug, Default)]
pub struct ReadBack {
    /// Every section in order: (id, custom name, payload range in the file;
    /// for custom sections the range after the name).
    pub sections: Vec<(u8, String, Range<usize>)>,
    pub linking_version: Option<u32>,
    /// Subsection ids in order.
    pub subsections: Vec<u8>,
    pub symbols: Vec<Sym>,
    /// (name, log2 alignment, flags)
    pub segments: Vec<(String, u32, u32)>,
    pub init_funcs: Vec<(u32, u32)>,
    /// (name, [(kind byte, index)])
    pub comdats: Vec<(String, Vec<(u8, u32)>)>,
    /// (reloc section name, target section, entries)
    pub relocs: Vec<(String, u32, Vec<RelocationEntry>)>,
}

impl ReadBack {
    /// The payload of section `index`.
    pub fn payload<'a>(&self, bytes: &'a [u8], index: u32) -> &'a [u8] {
        &bytes[self.sections[index as usize].2.clone()]
    }

    /// The position of the section with this id (custom: this name).
    pub fn position(&self, id: u8, name: &str) -> Option<u32> {
        self.sections.iter().position(|(i, n, _)| *i == id && n == name).map(|p| p as u32)
    }

    /// Entries of `reloc.<name>`.
    pub fn relocs_of(&self, name: &str) -> &[RelocationEntry] {
        let full = format!("reloc.{name}");
        self.relocs.iter().find(|r| r.0 == full).map(|r| r.2.as_slice()).unwrap_or(&[])
    }
}

/// Reads `bytes` with wasmparser; panics on any read error.
pub fn read_back(bytes: &[u8]) -> ReadBack {
    let mut rb = ReadBack::default();
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.expect("parse");
        if let Payload::CustomSection(c) = &payload {
            let start = c.data_offset() as usize;
            rb.sections.push((0, c.name().to_string(), start..start + c.data().len()));
            match c.as_known() {
                KnownCustom::Linking(l) => read_linking(&mut rb, l),
                KnownCustom::Reloc(r) => {
                    let entries = r.entries().into_iter().map(|e| e.expect("reloc entry")).collect();
                    rb.relocs.push((c.name().to_string(), r.section_index(), entries));
                }
                _ => {}
            }
        } else if let Some((id, range)) = payload.as_section() {
            rb.sections.push((id, String::new(), range.start as usize..range.end as usize));
        }
    }
    rb
}

fn read_linking(rb: &mut ReadBack, l: wasmparser::LinkingSectionReader<'_>) {
    rb.linking_version = Some(l.version());
    for sub in l.subsections() {
        match sub.expect("linking subsection") {
            Linking::SymbolTable(map) => {
                rb.subsections.push(8);
                for s in map {
                    rb.symbols.push(sym(s.expect("symbol")));
                }
            }
            Linking::SegmentInfo(map) => {
                rb.subsections.push(5);
                for s in map {
                    let s = s.unwrap();
                    rb.segments.push((s.name.to_string(), s.alignment, s.flags.bits()));
                }
            }
            Linking::InitFuncs(map) => {
                rb.subsections.push(6);
                for f in map {
                    let f = f.unwrap();
                    rb.init_funcs.push((f.priority, f.symbol_index));
                }
            }
            Linking::ComdatInfo(map) => {
                rb.subsections.push(7);
                for c in map {
                    let c = c.unwrap();
                    let members = c.symbols.into_iter().map(|m| m.unwrap()).map(|m| (m.kind as u8, m.index));
                    rb.comdats.push((c.name.to_string(), members.collect()));
                }
            }
            Linking::TargetArch(_) => rb.subsections.push(9),
            Linking::Unknown { ty, .. } => rb.subsections.push(ty),
        }
    }
}

fn sym(s: SymbolInfo<'_>) -> Sym {
    let (kind, flags, name, index, data) = match s {
        SymbolInfo::Func { flags, index, name } => (0, flags, name, index, None),
        SymbolInfo::Data { flags, name, symbol } => {
            (1, flags, Some(name), 0, symbol.map(|d| (d.index, d.offset, d.size)))
        }
        SymbolInfo::Global { flags, index, name } => (2, flags, name, index, None),
        SymbolInfo::Section { flags, section } => (3, flags, None, section, None),
        SymbolInfo::Event { flags, index, name } => (4, flags, name, index, None),
        SymbolInfo::Table { flags, index, name } => (5, flags, name, index, None),
    };
    Sym { kind, flags: flags.bits(), name: name.map(str::to_string), index, data }
}

/// Reads the padded LEB (or fixed field) a relocation patches.
pub fn site_value(payload: &[u8], e: &RelocationEntry) -> i64 {
    let field = &payload[e.offset as usize..e.offset as usize + e.ty.extent()];
    let mut r = wasmparser::BinaryReader::new(field, 0);
    use wasmparser::RelocationType::*;
    let v = match e.ty {
        TableIndexSleb | MemoryAddrSleb | MemoryAddrRelSleb | TableIndexRelSleb | MemoryAddrTlsSleb => {
            r.read_var_i32().unwrap() as i64
        }
        MemoryAddrSleb64 | TableIndexSleb64 | MemoryAddrRelSleb64 | TableIndexRelSleb64 | MemoryAddrTlsSleb64 => {
            r.read_var_i64().unwrap()
        }
        MemoryAddrLeb64 => r.read_var_u64().unwrap() as i64,
        MemoryAddrI64 | TableIndexI64 | FunctionOffsetI64 => {
            return i64::from_le_bytes(field.try_into().unwrap());
        }
        _ if e.ty.extent() == 4 => return u32::from_le_bytes(field.try_into().unwrap()) as i64,
        _ => r.read_var_u32().unwrap() as i64,
    };
    assert!(r.eof(), "the site of {e:?} is exactly {} bytes", e.ty.extent());
    v
}
