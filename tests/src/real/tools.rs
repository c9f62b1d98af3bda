//! The external tools and system files the real programs need, found (or
//! reported missing with the command that installs them) before anything is
//! compiled.

use anyhow::{bail, Result};
use std::path::{Path, PathBuf};

/// wasi-libc's sysroot parts: headers, crt1, libc and the emulation archives.
pub const WASI_INCLUDE: &str = "/usr/include/wasm32-wasi";
/// Folder of `libc.a`, `crt1-command.o` and `libwasi-emulated-*.a`.
pub const WASI_LIB: &str = "/usr/lib/wasm32-wasi";
/// The command start file every program links first.
pub const CRT1_COMMAND: &str = "/usr/lib/wasm32-wasi/crt1-command.o";
/// compiler-rt builtins for wasm32 (`__multi3`, float conversions, ...).
pub const BUILTINS: &str = "/usr/lib/llvm-19/lib/clang/19/lib/wasi/libclang_rt.builtins-wasm32.a";
/// Folder of `libc++.a` and `libc++abi.a` for wasm32-wasi.
pub const LIBCXX_LIB: &str = "/usr/lib/llvm-19/lib/wasm32-wasi";
/// libc++ headers for wasm32-wasi.
pub const LIBCXX_INCLUDE: &str = "/usr/lib/llvm-19/include/wasm32-wasi/c++/v1";

/// The line every "missing" error ends with.
const HOW: &str = "run `bash scripts/setup.sh` as root, or `apt-get install -y";

/// Paths of the compilers and archiver; every system file above was checked
/// to exist when this was made.
#[derive(Debug, Clone)]
pub struct Tools {
    /// `clang-19` (C).
    pub clang: PathBuf,
    /// `clang++-19` (C++; same package as clang-19).
    pub clangxx: PathBuf,
    /// `llvm-ar-19`, for the programs' own static archives.
    pub llvm_ar: PathBuf,
}

/// Finds the tools and checks every system file the five programs use.
///
/// Errors: one message listing each missing tool or file with the Debian
/// package that provides it.
pub fn find() -> Result<Tools> {
    let mut missing = Vec::new();
    let mut tool = |name: &str, package: &str| match which(name) {
        Some(path) => path,
        None => {
            missing.push(format!("`{name}` not on PATH ({HOW} {package}`)"));
            PathBuf::from(name)
        }
    };
    let tools = Tools {
        clang: tool("clang-19", "clang-19"),
        clangxx: tool("clang++-19", "clang-19"),
        llvm_ar: tool("llvm-ar-19", "llvm-19"),
    };
    let files: [(String, &str); 9] = [
        (format!("{WASI_INCLUDE}/stdio.h"), "wasi-libc"),
        (CRT1_COMMAND.to_string(), "wasi-libc"),
        (format!("{WASI_LIB}/libc.a"), "wasi-libc"),
        (format!("{WASI_LIB}/libwasi-emulated-mman.a"), "wasi-libc"),
        (format!("{WASI_LIB}/libwasi-emulated-signal.a"), "wasi-libc"),
        (BUILTINS.to_string(), "libclang-rt-19-dev-wasm32"),
        (format!("{LIBCXX_LIB}/libc++.a"), "libc++-19-dev-wasm32"),
        (
            format!("{LIBCXX_LIB}/libc++abi.a"),
            "libc++abi-19-dev-wasm32",
        ),
        (format!("{LIBCXX_INCLUDE}/vector"), "libc++-19-dev-wasm32"),
    ];
    for (file, package) in files {
        if !Path::new(&file).exists() {
            missing.push(format!("{file} is missing ({HOW} {package}`)"));
        }
    }
    if !missing.is_empty() {
        bail!("the real-program tests need:\n  {}", missing.join("\n  "));
    }
    Ok(tools)
}

/// `which NAME`: the first executable file called `name` on `PATH`.
pub(crate) fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}
