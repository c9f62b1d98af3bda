//! What the Zig adapter reads from the inputs before Zig links them: the
//! target features they use (Zig checks every object's `target_features`
//! against the CPU it is told, so it is told exactly theirs) and archives
//! to rewrite (Zig 0.17 refuses a GNU archive without a `//` long-name
//! table, which `llvm-ar` leaves out when every member name is short).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The wasm target features Zig 0.17 knows, in its spelling
/// (`zig targets`, `cpusFeatures.wasm32`).
pub const ZIG_FEATURES: [&str; 19] = [
    "atomics",
    "bulk_memory",
    "bulk_memory_opt",
    "call_indirect_overlong",
    "exception_handling",
    "extended_const",
    "fp16",
    "gc",
    "multimemory",
    "multivalue",
    "mutable_globals",
    "nontrapping_bulk_memory_len0",
    "nontrapping_fptoint",
    "reference_types",
    "relaxed_simd",
    "sign_ext",
    "simd128",
    "tail_call",
    "wide_arithmetic",
];

/// Zig's name of a `target_features` entry (Linking.md, "Target Features
/// Section"): dashes become underscores, `half-precision` is `fp16`;
/// `None` for a feature Zig does not know (`memory64` is the target,
/// not a feature, in Zig).
pub fn zig_feature(name: &str) -> Option<String> {
    let zig = match name {
        "half-precision" => "fp16".to_string(),
        other => other.replace('-', "_"),
    };
    ZIG_FEATURES.contains(&zig.as_str()).then_some(zig)
}

/// An input as Zig will be given it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// The path to pass (the original, or a rewritten archive in the
    /// adapter's scratch folder).
    pub path: PathBuf,
    /// Features the input's objects use (`+` entries), wasm names.
    pub features: BTreeSet<String>,
}

/// Reads `path` (relative to `cwd`); an archive without a `//` table is
/// rewritten under `scratch` (same file name, one folder per input, so
/// that diagnostics name the file as the command line does). Errors are
/// returned as text for the harness: an unreadable input is left to Zig
/// to report (it is passed as given).
pub fn prepare(path: &str, cwd: &Path, scratch: &Path, index: usize) -> Prepared {
    let full = cwd.join(path);
    let as_given = Prepared { path: PathBuf::from(path), features: BTreeSet::new() };
    let Ok(bytes) = std::fs::read(&full) else { return as_given };
    if !bytes.starts_with(b"!<arch>\n") {
        return Prepared { features: object_features(&bytes), ..as_given };
    }
    let Ok(archive) = object::read::archive::ArchiveFile::parse(bytes.as_slice()) else { return as_given };
    let mut members: Vec<(String, &[u8])> = Vec::new();
    for member in archive.members() {
        let Ok(member) = member else { return as_given };
        let Ok(data) = member.data(bytes.as_slice()) else { return as_given };
        members.push((String::from_utf8_lossy(member.name()).into_owned(), data));
    }
    let features = members.iter().flat_map(|(_, data)| object_features(data)).collect();
    if has_long_name_table(&bytes) {
        return Prepared { features, ..as_given };
    }
    let refs: Vec<(&str, &[u8])> = members.iter().map(|(n, d)| (n.as_str(), *d)).collect();
    let rewritten = linkcheck_object::archive::archive_with_options(
        &refs,
        linkcheck_object::archive::ArchiveOptions { symbol_index: true, always_long_name_table: true },
    );
    let file_name = full.file_name().map(|f| f.to_os_string()).unwrap_or_else(|| "lib.a".into());
    let dir = scratch.join(format!("archive{index}"));
    let target = dir.join(file_name);
    match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&target, rewritten)) {
        Ok(()) => Prepared { path: target, features },
        Err(_) => Prepared { features, ..as_given },
    }
}

/// The `+` entries of a wasm object's `target_features` section; none for
/// bytes that are not a readable object.
pub fn object_features(bytes: &[u8]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let Ok(wasmparser::Payload::CustomSection(c)) = payload else { continue };
        if c.name() != "target_features" {
            continue;
        }
        let mut reader = wasmparser::BinaryReader::new(c.data(), 0);
        let Ok(count) = reader.read_var_u32() else { break };
        for _ in 0..count {
            let (Ok(prefix), Ok(name)) = (reader.read_u8(), reader.read_string()) else { break };
            if prefix == b'+' {
                out.insert(name.to_string());
            }
        }
    }
    out
}

/// True when the GNU archive has a `//` member among its leading special
/// members (`/` symbol index, `//` long names).
fn has_long_name_table(bytes: &[u8]) -> bool {
    let mut at = 8;
    while at + 60 <= bytes.len() {
        let header = &bytes[at..at + 60];
        let name = &header[..16];
        if name.starts_with(b"// ") || name == b"//              " {
            return true;
        }
        if !name.starts_with(b"/ ") && !name.starts_with(b"/SYM64/") {
            return false;
        }
        let size: usize = std::str::from_utf8(&header[48..58]).ok().and_then(|s| s.trim().parse().ok()).unwrap_or(usize::MAX);
        at = match at.checked_add(60).and_then(|a| a.checked_add(size)) {
            Some(next) => next + next % 2,
            None => return false,
        };
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_names() {
        assert_eq!(zig_feature("bulk-memory").as_deref(), Some("bulk_memory"));
        assert_eq!(zig_feature("half-precision").as_deref(), Some("fp16"));
        assert_eq!(zig_feature("memory64"), None);
        assert_eq!(zig_feature("shared-everything"), None);
    }

    #[test]
    fn long_name_table_detected() {
        use linkcheck_object::archive::{archive_with_options, ArchiveOptions};
        let short = archive_with_options(&[("a.o", b"x")], ArchiveOptions::default());
        assert!(!has_long_name_table(&short));
        let forced = archive_with_options(&[("a.o", b"x")], ArchiveOptions { symbol_index: true, always_long_name_table: true });
        assert!(has_long_name_table(&forced));
        let long = archive_with_options(&[("a_long_member_name.o", b"x")], ArchiveOptions::default());
        assert!(has_long_name_table(&long));
    }

    #[test]
    fn archives_without_a_table_are_rewritten() {
        use linkcheck_object::archive::{archive_with_options, ArchiveOptions};
        let dir = tempfile::tempdir().unwrap();
        for symbol_index in [true, false] {
            let bytes = archive_with_options(&[("m.o", b"\0asm\x01\0\0\0")], ArchiveOptions { symbol_index, always_long_name_table: false });
            std::fs::write(dir.path().join("lib.a"), bytes).unwrap();
            let scratch = dir.path().join(format!("scratch{symbol_index}"));
            let p = prepare("lib.a", dir.path(), &scratch, 0);
            assert_eq!(p.path, scratch.join("archive0/lib.a"), "rewritten (index {symbol_index})");
            assert!(has_long_name_table(&std::fs::read(&p.path).unwrap()));
        }
    }
}
