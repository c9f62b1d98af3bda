//! The `dylink.0` custom section of a position-independent module, read
//! with wasmparser alone (tool-conventions DynamicLinking.md, "The
//! dylink.0 Section"): what `describe` compares and what the loader
//! (`run/loader.rs`) needs.

use serde::Serialize;
use wasmparser::{Dylink0Subsection, KnownCustom, Parser, Payload, SymbolFlags};

/// The contents of a `dylink.0` section, subsection by subsection.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Dylink {
    /// WASM_DYLINK_MEM_INFO: bytes of memory the loader reserves at
    /// `__memory_base`.
    pub memory_size: u32,
    /// WASM_DYLINK_MEM_INFO: the alignment of that region as a power of 2.
    pub memory_align: u32,
    /// WASM_DYLINK_MEM_INFO: table slots the loader reserves at
    /// `__table_base`.
    pub table_size: u32,
    /// WASM_DYLINK_MEM_INFO: the alignment of the table region as a power of
    /// 2 (0 in every linker's output measured).
    pub table_align: u32,
    /// WASM_DYLINK_NEEDED: the shared libraries to load first, in order.
    pub needed: Vec<String>,
    /// WASM_DYLINK_EXPORT_INFO: exports with symbol flags (the TLS flag
    /// 0x100 marks thread-local data), in order.
    pub export_info: Vec<(String, u32)>,
    /// WASM_DYLINK_IMPORT_INFO: (import module, field, symbol flags), in
    /// order; the weak binding (flags & 3 == 1) lets an import stay
    /// unresolved.
    pub import_info: Vec<(String, String, u32)>,
    /// WASM_DYLINK_RUNTIME_PATH: `-rpath` values, in order.
    pub runtime_path: Vec<String>,
}

/// WASM_SYM_BINDING_WEAK (Linking.md symbol flags).
pub const BINDING_WEAK: u32 = 0x1;
/// WASM_SYM_TLS.
pub const SYMBOL_TLS: u32 = 0x100;

impl Dylink {
    /// Whether IMPORT_INFO marks the import `module`.`field` weak.
    pub fn is_weak_import(&self, module: &str, field: &str) -> bool {
        self.import_info.iter().any(|(m, f, flags)| m == module && f == field && flags & 3 == BINDING_WEAK)
    }

    /// Whether IMPORT_INFO marks some import of symbol `field` weak,
    /// whatever its import module (how Emscripten's loader reads it).
    pub fn is_weak_symbol(&self, field: &str) -> bool {
        self.import_info.iter().any(|(_, f, flags)| f == field && flags & 3 == BINDING_WEAK)
    }

    /// The section's facts as (field, value) text pairs, in a fixed order:
    /// what the diff module compares under `dylink.FIELD`.
    pub fn facts(&self) -> Vec<(&'static str, String)> {
        let list = |v: &[String]| v.join(", ");
        vec![
            ("memory_size", self.memory_size.to_string()),
            ("memory_align", self.memory_align.to_string()),
            ("table_size", self.table_size.to_string()),
            ("table_align", self.table_align.to_string()),
            ("needed", list(&self.needed)),
            ("export_info", self.export_info.iter().map(|(n, f)| format!("{n}:{f:#x}")).collect::<Vec<_>>().join(", ")),
            (
                "import_info",
                self.import_info.iter().map(|(m, n, f)| format!("{m}.{n}:{f:#x}")).collect::<Vec<_>>().join(", "),
            ),
            ("runtime_path", list(&self.runtime_path)),
        ]
    }
}

/// Reads the first `dylink.0` section of `bytes`; `Ok(None)` when the
/// module has none. Errors (as text) on a section wasmparser cannot read
/// or an unknown subsection.
pub fn read_dylink(bytes: &[u8]) -> Result<Option<Dylink>, String> {
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(|e| e.to_string())?;
        let Payload::CustomSection(custom) = payload else { continue };
        let KnownCustom::Dylink0(reader) = custom.as_known() else { continue };
        let mut info = Dylink::default();
        for sub in reader {
            match sub.map_err(|e| format!("dylink.0: {e}"))? {
                Dylink0Subsection::MemInfo(m) => {
                    info.memory_size = m.memory_size;
                    info.memory_align = m.memory_alignment;
                    info.table_size = m.table_size;
                    info.table_align = m.table_alignment;
                }
                Dylink0Subsection::Needed(v) => info.needed = v.iter().map(|s| s.to_string()).collect(),
                Dylink0Subsection::ExportInfo(v) => {
                    info.export_info = v.iter().map(|e| (e.name.to_string(), bits(e.flags))).collect()
                }
                Dylink0Subsection::ImportInfo(v) => {
                    info.import_info = v.iter().map(|i| (i.module.to_string(), i.field.to_string(), bits(i.flags))).collect()
                }
                Dylink0Subsection::RuntimePath(v) => info.runtime_path = v.iter().map(|s| s.to_string()).collect(),
                Dylink0Subsection::TargetArch(_) => {}
                Dylink0Subsection::Unknown { ty, .. } => return Err(format!("dylink.0: unknown subsection {ty}")),
            }
        }
        return Ok(Some(info));
    }
    Ok(None)
}

fn bits(flags: SymbolFlags) -> u32 {
    flags.bits()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module of just a dylink.0 section, encoded by hand from
    /// DynamicLinking.md's layout.
    fn module_with(subsections: &[(u8, Vec<u8>)]) -> Vec<u8> {
        let mut payload = vec![8];
        payload.extend_from_slice(b"dylink.0");
        for (id, body) in subsections {
            payload.push(*id);
            payload.push(body.len() as u8);
            payload.extend_from_slice(body);
        }
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.push(0);
        m.push(payload.len() as u8);
        m.extend(payload);
        m
    }

    #[test]
    fn subsections_are_read_in_order() {
        let m = module_with(&[
            (1, vec![32, 4, 2, 0]),
            (2, vec![1, 5, b'l', b'i', b'b', b'.', b's']),
            (4, vec![1, 3, b'e', b'n', b'v', 1, b'w', 0x11]),
        ]);
        let d = read_dylink(&m).unwrap().unwrap();
        assert_eq!((d.memory_size, d.memory_align, d.table_size), (32, 4, 2));
        assert_eq!(d.needed, ["lib.s"]);
        assert!(d.is_weak_import("env", "w"));
        assert!(!d.is_weak_import("env", "x"));
    }

    #[test]
    fn no_section_is_none_and_unknown_subsections_are_errors() {
        assert_eq!(read_dylink(b"\0asm\x01\0\0\0").unwrap(), None);
        assert!(read_dylink(&module_with(&[(9, vec![0])])).unwrap_err().contains("unknown subsection 9"));
    }
}
