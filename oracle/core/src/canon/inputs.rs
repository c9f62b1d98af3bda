//! Reading the link's input objects with wasmparser: symbol tables,
//! relocations, function bodies and data segments (Linking.md). Archives
//! are opened into their members (`lib.a(x.o)`). This is the oracle's own
//! reader; it shares nothing with refld's.

use super::{CanonError, InputObject};
use std::ops::Range;
use wasmparser::{
    CompositeInnerType, FuncType, FunctionBody, KnownCustom, Linking, Parser, Payload, RelocationEntry,
    SymbolInfo, TypeRef,
};

/// Symbol kinds of the SYMBOL_TABLE subsection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SymKind {
    Func,
    Data,
    Global,
    Section,
    Tag,
    Table,
}

/// One symbol of an input object.
#[derive(Debug, Clone)]
pub(crate) struct InSym {
    pub kind: SymKind,
    pub flags: u32,
    /// The symbol's name: its own, or an undefined symbol's import field.
    pub name: Option<String>,
    /// Function/global/tag/table index (unused for data).
    pub index: u32,
    /// `(segment, offset, size)` of a defined data symbol.
    pub data: Option<(u32, u32, u32)>,
}

/// `WASM_SYM_BINDING_WEAK`
pub(crate) const WEAK: u32 = 0x1;
/// `WASM_SYM_BINDING_LOCAL`
pub(crate) const LOCAL: u32 = 0x2;
/// `WASM_SYM_UNDEFINED`
pub(crate) const UNDEFINED: u32 = 0x10;

impl InSym {
    pub fn is_defined(&self) -> bool {
        self.flags & UNDEFINED == 0
    }
    pub fn is_local(&self) -> bool {
        self.flags & LOCAL != 0
    }
    pub fn is_weak(&self) -> bool {
        self.flags & WEAK != 0
    }
}

/// A data segment of an input object.
#[derive(Debug, Clone)]
pub(crate) struct InSegment<'a> {
    pub name: String,
    pub bytes: &'a [u8],
    /// File offset of the segment's first byte.
    pub file_offset: usize,
    /// log2 of the alignment (SEGMENT_INFO).
    pub align_log2: u32,
    /// SEGMENT_INFO flags (`WASM_SEG_FLAG_*`).
    pub flags: u32,
}

/// A relocation, its offset made absolute (a file offset).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reloc {
    pub entry: RelocationEntry,
    /// File offset of the patched field.
    pub at: usize,
}

/// One relocatable object, as the canonicalizer needs it.
#[derive(Debug, Default)]
pub(crate) struct InObject<'a> {
    /// `x.o` or `lib.a(x.o)`.
    pub name: String,
    /// Whether it is an archive member (linked only when extracted).
    pub member: bool,
    pub types: Vec<Option<FuncType>>,
    /// `(module, field, type)` of every import.
    pub imports: Vec<(String, String, TypeRef)>,
    /// Type index per function index (imports first).
    pub func_types: Vec<u32>,
    pub num_imported_funcs: u32,
    /// Bodies of the defined functions.
    pub bodies: Vec<FunctionBody<'a>>,
    pub segments: Vec<InSegment<'a>>,
    pub symbols: Vec<InSym>,
    /// Relocations of the code section, sorted by file offset.
    pub code_relocs: Vec<Reloc>,
    /// Relocations of the data section, sorted by file offset.
    pub data_relocs: Vec<Reloc>,
}

impl<'a> InObject<'a> {
    /// The relocations whose field lies in `range` (file offsets).
    pub fn code_relocs_in(&self, range: Range<usize>) -> &[Reloc] {
        let lo = self.code_relocs.partition_point(|r| r.at < range.start);
        let hi = self.code_relocs.partition_point(|r| r.at < range.end);
        &self.code_relocs[lo..hi]
    }

    /// The data relocations inside segment `s`, with offsets from its start.
    pub fn segment_relocs(&self, s: u32) -> Vec<(usize, RelocationEntry)> {
        let seg = &self.segments[s as usize];
        let range = seg.file_offset..seg.file_offset + seg.bytes.len();
        self.data_relocs.iter().filter(|r| range.contains(&r.at)).map(|r| (r.at - seg.file_offset, r.entry)).collect()
    }

    /// The defined function at function index `index`, if it is one.
    pub fn body(&self, index: u32) -> Option<&FunctionBody<'a>> {
        index.checked_sub(self.num_imported_funcs).and_then(|i| self.bodies.get(i as usize))
    }
}

/// Reads every input; archives are opened into their WebAssembly members.
pub(crate) fn read_inputs(inputs: &[InputObject]) -> Result<Vec<InObject<'_>>, CanonError> {
    let mut out = Vec::new();
    for input in inputs {
        if input.bytes.starts_with(b"!<arch>\n") {
            for (member, bytes) in archive_members(&input.bytes)
                .map_err(|e| CanonError::Input(input.name.clone(), e))?
            {
                if bytes.starts_with(b"\0asm") {
                    let name = format!("{}({member})", input.name);
                    let mut obj = read_object(name, bytes)?;
                    obj.member = true;
                    out.push(obj);
                }
            }
        } else {
            out.push(read_object(input.name.clone(), &input.bytes)?);
        }
    }
    Ok(out)
}

fn read_object(name: String, bytes: &[u8]) -> Result<InObject<'_>, CanonError> {
    let err = |e: wasmparser::BinaryReaderError| CanonError::Input(name.clone(), e.to_string());
    let mut o = InObject { name: name.clone(), ..InObject::default() };
    // Section number -> file offset of its payload (reloc offsets count from there).
    let mut section_starts: Vec<usize> = Vec::new();
    let mut relocs: Vec<(u32, Vec<RelocationEntry>)> = Vec::new();
    let (mut code_section, mut data_section) = (None, None);
    let mut import_counts = [0u32; 4]; // func, global, tag, table
    let mut raw_symbols: Vec<SymbolInfo<'_>> = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(err)?;
        if let Some((id, range)) = payload.as_section() {
            let start = match &payload {
                Payload::CustomSection(c) => c.data_offset() as usize,
                _ => range.start as usize,
            };
            match id {
                10 => code_section = Some(section_starts.len()),
                11 => data_section = Some(section_starts.len()),
                _ => {}
            }
            section_starts.push(start);
        }
        match payload {
            Payload::TypeSection(r) => {
                for group in r {
                    for sub in group.map_err(err)?.into_types() {
                        o.types.push(match sub.composite_type.inner {
                            CompositeInnerType::Func(f) => Some(f),
                            _ => None,
                        });
                    }
                }
            }
            Payload::ImportSection(r) => {
                for import in r.into_imports() {
                    let import = import.map_err(err)?;
                    match import.ty {
                        TypeRef::Func(t) | TypeRef::FuncExact(t) => {
                            o.func_types.push(t);
                            import_counts[0] += 1;
                        }
                        TypeRef::Global(_) => import_counts[1] += 1,
                        TypeRef::Tag(_) => import_counts[2] += 1,
                        TypeRef::Table(_) => import_counts[3] += 1,
                        TypeRef::Memory(_) => {}
                    }
                    o.imports.push((import.module.to_string(), import.name.to_string(), import.ty));
                }
            }
            Payload::FunctionSection(r) => {
                for t in r {
                    o.func_types.push(t.map_err(err)?);
                }
            }
            Payload::DataSection(r) => {
                for d in r {
                    let d = d.map_err(err)?;
                    let file_offset = d.data.as_ptr() as usize - bytes.as_ptr() as usize;
                    o.segments.push(InSegment { name: String::new(), bytes: d.data, file_offset, align_log2: 0, flags: 0 });
                }
            }
            Payload::CodeSectionEntry(body) => o.bodies.push(body),
            Payload::CustomSection(c) => match c.as_known() {
                KnownCustom::Linking(l) => {
                    for sub in l.subsections() {
                        match sub.map_err(err)? {
                            Linking::SymbolTable(map) => {
                                for s in map {
                                    raw_symbols.push(s.map_err(err)?);
                                }
                            }
                            Linking::SegmentInfo(map) => {
                                for (i, s) in map.into_iter().enumerate() {
                                    let s = s.map_err(err)?;
                                    if let Some(seg) = o.segments.get_mut(i) {
                                        seg.name = s.name.to_string();
                                        seg.align_log2 = s.alignment;
                                        seg.flags = s.flags.bits();
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
                KnownCustom::Reloc(r) => {
                    let entries = r.entries().into_iter().collect::<Result<Vec<_>, _>>().map_err(err)?;
                    relocs.push((r.section_index(), entries));
                }
                _ => {}
            },
            _ => {}
        }
    }
    o.num_imported_funcs = import_counts[0];
    o.symbols = raw_symbols.into_iter().map(|s| symbol(s, &o.imports)).collect();
    for (section, entries) in relocs {
        let Some(&start) = section_starts.get(section as usize) else { continue };
        let list = if Some(section as usize) == code_section {
            &mut o.code_relocs
        } else if Some(section as usize) == data_section {
            &mut o.data_relocs
        } else {
            continue;
        };
        list.extend(entries.into_iter().map(|entry| Reloc { entry, at: start + entry.offset as usize }));
    }
    o.code_relocs.sort_by_key(|r| r.at);
    o.data_relocs.sort_by_key(|r| r.at);
    Ok(o)
}

/// A symbol with its name resolved: an undefined function, global, tag or
/// table without a name of its own takes its import's field.
fn symbol(s: SymbolInfo<'_>, imports: &[(String, String, TypeRef)]) -> InSym {
    let nth_import = |want: fn(&TypeRef) -> bool, index: u32| {
        imports.iter().filter(|i| want(&i.2)).nth(index as usize).map(|i| i.1.clone())
    };
    let named = |kind, flags: wasmparser::SymbolFlags, index, name: Option<&str>, want: fn(&TypeRef) -> bool| {
        let flags = flags.bits();
        let name = match name {
            Some(n) => Some(n.to_string()),
            None if flags & UNDEFINED != 0 => nth_import(want, index),
            None => None,
        };
        InSym { kind, flags, name, index, data: None }
    };
    match s {
        SymbolInfo::Func { flags, index, name } => {
            named(SymKind::Func, flags, index, name, |t| matches!(t, TypeRef::Func(_) | TypeRef::FuncExact(_)))
        }
        SymbolInfo::Global { flags, index, name } => {
            named(SymKind::Global, flags, index, name, |t| matches!(t, TypeRef::Global(_)))
        }
        SymbolInfo::Event { flags, index, name } => named(SymKind::Tag, flags, index, name, |t| matches!(t, TypeRef::Tag(_))),
        SymbolInfo::Table { flags, index, name } => {
            named(SymKind::Table, flags, index, name, |t| matches!(t, TypeRef::Table(_)))
        }
        SymbolInfo::Data { flags, name, symbol } => InSym {
            kind: SymKind::Data,
            flags: flags.bits(),
            name: Some(name.to_string()),
            index: 0,
            data: symbol.map(|d| (d.index, d.offset, d.size)),
        },
        SymbolInfo::Section { flags, section } => {
            InSym { kind: SymKind::Section, flags: flags.bits(), name: None, index: section, data: None }
        }
    }
}

/// The members of a GNU or BSD `ar` archive: `(name, bytes)`, without the
/// symbol index and the long-name table.
pub(crate) fn archive_members(bytes: &[u8]) -> Result<Vec<(String, &[u8])>, String> {
    let mut members = Vec::new();
    let mut long_names: &[u8] = &[];
    let mut at = 8;
    while at + 60 <= bytes.len() {
        let header = &bytes[at..at + 60];
        let field = |r: Range<usize>| String::from_utf8_lossy(&header[r]).trim_end().to_string();
        let raw_name = field(0..16);
        let size: usize = field(48..58).parse().map_err(|_| format!("bad member size at offset {at}"))?;
        let mut start = at + 60;
        let end = start.checked_add(size).filter(|&e| e <= bytes.len()).ok_or(format!("member at {at} runs past the end"))?;
        let name = if raw_name == "/" || raw_name == "/SYM64/" || raw_name == "__.SYMDEF" || raw_name == "__.SYMDEF SORTED" {
            None
        } else if raw_name == "//" {
            long_names = &bytes[start..end];
            None
        } else if let Some(off) = raw_name.strip_prefix('/').and_then(|n| n.parse::<usize>().ok()) {
            let rest = long_names.get(off..).unwrap_or(&[]);
            let len = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
            Some(String::from_utf8_lossy(&rest[..len]).trim_end_matches('/').to_string())
        } else if let Some(n) = raw_name.strip_prefix("#1/").and_then(|n| n.parse::<usize>().ok()) {
            let n = n.min(end - start);
            let name = String::from_utf8_lossy(&bytes[start..start + n]).trim_end_matches('\0').to_string();
            start += n;
            Some(name)
        } else {
            Some(raw_name.trim_end_matches('/').to_string())
        };
        if let Some(name) = name {
            members.push((name, &bytes[start..end]));
        }
        at = end + (end % 2);
    }
    Ok(members)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_members_with_long_names() {
        let lib = linkcheck_object::archive(&[("a.o", b"\0asmA"), ("a_member_with_a_long_name.o", b"\0asmBB")]);
        let members = archive_members(&lib).unwrap();
        let names: Vec<(&str, &[u8])> = members.iter().map(|(n, b)| (n.as_str(), *b)).collect();
        assert_eq!(names, [("a.o", &b"\0asmA"[..]), ("a_member_with_a_long_name.o", &b"\0asmBB"[..])]);
    }
}
