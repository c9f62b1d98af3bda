//! refld as rustc's linker (`rustc -C linker=refld -C linker-flavor=wasm-ld`):
//! rustc 1.95's `#![no_core]` cdylib for wasm32-unknown-unknown links, and
//! the module is the one rustc's own rust-lld writes, byte for byte (both
//! named `out.wasm`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds `tests/rustc/no_core_cdylib.rs` into `dir/out.wasm`, with
/// `linker` as rustc's linker (`None`: rustc's rust-lld).
fn build(dir: &Path, linker: Option<&Path>) -> Vec<u8> {
    std::fs::create_dir_all(dir).unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rustc/no_core_cdylib.rs");
    let mut cmd = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()));
    cmd.env("RUSTC_BOOTSTRAP", "1")
        .args(["--target", "wasm32-unknown-unknown", "--crate-type", "cdylib", "-O", "-C", "panic=abort", "-o"])
        .arg(dir.join("out.wasm"))
        .arg(&source);
    if let Some(linker) = linker {
        cmd.arg("-C").arg(format!("linker={}", linker.display())).args(["-C", "linker-flavor=wasm-ld"]);
    }
    let out = cmd.output().expect("rustc is missing (the Rust toolchain of the workspace)");
    assert!(out.status.success(), "rustc failed (linker {linker:?}):\n{}", String::from_utf8_lossy(&out.stderr));
    std::fs::read(dir.join("out.wasm")).expect("rustc's output")
}

#[test]
fn rustc_links_a_no_core_cdylib_with_refld() {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("rustc-linker");
    let _ = std::fs::remove_dir_all(&root);
    let ours = build(&root.join("refld"), Some(Path::new(env!("CARGO_BIN_EXE_refld"))));
    let theirs = build(&root.join("rust-lld"), None);
    assert!(ours == theirs, "refld's cdylib differs from rust-lld's");
    // What the crate declares: the import keeps its module and link name,
    // the `#[no_mangle]` function is exported.
    let (mut imports, mut exports) = (Vec::new(), Vec::new());
    for payload in wasmparser::Parser::new(0).parse_all(&ours) {
        match payload.expect("a readable module") {
            wasmparser::Payload::ImportSection(r) => imports.extend(r.into_imports().map(|i| i.map(|i| format!("{}.{}", i.module, i.name)).unwrap())),
            wasmparser::Payload::ExportSection(r) => exports.extend(r.into_iter().map(|e| e.unwrap().name.to_string())),
            _ => {}
        }
    }
    assert_eq!(imports, ["host.log"]);
    assert!(exports.contains(&"answer".to_string()), "{exports:?}");
}
