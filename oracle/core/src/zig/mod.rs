//! Zig's self-hosted wasm linker as a linker with wasm-ld's command line.
//!
//! `zig build-exe -fno-lld` links wasm objects with Zig's own linker
//! (`src/link/Wasm`); `zig cc` and `zig wasm-ld` use the LLD Zig bundles,
//! which would add nothing to the matrix. The adapter turns a wasm-ld
//! command line into `zig build-exe` arguments ([`args`]), tells Zig the
//! target features the inputs use (`-mcpu=mvp+...`: Zig rejects an object
//! using a feature the CPU lacks, and would otherwise write its CPU's
//! features into the output), rewrites archives Zig cannot read
//! ([`inputs`]), and runs Zig in a scratch folder of its own (caches
//! included, so every link is a real one and nothing is left behind):
//!
//! ```text
//! zig build-exe -target wasm32-freestanding -mcpu=mvp+FEATURES -fno-lld
//!     -fno-compiler-rt -fno-ubsan-rt --color off --cache-dir T --global-cache-dir T
//!     MAPPED-OPTIONS INPUTS -femit-bin=T/OUTPUT
//! ```
//!
//! `-fno-compiler-rt`/`-fno-ubsan-rt` keep Zig from adding its own runtime
//! libraries: the link holds exactly the command line's inputs, as with
//! wasm-ld. Zig exits 1 with `error: ...` lines (`    note: ...` lines
//! continue them) when it refuses a link; the oracle reads them as any
//! linker's ([`crate::diagnostics`]; Zig's wordings are classified into the
//! same kinds in [`crate::diagnostics::kind`]).

pub mod args;
pub mod inputs;

use crate::outcome::Outcome;
use crate::process::run_process;
use args::{Input, Translation};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The name Zig's linker has in reports.
pub const ZIG_NAME: &str = "zig";

/// The Zig release scripts/setup.sh installs (PyPI package `ziglang`).
pub const ZIG_RELEASE: &str = "0.17.1";

/// What installs Zig, for messages.
pub const INSTALL_HINT: &str = "pip install ziglang==0.17.1 (scripts/setup.sh installs it)";

/// The `zig` program: `$ZIG` if set, else the one in Python's `ziglang`
/// package (`python3 -m ziglang`'s binary), else `zig` on `PATH`. Errors:
/// none found, with what installs it.
pub fn locate() -> Result<PathBuf, String> {
    if let Some(zig) = std::env::var_os("ZIG") {
        let zig = PathBuf::from(zig);
        return if zig.is_file() { Ok(zig) } else { Err(format!("$ZIG={} is not a file", zig.display())) };
    }
    let from_pip = Command::new("python3")
        .args(["-c", "import ziglang, os; print(os.path.dirname(ziglang.__file__))"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()).join("zig"))
        .filter(|p| p.is_file());
    let on_path = || {
        std::env::var_os("PATH")
            .into_iter()
            .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
            .map(|dir| dir.join("zig"))
            .find(|p| p.is_file())
    };
    from_pip.or_else(on_path).ok_or_else(|| format!("zig is not installed (no $ZIG, no Python ziglang package, no zig on PATH): {INSTALL_HINT}"))
}

/// `Zig 0.17.1 (zig build-exe -fno-lld)`, from `zig version`. Errors: Zig
/// does not run or prints nothing.
pub fn version(program: &Path) -> Result<String, String> {
    let out = Command::new(program)
        .arg("version")
        .output()
        .map_err(|e| format!("cannot run `{} version`: {e}", program.display()))?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || text.is_empty() {
        return Err(format!("`{} version` failed ({})", program.display(), out.status));
    }
    Ok(format!("Zig {text} (zig build-exe -fno-lld)"))
}

/// Links wasm-ld's `args` (relative paths against `cwd`) with Zig.
/// An option the adapter cannot map, or a target feature Zig does not
/// know, gives [`Outcome::Unsupported`]; otherwise the outcome is Zig's, read
/// as any external linker's (exit 0 with the output, 1 with diagnostics,
/// anything else a crash, killed after `timeout`).
pub fn link(program: &Path, args: &[String], cwd: &Path, timeout: Duration) -> Outcome {
    let link = match args::translate(args) {
        Translation::Zig(link) => link,
        Translation::Unsupported(reason) => return Outcome::Unsupported { reason },
    };
    let scratch = match tempfile::Builder::new().prefix("linkcheck-zig-").tempdir() {
        Ok(t) => t,
        Err(e) => return Outcome::Crashed { status: format!("could not start: scratch folder: {e}"), stderr: String::new() },
    };
    let mut inputs = Vec::new();
    let mut features = BTreeSet::new();
    for (index, input) in link.inputs.iter().enumerate() {
        let given = match input {
            Input::File(path) => path.clone(),
            Input::Library(name) => match find_library(name, &link.library_paths, cwd) {
                Some(path) => path,
                // Zig reports the library it cannot find in its own words.
                None => {
                    inputs.push(format!("-l{name}"));
                    continue;
                }
            },
        };
        let prepared = inputs::prepare(&given, cwd, scratch.path(), index);
        features.extend(prepared.features);
        inputs.push(prepared.path.to_string_lossy().into_owned());
    }
    let mut cpu = String::from("mvp");
    for feature in &features {
        match inputs::zig_feature(feature) {
            Some(zig) => {
                cpu.push('+');
                cpu.push_str(&zig);
            }
            None if feature == "memory64" => {}
            None => return Outcome::Unsupported { reason: format!("zig: target feature `{feature}` is unknown to Zig") },
        }
    }
    let file_name = crate::cmdline::output_arg(args)
        .and_then(|o| Path::new(&o).file_name().map(|f| f.to_string_lossy().into_owned()))
        .filter(|f| f != "-")
        .unwrap_or_else(|| "a.out".to_string());
    let output = scratch.path().join("out").join(file_name);
    if let Err(e) = std::fs::create_dir_all(scratch.path().join("out")) {
        return Outcome::Crashed { status: format!("could not start: output folder: {e}"), stderr: String::new() };
    }
    let cache = scratch.path().join("cache").to_string_lossy().into_owned();
    let target = if link.wasm64 { "wasm64-freestanding" } else { "wasm32-freestanding" };
    let mut command: Vec<String> = [
        "build-exe", "-target", target, &format!("-mcpu={cpu}"), "-fno-lld", "-fno-compiler-rt", "-fno-ubsan-rt",
        "--color", "off", "--cache-dir", &cache, "--global-cache-dir", &cache,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    command.extend(link.library_paths.iter().map(|d| format!("-L{d}")));
    command.extend(link.options);
    command.extend(inputs);
    command.push(format!("-femit-bin={}", output.display()));
    run_process(program, &command, cwd, timeout, &output)
}

/// `libNAME.a` in the first of `paths` (relative to `cwd`) that has it,
/// as wasm-ld looks for `-l NAME` in a static link.
fn find_library(name: &str, paths: &[String], cwd: &Path) -> Option<String> {
    paths.iter().map(|dir| Path::new(dir).join(format!("lib{name}.a"))).find(|p| cwd.join(p).is_file()).map(|p| p.to_string_lossy().into_owned())
}
