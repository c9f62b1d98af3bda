//! External tools the tests run.

use std::path::PathBuf;
use std::process::Command;

/// The Rust toolchain's wasm-ld (rust-lld, LLVM 22), found as linkcheck
/// finds it (`linkcheck_core::linker::Linker::rust_lld`:
/// `$(rustc --print sysroot)/lib/rustlib/<host>/bin/gcc-ld/wasm-ld`).
///
/// Errors: `rustc` could not be run, or the file is not there, with what
/// installs it.
pub fn rust_lld_path() -> Result<PathBuf, String> {
    match linkcheck_core::Linker::rust_lld() {
        Ok(linkcheck_core::Linker::External { program, .. }) => Ok(program),
        Ok(linkcheck_core::Linker::Reference | linkcheck_core::Linker::Zig { .. }) => {
            Err("rust-lld: not an external linker".into())
        }
        Err(e) => Err(format!(
            "{e}: install a Rust toolchain that ships rust-lld (rustup toolchain install stable; \
             every rustup toolchain has it)"
        )),
    }
}

/// [`rust_lld_path`], or a panic saying what installs it.
pub fn rust_lld() -> PathBuf {
    rust_lld_path().unwrap_or_else(|e| panic!("rust-lld is needed: {e}"))
}

/// wabt's `wasm-objdump`, or a panic naming the package.
pub fn wasm_objdump() -> PathBuf {
    let path = PathBuf::from("/usr/bin/wasm-objdump");
    if path.is_file() {
        return path;
    }
    let found = Command::new("sh").args(["-c", "command -v wasm-objdump"]).output().ok();
    match found.filter(|o| o.status.success()) {
        Some(o) => PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()),
        None => panic!("wasm-objdump is missing: install wabt (apt-get install wabt)"),
    }
}
