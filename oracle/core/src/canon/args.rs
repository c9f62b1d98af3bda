//! The input objects of a wasm-ld command line, for [`super::canonicalize`].

use super::InputObject;
use std::path::{Path, PathBuf};

/// The WebAssembly objects and archives a wasm-ld command line names:
/// every argument that is a readable file starting with `\0asm` or
/// `!<arch>\n` (relative paths taken against `cwd`; option values such as
/// `-o out.wasm` are not such files), and `-lNAME` / `-l NAME` found as
/// `libNAME.a` in the `-L` folders. Each is named as the command line
/// spells it. Response files (`@file`) are not expanded.
pub fn inputs_from_args(args: &[String], cwd: &Path) -> Vec<InputObject> {
    let mut search: Vec<PathBuf> = Vec::new();
    let mut libs: Vec<(usize, String)> = Vec::new();
    let mut files: Vec<(usize, String)> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let value = |prefix: &str| -> Option<(String, usize)> {
            match a.strip_prefix(prefix) {
                Some("") => args.get(i + 1).map(|v| (v.clone(), 2)),
                Some(v) => Some((v.trim_start_matches('=').to_string(), 1)),
                None => None,
            }
        };
        if let Some((dir, n)) = value("-L").or_else(|| value("--library-path")) {
            search.push(cwd.join(dir));
            i += n;
        } else if let Some((name, n)) = value("-l").or_else(|| value("--library")) {
            libs.push((i, name));
            i += n;
        } else {
            if !a.starts_with('-') && !a.starts_with('@') {
                files.push((i, a.clone()));
            }
            i += 1;
        }
    }
    for (at, name) in libs {
        if let Some(dir) = search.iter().find(|d| d.join(format!("lib{name}.a")).is_file()) {
            files.push((at, dir.join(format!("lib{name}.a")).to_string_lossy().into_owned()));
        }
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|(_, name)| {
            let bytes = std::fs::read(cwd.join(&name)).ok()?;
            (bytes.starts_with(b"\0asm") || bytes.starts_with(b"!<arch>\n")).then(|| InputObject::new(name, bytes))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_archives_and_libraries() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("lib")).unwrap();
        std::fs::write(dir.path().join("a.o"), b"\0asm\x01\0\0\0").unwrap();
        std::fs::write(dir.path().join("lib/libx.a"), b"!<arch>\n").unwrap();
        std::fs::write(dir.path().join("notes.txt"), b"text").unwrap();
        let args: Vec<String> =
            ["--no-entry", "-o", "out.wasm", "a.o", "notes.txt", "-L", "lib", "-lx", "--export", "main"].map(String::from).to_vec();
        let got: Vec<String> = inputs_from_args(&args, dir.path()).into_iter().map(|i| i.name).collect();
        assert_eq!(got, ["a.o".to_string(), dir.path().join("lib/libx.a").to_string_lossy().into_owned()]);
    }
}
