//! What the fuzz targets share: the policy they judge by and where they
//! find the external linkers, so that a fuzzer binary runs from a folder
//! holding nothing but itself and what the build put beside it (OSS-Fuzz's
//! and ClusterFuzzLite's `$OUT`, on machines with no source tree and no
//! `rustc`).
//!
//! - The policy is corpus/policy.toml as built in
//!   ([`linkcheck_core::policy::Policy::embedded`]); cargo rebuilds the
//!   targets when the file changes, so `cargo fuzz run` always judges by the
//!   current one.
//! - An external linker NAME is looked up, in this order:
//!   1. `NAME=COMMAND`: that command (as `linkcheck --linker` takes it);
//!   2. `DIR/linkers/NAME/wasm-ld`, DIR being the folder of the running
//!      executable: where `.clusterfuzzlite/build.sh` bundles rust-lld,
//!      Wild and wasm-ld-19/22 (each called `wasm-ld`, as lld and Wild pick
//!      their flavour from the program name; shared libraries in
//!      `DIR/linkers/lib`, which the programs' `$ORIGIN/../lib` run path
//!      names);
//!   3. [`linkcheck_core::discover`]: rust-lld from `rustc --print sysroot`,
//!      `wasm-ld-N` on `PATH`, Wild in `$HOME/.cache/refld/wild` (what
//!      `cargo fuzz run` in a checkout uses).
//!
//! A name found nowhere is an error naming both places and what installs
//! it.

use linkcheck_core::discover::{self, Found, Missing};
use linkcheck_core::linker::Linker;
use linkcheck_core::policy::Policy;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The folder name, beside the fuzzer executable, of bundled linkers.
pub const BUNDLE_DIR: &str = "linkers";

/// The program name of every bundled linker (`linkers/NAME/wasm-ld`).
pub const BUNDLED_PROGRAM: &str = "wasm-ld";

/// The policy the targets judge by: corpus/policy.toml as built in.
pub fn policy() -> Policy {
    Policy::embedded().clone()
}

/// The folder of the running executable (`/proc/self/exe`, else argv[0]:
/// OSS-Fuzz's fuzzer environment guarantees argv[0], not the working
/// directory).
pub fn executable_dir() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok().or_else(|| std::env::args_os().next().map(PathBuf::from))?;
    exe.parent().map(Path::to_path_buf)
}

/// `DIR/linkers/NAME/wasm-ld` beside the executable, when it is there and
/// executable.
pub fn bundled(name: &str) -> Option<PathBuf> {
    let program = executable_dir()?.join(BUNDLE_DIR).join(name).join(BUNDLED_PROGRAM);
    is_executable(&program).then_some(program)
}

/// The linker `spec` names: `refld` (in-process), `NAME=COMMAND`, or a
/// name looked up as the crate documentation says (bundled first, then
/// [`discover::discover_all`]).
pub fn find_linker(spec: &str) -> Result<Linker, String> {
    let spec = spec.trim();
    if spec == linkcheck_core::linker::REFERENCE_NAME {
        return Ok(Linker::Reference);
    }
    if spec.contains('=') {
        return Linker::from_spec(spec).map_err(|e| format!("linker {spec}: {e}"));
    }
    if let Some(program) = bundled(spec) {
        return Ok(Linker::External { name: spec.to_string(), program, leading_args: Vec::new() });
    }
    let not_bundled = match executable_dir() {
        Some(dir) => format!("not bundled as {}", dir.join(BUNDLE_DIR).join(spec).join(BUNDLED_PROGRAM).display()),
        None => "not bundled (the executable's folder is unknown)".to_string(),
    };
    match discovered().iter().find(|f| found_name(f) == spec) {
        Some(Ok(found)) => Ok(found.linker()),
        Some(Err(missing)) => Err(format!("linker {spec}: {not_bundled}, and {}", missing.reason)),
        None => {
            let known: Vec<&str> = discovered().iter().map(found_name).collect();
            Err(format!("unknown linker {spec} ({not_bundled}; known: {})", known.join(", ")))
        }
    }
}

/// refld, then each of `names` ([`find_linker`]), skipping empty names.
pub fn reference_and(names: &[&str]) -> Result<Vec<Linker>, String> {
    let mut linkers = vec![Linker::Reference];
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        linkers.push(find_linker(name)?);
    }
    Ok(linkers)
}

/// `name (program)` or `refld (in-process)`, for the line a target prints
/// when it starts (scripts/fuzz-build-check.sh reads it to check that a
/// bundled build uses its bundled linkers).
pub fn describe(linker: &Linker) -> String {
    match linker {
        Linker::Reference => format!("{} (in-process)", linker.name()),
        Linker::External { name, program, leading_args } if leading_args.is_empty() => {
            format!("{name} ({})", program.display())
        }
        Linker::External { name, program, leading_args } => {
            format!("{name} ({} {})", program.display(), leading_args.join(" "))
        }
        Linker::Zig { name, program } => format!("{name} ({} build-exe -fno-lld, through linkcheck_core::zig)", program.display()),
        // A kind of linker added to linkcheck-core later: its name at least.
        #[allow(unreachable_patterns)]
        other => other.name().to_string(),
    }
}

/// Where a target saves what it found (`fuzz/artifacts/TARGET/...` in the
/// source tree it was built from), or `None` when that tree is not on this
/// machine: on a ClusterFuzz runner everything but /tmp is read-only, and
/// the crashing input itself is the reproducer.
pub fn artifacts_dir(target: &str) -> Option<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR"));
    fuzz.join("Cargo.toml").is_file().then(|| fuzz.join("artifacts").join(target))
}

/// Every expected linker, found or not; probed once (it runs each
/// linker's `--version` and `rustc`) and only when a name is not bundled.
fn discovered() -> &'static [Result<Found, Missing>] {
    static ALL: OnceLock<Vec<Result<Found, Missing>>> = OnceLock::new();
    ALL.get_or_init(discover::discover_all)
}

fn found_name(f: &Result<Found, Missing>) -> &str {
    match f {
        Ok(found) => &found.name,
        Err(missing) => &missing.name,
    }
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}
