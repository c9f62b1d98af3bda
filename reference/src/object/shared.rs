//! Shared libraries and stub libraries as linker inputs (rules DYN-SHLIB,
//! DYN-STUB): what they provide, read as wasm-ld reads them (lld
//! `SharedFile`, `StubFile`): a `.so` is a module whose first section is
//! `dylink.0` and whose exports are its symbols; a stub library is text
//! starting `#STUB`.

use super::{SymbolKind, Signature};
use crate::error::InputError;
use wasmparser::{CompositeInnerType, ExternalKind, Parser, Payload, TypeRef};

/// One symbol a shared library provides: an export of a function (with its
/// signature) or of a global (a data symbol: the global holds its address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedSymbol {
    pub name: String,
    /// `Function` or `Data`.
    pub kind: SymbolKind,
    /// Functions: the signature of the exported function.
    pub signature: Option<Signature>,
}

/// A shared library read from the command line (DYN-SHLIB).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedLibrary {
    /// The path as given (diagnostics name it).
    pub path: String,
    /// What `dylink.0` NEEDED lists: the path's file name (measured).
    pub needed_name: String,
    /// Its exports, in export-section order, less those wasm-ld keeps
    /// local to the library.
    pub symbols: Vec<SharedSymbol>,
}

/// True when `bytes` is a wasm module whose first section is the custom
/// section `dylink.0` (DynamicLinking.md: a shared library).
pub fn is_shared_library(bytes: &[u8]) -> bool {
    if bytes.len() < 8 || &bytes[0..4] != b"\0asm" {
        return false;
    }
    // The first section: id 0 (custom), a LEB size, then a LEB-prefixed name.
    let mut reader = wasmparser::BinaryReader::new(&bytes[8..], 8);
    matches!(reader.read_u8(), Ok(0)) && reader.read_var_u32().is_ok() && matches!(reader.read_string(), Ok("dylink.0"))
}

/// DYN-SHLIB: reads the symbols a shared library provides: each export of
/// a defined function or global, except `__wasm_apply_data_relocs`,
/// `__wasm_call_ctors` and `__start_*`/`__stop_*` names (wasm-ld keeps
/// those local to the library). Errors: a malformed module, named with the
/// section and byte offset.
pub fn parse_shared_library(path: &str, bytes: &[u8]) -> Result<SharedLibrary, InputError> {
    let mut types: Vec<Signature> = Vec::new();
    let (mut func_types, mut imported_funcs, mut imported_globals) = (Vec::new(), 0u32, 0u32);
    let mut exports = Vec::new();
    let err = |section: &str, e: wasmparser::BinaryReaderError| InputError::at(path, section, e.offset(), e.message().to_string());
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.map_err(|e| err("module", e))? {
            Payload::TypeSection(r) => {
                for group in r {
                    for sub in group.map_err(|e| err("type", e))?.into_types() {
                        // Only function types can be exported functions' types.
                        if let CompositeInnerType::Func(f) = &sub.composite_type.inner {
                            types.push(Signature { params: f.params().to_vec(), results: f.results().to_vec() });
                        } else {
                            types.push(Signature { params: Vec::new(), results: Vec::new() });
                        }
                    }
                }
            }
            Payload::ImportSection(r) => {
                for imp in r.into_imports() {
                    match imp.map_err(|e| err("import", e))?.ty {
                        TypeRef::Func(t) => {
                            func_types.push(t);
                            imported_funcs += 1;
                        }
                        TypeRef::Global(_) => imported_globals += 1,
                        _ => {}
                    }
                }
            }
            Payload::FunctionSection(r) => {
                for t in r {
                    func_types.push(t.map_err(|e| err("function", e))?);
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.map_err(|e| err("export", e))?;
                    exports.push((e.name.to_string(), e.kind, e.index));
                }
            }
            _ => {}
        }
    }
    let mut symbols = Vec::new();
    for (name, kind, index) in exports {
        if name == "__wasm_apply_data_relocs" || name == "__wasm_call_ctors" || name.starts_with("__start_") || name.starts_with("__stop_") {
            continue;
        }
        let symbol = match kind {
            ExternalKind::Func if index >= imported_funcs => {
                let ty = func_types.get(index as usize).and_then(|&t| types.get(t as usize));
                let sig = ty.ok_or_else(|| InputError::in_section(path, "export", format!("export {name} names function {index}, which has no type")))?;
                SharedSymbol { name, kind: SymbolKind::Function, signature: Some(sig.clone()) }
            }
            ExternalKind::Global if index >= imported_globals => SharedSymbol { name, kind: SymbolKind::Data, signature: None },
            _ => continue,
        };
        symbols.push(symbol);
    }
    let needed_name = path.rsplit('/').next().unwrap_or(path).to_string();
    Ok(SharedLibrary { path: path.to_string(), needed_name, symbols })
}

/// A stub library (DYN-STUB): symbols the runtime provides, each with the
/// symbols of the link it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StubLibrary {
    pub path: String,
    /// `(symbol, dependencies)`, in file order.
    pub entries: Vec<(String, Vec<String>)>,
}

/// True when `bytes` is a stub library: text starting `#STUB`.
pub fn is_stub_library(bytes: &[u8]) -> bool {
    bytes.starts_with(b"#STUB")
}

/// DYN-STUB: reads a stub library: after the `#STUB` line, each line
/// `NAME: DEP1, DEP2` (the list optional; spaces around names ignored);
/// lines starting `#` are comments, empty lines are skipped. A later line
/// for the same name replaces the earlier one. Errors: text that is not
/// UTF-8.
pub fn parse_stub_library(path: &str, bytes: &[u8]) -> Result<StubLibrary, InputError> {
    let text = std::str::from_utf8(bytes).map_err(|e| InputError::at(path, "#STUB", e.valid_up_to() as u64, "a stub library is not UTF-8 text"))?;
    let mut entries: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, rest) = line.split_once(':').unwrap_or((line, ""));
        let deps: Vec<String> = rest.split(',').map(str::trim).filter(|d| !d.is_empty()).map(String::from).collect();
        let name = name.trim().to_string();
        match entries.iter_mut().find(|e| e.0 == name) {
            Some(e) => e.1 = deps,
            None => entries.push((name, deps)),
        }
    }
    Ok(StubLibrary { path: path.to_string(), entries })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stub_lines() {
        let s = parse_stub_library("s.so", b"#STUB\n# c\nfoo: bar, baz ,\nqux\n\n").unwrap();
        assert_eq!(s.entries, [("foo".to_string(), vec!["bar".to_string(), "baz".to_string()]), ("qux".to_string(), vec![])]);
        assert!(parse_stub_library("s.so", b"#STUB\n\xff").is_err());
    }

    #[test]
    fn not_shared() {
        assert!(!is_shared_library(b"\0asm\x01\0\0\0"));
        assert!(!is_shared_library(b"\0asm\x01\0\0\0\0\x05\x04dyl"));
        assert!(parse_shared_library("x.so", b"\0asm\x01\0\0\0\0\x09\x08dylink.0\x07").is_err());
    }
}
