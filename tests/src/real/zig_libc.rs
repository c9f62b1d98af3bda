//! Zig's own wasi-libc, built once by Zig and kept under stable names, so
//! that every linker of a Zig comparison links the same libc.
//!
//! Zig's self-hosted wasm linker (`zig build-exe -fno-lld`) cannot read
//! Debian's wasi-libc objects: they have no `target_features` section and
//! Zig refuses them (`MissingFeatures`). Zig's wasi-libc has one in every
//! object, and refld, rust-lld, wasm-ld and Zig all link it.
//!
//! [`get`] runs, once per Zig version, in a scratch folder,
//!
//! ```text
//! zig build-exe -target wasm32-wasi -lc -O ReleaseSmall hello.c
//!     --global-cache-dir W/global --cache-dir W/local -femit-bin=W/hello.wasm
//! ```
//!
//! and copies the four files Zig links a C program with out of
//! `W/global/o/HASH/` into `real-programs/zig-libc-VERSION/lib/`:
//! `crt1-command.o`, `libc.a` (wasi-libc's C sources, wasi-libc's emulation
//! libraries included: Zig folds `wasi-emulated-mman`, `-getpid`, `-signal`
//! and `-process-clocks` into it, so the programs' `-lwasi-emulated-*`
//! flags have no counterpart and are left out), `libzigc.a` (the functions
//! Zig writes in Zig: `malloc`, `memcpy`, `strlen`, ...) and
//! `libcompiler_rt.a` (Zig's compiler-rt, in place of clang's builtins).
//! `-O ReleaseSmall`: a Debug libc carries Zig's safety checks and is
//! about 1 MB of output per program.
//!
//! The programs' C sources are compiled against Zig's libc headers
//! ([`ZigLibc::compile_flags`]: clang-19 `-nostdinc`, clang-19's own
//! resource headers, then Zig's `lib/libc/include/{wasm-wasi-musl,
//! generic-musl}`, Zig's own order), so
//! that the ABI of the objects is the libc's they are linked with.
//! Measured with Zig 0.17.1: of zlib's, multi's and lua's objects none
//! differs from its Debian-header build, byte for byte; SQLite's
//! `sqlite3.o` does (its `main.o` does not), and the Debian-header objects
//! linked with Zig's libc run alike. The objects still get their own
//! folders (`NAME+zig-libc/`): their cache keys differ.

use super::cache::Fnv;
use super::tools;
use anyhow::{bail, ensure, Context, Result};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// The files [`get`] keeps, in link order (crt1 first, then the archives).
pub const FILES: [&str; 4] = ["crt1-command.o", "libc.a", "libzigc.a", "libcompiler_rt.a"];

/// Zig's libc header folders under its `lib/libc/include/`, in the order
/// `zig cc -target wasm32-wasi` searches them (it also names
/// `wasm32-wasi-any` and `any-wasi-any`, which Zig 0.17.1 does not ship:
/// `zig cc -E -v` leaves them out of its search list).
pub const INCLUDE_DIRS: [&str; 2] = ["wasm-wasi-musl", "generic-musl"];

/// The optimization mode Zig's libc is built in.
pub const OPTIMIZE: &str = "ReleaseSmall";

/// Zig's wasi-libc, built and ready to link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZigLibc {
    /// `zig version` (`0.17.1`).
    pub version: String,
    /// The folder holding [`FILES`] (`real-programs/zig-libc-VERSION/lib`).
    pub lib_dir: PathBuf,
    /// Zig's `lib/` folder (`zig env`'s `lib_dir`), where its headers are.
    pub zig_lib: PathBuf,
    /// clang-19's resource headers (`stddef.h`, `stdarg.h`, ...).
    pub clang_include: PathBuf,
}

impl ZigLibc {
    /// `lib_dir/FILE` for one of [`FILES`].
    pub fn file(&self, name: &str) -> PathBuf {
        self.lib_dir.join(name)
    }

    /// The header flags a C compile uses instead of Debian's
    /// `--sysroot=/ -isystem /usr/include/wasm32-wasi`.
    pub fn compile_flags(&self) -> Vec<String> {
        let mut flags = vec!["-nostdinc".to_string(), "-isystem".into(), self.clang_include.to_string_lossy().into_owned()];
        for dir in INCLUDE_DIRS {
            flags.push("-isystem".into());
            flags.push(self.zig_lib.join("libc/include").join(dir).to_string_lossy().into_owned());
        }
        flags
    }
}

/// Zig's libc, built under `cache_root/zig-libc-VERSION/` unless already
/// there (once per process; the key is Zig's binary, its version and the
/// build command).
///
/// Errors: Zig or clang-19 missing (the message says what installs them
/// and names scripts/setup.sh); Zig's build failing (its command line and
/// stderr); a file of [`FILES`] not found in Zig's cache, or found twice
/// with different contents.
pub fn get(cache_root: &Path) -> Result<ZigLibc> {
    static BUILT: Mutex<Option<ZigLibc>> = Mutex::new(None);
    let mut built = BUILT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(libc) = built.as_ref() {
        return Ok(libc.clone());
    }
    let libc = build(cache_root)?;
    *built = Some(libc.clone());
    Ok(libc)
}

fn build(cache_root: &Path) -> Result<ZigLibc> {
    let zig = linkcheck_core::zig::locate().map_err(|e| anyhow::anyhow!("Zig's libc needs Zig: {e}"))?;
    let env = output(Command::new(&zig).arg("env"), "zig env")?;
    let version = zig_env_field(&env, "version").context("`zig env` printed no .version")?;
    let zig_lib = PathBuf::from(zig_env_field(&env, "lib_dir").context("`zig env` printed no .lib_dir")?);
    for dir in INCLUDE_DIRS {
        let d = zig_lib.join("libc/include").join(dir);
        ensure!(d.is_dir(), "Zig's libc headers {} are missing ({})", d.display(), linkcheck_core::zig::INSTALL_HINT);
    }
    let clang = tools::which("clang-19")
        .context("`clang-19` not on PATH (run `bash scripts/setup.sh` as root, or `apt-get install -y clang-19`)")?;
    let resource = output(Command::new(&clang).arg("-print-resource-dir"), "clang-19 -print-resource-dir")?;
    let clang_include = PathBuf::from(resource.trim()).join("include");
    ensure!(clang_include.join("stddef.h").is_file(), "clang-19's resource headers are missing in {}", clang_include.display());

    let folder = cache_root.join(format!("zig-libc-{version}"));
    let lib_dir = folder.join("lib");
    let libc = ZigLibc { version: version.clone(), lib_dir: lib_dir.clone(), zig_lib, clang_include };
    let args = build_args();
    let mut key = Fnv::default();
    key.add(version.as_bytes()).add(super::cache::binary_stamp(&zig).as_bytes());
    for a in &args {
        key.add(a.as_bytes());
    }
    let key = key.hex();
    let key_file = folder.join("key");
    if FILES.iter().all(|f| lib_dir.join(f).is_file()) && fs::read_to_string(&key_file).is_ok_and(|k| k == key) {
        return Ok(libc);
    }

    let work = folder.join(format!("build-{}", std::process::id()));
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
    let result = build_in(&zig, &args, &work, &lib_dir);
    let _ = fs::remove_dir_all(&work);
    result?;
    fs::write(&key_file, &key).with_context(|| format!("writing {}", key_file.display()))?;
    Ok(libc)
}

/// `zig build-exe` arguments, relative to the scratch folder.
fn build_args() -> Vec<String> {
    [
        "build-exe", "-target", "wasm32-wasi", "-lc", "-O", OPTIMIZE, "hello.c", "--global-cache-dir", "global",
        "--cache-dir", "local", "-femit-bin=hello.wasm",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Builds hello.c in `work` and copies [`FILES`] into `lib_dir`.
fn build_in(zig: &Path, args: &[String], work: &Path, lib_dir: &Path) -> Result<()> {
    fs::write(work.join("hello.c"), "#include <stdio.h>\nint main(void) { puts(\"hello\"); return 0; }\n")
        .with_context(|| format!("writing {}", work.join("hello.c").display()))?;
    output(Command::new(zig).args(args).current_dir(work), "zig build-exe (Zig's wasi-libc)")?;
    let objects = work.join("global/o");
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    for entry in fs::read_dir(&objects).with_context(|| format!("reading {}", objects.display()))? {
        let dir = entry.with_context(|| format!("reading {}", objects.display()))?.path();
        for name in FILES {
            let f = dir.join(name);
            if f.is_file() {
                found.push((name.to_string(), f));
            }
        }
    }
    fs::create_dir_all(lib_dir).with_context(|| format!("creating {}", lib_dir.display()))?;
    for name in FILES {
        let copies: Vec<&PathBuf> = found.iter().filter(|(n, _)| n == name).map(|(_, p)| p).collect();
        let Some(first) = copies.first() else {
            bail!("Zig built no {name} under {} (Zig {}?)", objects.display(), linkcheck_core::zig::ZIG_RELEASE);
        };
        let bytes = fs::read(first).with_context(|| format!("reading {}", first.display()))?;
        for other in &copies[1..] {
            // Archives name their members by cache path: compare objects only.
            if name.ends_with(".o") && fs::read(other).ok().as_deref() != Some(bytes.as_slice()) {
                bail!("Zig built two different {name}: {} and {}", first.display(), other.display());
            }
        }
        let target = lib_dir.join(name);
        let tmp = lib_dir.join(format!("{name}.tmp-{}", std::process::id()));
        fs::write(&tmp, &bytes).with_context(|| format!("writing {}", tmp.display()))?;
        fs::rename(&tmp, &target).with_context(|| format!("renaming {}", tmp.display()))?;
    }
    Ok(())
}

/// Runs `cmd`; its stdout, or an error with the command and stderr.
fn output(cmd: &mut Command, what: &str) -> Result<String> {
    let out = cmd.output().with_context(|| format!("running {what}: {cmd:?}"))?;
    if !out.status.success() {
        bail!("{what} failed ({}): {cmd:?}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `.NAME = "VALUE",` from `zig env`'s ZON output.
fn zig_env_field(env: &str, name: &str) -> Option<String> {
    let prefix = format!(".{name} = \"");
    env.lines().find_map(|l| l.trim().strip_prefix(prefix.as_str()).and_then(|rest| rest.split('"').next()).map(str::to_string))
}

#[cfg(test)]
mod tests {
    #[test]
    fn zig_env_fields() {
        let env = ".{\n    .lib_dir = \"/z/lib\",\n    .version = \"0.17.1\",\n}\n";
        assert_eq!(super::zig_env_field(env, "version").as_deref(), Some("0.17.1"));
        assert_eq!(super::zig_env_field(env, "lib_dir").as_deref(), Some("/z/lib"));
        assert_eq!(super::zig_env_field(env, "zig_exe"), None);
    }
}
