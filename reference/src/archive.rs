//! ar archives (GNU and BSD, with or without a symbol index) and the lazy
//! index of their members' defined symbols (rules AR-*).

use crate::error::InputError;
use crate::object::SymbolKind;
use wasmparser::{KnownCustom, Linking, Parser, Payload, SymbolInfo, TypeRef};

/// One member of an archive: its name as diagnostics print it
/// (`lib.a(x.o)`) and its bytes.
#[derive(Debug, Clone)]
pub struct Member {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A defined, non-local symbol of a member: what makes a lazy symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LazyEntry {
    pub name: String,
    pub kind: SymbolKind,
    /// A local symbol: no lazy definition (AR-1) but under
    /// QUIRK-LAZY-LOCAL.
    pub local: bool,
}

/// True when `bytes` start like an ar archive (`!<arch>\n`).
pub fn is_archive(bytes: &[u8]) -> bool {
    bytes.starts_with(b"!<arch>\n")
}

/// Splits an archive into its members, in archive order. Members that are
/// not wasm (no `\0asm` magic) come back in the second list by member
/// name, for a warning (rule AR-4). The archive's own symbol index is not
/// used: members are indexed by their symbol tables, as wasm-ld does for
/// lazy objects.
///
/// Errors: the archive is malformed or a member lies outside it.
pub fn read_archive(path: &str, bytes: &[u8]) -> Result<(Vec<Member>, Vec<String>), InputError> {
    let archive = object::read::archive::ArchiveFile::parse(bytes)
        .map_err(|e| InputError::file(path, format!("malformed archive: {e}")))?;
    let mut members = Vec::new();
    let mut skipped = Vec::new();
    for m in archive.members() {
        let m = m.map_err(|e| InputError::file(path, format!("malformed archive member: {e}")))?;
        let name = String::from_utf8_lossy(m.name()).to_string();
        let full = format!("{path}({name})");
        let data = m.data(bytes).map_err(|e| InputError::file(&full, format!("member data: {e}")))?;
        if data.starts_with(b"\0asm") {
            members.push(Member { name: full, bytes: data.to_vec() });
        } else {
            skipped.push(name);
        }
    }
    Ok((members, skipped))
}

/// Reads only the symbol table of an object: its defined, named symbols
/// (rule AR-1), the local ones marked (QUIRK-LAZY-LOCAL). The code section is skipped, so this costs
/// little for members that are never extracted.
///
/// Errors: the bytes are not a module or the `linking` section is malformed.
pub fn scan_defined_symbols(name: &str, bytes: &[u8]) -> Result<Vec<LazyEntry>, InputError> {
    let mut out = Vec::new();
    let mut fields: [Vec<&str>; 4] = Default::default();
    let mut parser = Parser::new(0);
    let mut offset = 0;
    let err = |e: wasmparser::BinaryReaderError| InputError::at(name, "linking", e.offset(), e.message().to_string());
    loop {
        // OBJ-2: a malformed section is named (offsets count from the member's start).
        let parsed = parser.parse(&bytes[offset..], true).map_err(|e| {
            let section = crate::object::section_name_at(bytes, e.offset());
            InputError::at(name, &section, e.offset(), e.message().to_string())
        })?;
        let (consumed, payload) = match parsed {
            wasmparser::Chunk::Parsed { consumed, payload } => (consumed, payload),
            wasmparser::Chunk::NeedMoreData(_) => return Err(InputError::file(name, "truncated module")),
        };
        offset += consumed;
        match payload {
            Payload::CodeSectionStart { size, unchecked_range, .. } => {
                // OBJ-2: a code section cut short is an error, not a panic.
                if unchecked_range.end > bytes.len() as u64 {
                    return Err(InputError::at(name, "code", bytes.len() as u64, "unexpected end-of-file"));
                }
                parser.skip_section();
                offset += size as usize;
            }
            Payload::ImportSection(r) => {
                for import in r.into_imports() {
                    let import = import.map_err(|e| InputError::at(name, "import", e.offset(), e.message().to_string()))?;
                    let space = match import.ty {
                        TypeRef::Func(_) | TypeRef::FuncExact(_) => 0,
                        TypeRef::Global(_) => 1,
                        TypeRef::Table(_) => 2,
                        TypeRef::Tag(_) => 3,
                        TypeRef::Memory(_) => continue,
                    };
                    fields[space].push(import.name);
                }
            }
            Payload::CustomSection(c) => {
                if let KnownCustom::Linking(l) = c.as_known() {
                    for sub in l {
                        if let Linking::SymbolTable(map) = sub.map_err(err)? {
                            let mut names = rustc_hash::FxHashSet::default();
                            for s in map {
                                let s = s.map_err(err)?;
                                // OBJ-7 holds for members never extracted too
                                // (wasm-ld reads every member's symbol table),
                                // names implied by an import field included.
                                if let Some(dup) = global_name(&s, &fields).filter(|n| !names.insert(n.to_string())) {
                                    return Err(InputError::file(name, format!("duplicate symbol name {dup}")));
                                }
                                collect(&mut out, s);
                            }
                        }
                    }
                }
            }
            Payload::End(_) => break,
            _ => {}
        }
    }
    Ok(out)
}

/// The name of a non-local, non-section symbol: as the symbol table spells
/// it (defined symbols, undefined ones with an explicit name), else the
/// field of the import an undefined symbol stands for (`fields`: function,
/// global, table and tag import fields in order).
fn global_name<'a>(s: &SymbolInfo<'a>, fields: &[Vec<&'a str>; 4]) -> Option<&'a str> {
    let (flags, name, space, index) = match *s {
        SymbolInfo::Func { flags, name, index } => (flags, name, 0, index),
        SymbolInfo::Global { flags, name, index } => (flags, name, 1, index),
        SymbolInfo::Table { flags, name, index } => (flags, name, 2, index),
        SymbolInfo::Event { flags, name, index } => (flags, name, 3, index),
        SymbolInfo::Data { flags, name, .. } => (flags, Some(name), 0, 0),
        SymbolInfo::Section { .. } => return None,
    };
    let bits = flags.bits();
    if bits & crate::object::flags::BINDING_LOCAL != 0 {
        return None;
    }
    match name {
        Some(name) => Some(name),
        None if bits & crate::object::flags::UNDEFINED != 0 => fields[space].get(index as usize).copied(),
        None => None,
    }
}

fn collect(out: &mut Vec<LazyEntry>, s: SymbolInfo<'_>) {
    let (kind, flags, name) = match s {
        SymbolInfo::Func { flags, name, .. } => (SymbolKind::Function, flags, name),
        SymbolInfo::Global { flags, name, .. } => (SymbolKind::Global, flags, name),
        SymbolInfo::Event { flags, name, .. } => (SymbolKind::Tag, flags, name),
        SymbolInfo::Table { flags, name, .. } => (SymbolKind::Table, flags, name),
        SymbolInfo::Data { flags, name, .. } => (SymbolKind::Data, flags, Some(name)),
        SymbolInfo::Section { .. } => return,
    };
    let bits = flags.bits();
    if bits & crate::object::flags::UNDEFINED != 0 {
        return;
    }
    if let Some(name) = name {
        out.push(LazyEntry { name: name.to_string(), kind, local: bits & crate::object::flags::BINDING_LOCAL != 0 });
    }
}
