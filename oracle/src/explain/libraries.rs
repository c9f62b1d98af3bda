//! Where a missing definition may be: archives and objects on this
//! machine that are not on the command line. The places a person would
//! look first: the `-L` folders, the folders of the inputs (an archive
//! built beside the objects and forgotten), then libraries every wasm
//! toolchain ships (wasi-libc's sysroot, compiler-rt's builtins). Which of
//! their symbols are defined is read by refld (`refld::explain::defined_symbols`),
//! as it reads an archive it links.

use refld::{Config, InputSpec, SymbolKind};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// A file found that defines some of the symbols asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The file, as found (absolute, or as the `-L` path spells it).
    pub path: PathBuf,
    /// What it is, when it is a known library: `wasi-libc`, `libc++`,
    /// `compiler-rt builtins`.
    pub label: Option<&'static str>,
    /// The symbols asked for that it defines: name, kind and the file or
    /// member (`libutil.a(util.o)`) defining it.
    pub defines: Vec<(String, SymbolKind, String)>,
}

/// Files read at most, so that an inputs' folder full of objects (a build
/// tree) keeps `explain` quick; the known libraries come last.
const MAX_FILES: usize = 2000;
/// Larger files are skipped (no library of interest is that large).
const MAX_BYTES: u64 = 512 << 20;

/// The folders searched, in order, each with the label of its libraries
/// (`None`: the command line's own folders): the `-L` folders, the folders
/// of the file inputs (relative ones under `cwd`, `cwd` itself included),
/// wasi-libc's sysroots (Debian's `/usr/lib/wasm32-wasi`, wasi-sdk's, and
/// `$WASI_SYSROOT`'s) and clang's compiler-rt builtins for WASI.
pub fn search_folders(config: &Config, cwd: &Path) -> Vec<(PathBuf, Option<&'static str>)> {
    let mut out: Vec<(PathBuf, Option<&'static str>)> = Vec::new();
    for dir in &config.search_paths {
        out.push((cwd.join(dir), None));
    }
    out.push((cwd.to_path_buf(), None));
    for input in &config.inputs {
        if let InputSpec::File { path, .. } = input {
            if let Some(parent) = cwd.join(path).parent() {
                out.push((parent.to_path_buf(), None));
            }
        }
    }
    let mut sysroots = vec![PathBuf::from("/usr"), PathBuf::from("/usr/share/wasi-sysroot"), PathBuf::from("/opt/wasi-sdk/share/wasi-sysroot")];
    if let Some(root) = std::env::var_os("WASI_SYSROOT") {
        sysroots.insert(0, PathBuf::from(root));
    }
    for root in sysroots {
        for target in ["wasm32-wasi", "wasm32-wasip1", "wasm32-wasip2"] {
            out.push((root.join("lib").join(target), Some("wasi-libc")));
        }
    }
    // clang's runtime folder holds the version: every installed one.
    for pattern_root in [Path::new("/usr/lib"), Path::new("/opt/wasi-sdk/lib")] {
        for llvm in read_dir_sorted(pattern_root).into_iter().filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("llvm-") || n == "clang")) {
            let clang = if llvm.ends_with("clang") { llvm.clone() } else { llvm.join("lib/clang") };
            for version in read_dir_sorted(&clang) {
                out.push((version.join("lib/wasi"), Some("compiler-rt builtins")));
            }
        }
    }
    let mut seen = HashSet::new();
    out.retain(|(dir, _)| dir.is_dir() && seen.insert(dir.canonicalize().unwrap_or_else(|_| dir.clone())));
    out
}

fn read_dir_sorted(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir).map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    v.sort();
    v
}

/// The files the command line links already (its inputs, and each `-l`
/// library where the link would find it), canonical: a definition there
/// is no missing library.
fn on_the_line(config: &Config, cwd: &Path) -> HashSet<PathBuf> {
    let canon = |p: PathBuf| p.canonicalize().unwrap_or(p);
    let mut out = HashSet::new();
    for input in &config.inputs {
        match input {
            InputSpec::File { path, .. } => {
                out.insert(canon(cwd.join(path)));
            }
            InputSpec::Library { name, .. } => {
                for dir in &config.search_paths {
                    out.insert(canon(cwd.join(dir).join(format!("lib{name}.a"))));
                }
            }
        }
    }
    out
}

/// Every file of the search folders that defines one of `wanted` (name and
/// kind), in search order, at most `MAX_FILES` files read. Archives
/// (`*.a`, `*.rlib`) everywhere, objects (`*.o`) only in the command line's
/// own folders (a sysroot's `crt1.o` is no library).
pub fn find(config: &Config, cwd: &Path, wanted: &BTreeMap<String, SymbolKind>) -> Vec<Found> {
    let linked = on_the_line(config, cwd);
    let mut out = Vec::new();
    let mut read = 0;
    let mut done = HashSet::new();
    for (dir, label) in search_folders(config, cwd) {
        for path in read_dir_sorted(&dir) {
            let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            let archive = name.ends_with(".a") || name.ends_with(".rlib");
            let object = name.ends_with(".o") && label.is_none();
            let canonical = path.canonicalize().unwrap_or_else(|_| path.clone());
            if !(archive || object) || linked.contains(&canonical) || !done.insert(canonical) {
                continue;
            }
            if read >= MAX_FILES || path.metadata().map_or(true, |m| !m.is_file() || m.len() > MAX_BYTES) {
                continue;
            }
            read += 1;
            let Ok(bytes) = std::fs::read(&path) else { continue };
            // A file refld cannot read (a native archive in a -L folder)
            // defines nothing it could link.
            let Ok(defs) = refld::explain::defined_symbols(&path.to_string_lossy(), &bytes) else { continue };
            let mut defines = Vec::new();
            let mut names = BTreeSet::new();
            for d in defs.into_iter().filter(|d| wanted.get(&d.name) == Some(&d.kind)) {
                if names.insert(d.name.clone()) {
                    defines.push((d.name, d.kind, d.file));
                }
            }
            if !defines.is_empty() {
                let label = label.map(|l| if l == "wasi-libc" && name.starts_with("libc++") { "libc++" } else { l });
                out.push(Found { path, label, defines });
            }
        }
    }
    out
}
