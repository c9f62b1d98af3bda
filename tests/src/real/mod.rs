//! Real programs (SQLite, Lua, zlib, a C++ program, a multi-file C program
//! with its own archive) compiled with clang-19 for wasm32-wasi, zlib
//! without libc built for wasm64 and for shared memory with TLS, and a Rust
//! program with std built by Debian's rustc 1.63 (`rust_std`, with rustc's
//! own link line: [`rust`]), ready to be linked by refld, wasm-ld or any
//! linker that takes wasm-ld's arguments.
//!
//! The programs that link wasi-libc ([`ZIG_LIBC_NAMES`]) link Debian's by
//! default, or Zig's ([`Libc::Zig`], [`build_with`]; `zig_libc.rs`), which
//! Zig's own linker can read and Debian's it cannot.
//!
//! Objects are cached under `target/real-programs/NAME/` (with Zig's libc
//! `NAME+zig-libc/`, Zig's libc itself in `zig-libc-VERSION/`) and rebuilt
//! only when their command line or sources change. A missing compiler or
//! system library is an error that names the Debian package to install:
//! the tests that use these programs fail, never skip.

mod cache;
pub mod conform;
mod programs;
pub mod rust;
mod sources;
mod tools;
pub mod zig_libc;

pub use programs::{expected_exit, expected_lines, forbidden_text, NAMES, ZIG_LIBC_NAMES};
pub use sources::{locate as locate_sources, Sources};
pub use tools::Tools;

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Which wasi-libc a program is compiled against and linked with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Libc {
    /// Debian's (`/usr/include/wasm32-wasi`, `/usr/lib/wasm32-wasi`) and
    /// clang-19's builtins: the default.
    #[default]
    Debian,
    /// Zig's, built by Zig ([`zig_libc`]), with Zig's compiler-rt; only
    /// for [`ZIG_LIBC_NAMES`].
    Zig,
}

impl Libc {
    /// The suffix of a program's label and cache folder: `""` or `+zig-libc`.
    pub fn suffix(self) -> &'static str {
        match self {
            Libc::Debian => "",
            Libc::Zig => "+zig-libc",
        }
    }

    /// Splits a label (`zlib`, `zlib+zig-libc`) into name and libc.
    pub fn parse_label(label: &str) -> (&str, Libc) {
        match label.strip_suffix(Libc::Zig.suffix()) {
            Some(name) => (name, Libc::Zig),
            None => (label, Libc::Debian),
        }
    }
}

/// One compiled program and the wasm-ld command line that links it.
#[derive(Debug, Clone)]
pub struct RealProgram {
    /// One of [`NAMES`].
    pub name: &'static str,
    /// The wasi-libc it was compiled against and links.
    pub libc: Libc,
    /// wasm-ld's arguments, without argv[0], all paths absolute, ending in
    /// `-o DIR/out.wasm`. Use [`RealProgram::link_args_with_output`] to send
    /// the output elsewhere.
    pub link_args: Vec<String>,
    /// The program's cache folder (`target/real-programs/NAME`, or
    /// `NAME+zig-libc` with Zig's libc): objects, archives, and a free
    /// place for linked outputs.
    pub dir: PathBuf,
}

impl RealProgram {
    /// The name, with `+zig-libc` for Zig's libc: matrix rows, `--keep`
    /// files.
    pub fn label(&self) -> String {
        format!("{}{}", self.name, self.libc.suffix())
    }

    /// The link arguments without `-o` (inputs and flags only).
    pub fn inputs(&self) -> Vec<String> {
        strip_output(&self.link_args)
    }

    /// The link arguments with the output sent to `path` instead.
    pub fn link_args_with_output(&self, path: &Path) -> Vec<String> {
        let mut args = self.inputs();
        args.push("-o".into());
        args.push(path.to_string_lossy().into_owned());
        args
    }

    /// Lines the program prints when run correctly (see [`expected_lines`]).
    pub fn expected_lines(&self) -> &'static [&'static str] {
        expected_lines(self.name)
    }
}

/// The `linkcheck` command line (without argv[0]) that compares linkers on
/// this program: `diff -- <wasm-ld arguments without -o>` (linkcheck gives
/// each linker its own output path). For the in-process
/// `linkcheck_core::check`, pass [`RealProgram::inputs`] instead.
pub fn diff_args(p: &RealProgram) -> Vec<String> {
    let mut args = vec!["diff".to_string(), "--".to_string()];
    args.extend(p.inputs());
    args
}

/// Removes every `-o X` / `-oX` / `--output X` / `--output=X` from `args`.
fn strip_output(args: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-o" | "--output" | "-output" => {
                it.next();
            }
            s if s.starts_with("--output=")
                || (s.starts_with("-o") && s.len() > 2 && !s.starts_with("--")) => {}
            _ => out.push(a.clone()),
        }
    }
    out
}

/// The `tests/` folder of the workspace (this crate's root).
pub fn tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The cargo target folder: `$CARGO_TARGET_DIR` (taken relative to the
/// workspace root when relative) or `<workspace>/target`.
pub fn target_dir() -> PathBuf {
    let workspace = tests_dir().parent().expect("tests/ has a parent").to_path_buf();
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace.join(dir),
        None => workspace.join("target"),
    }
}

/// The folder under which programs are cached: [`target_dir`], then
/// `real-programs/`.
pub fn cache_root() -> PathBuf {
    target_dir().join("real-programs")
}

/// Compiles (when stale) and returns the program `name`, one of [`NAMES`],
/// with Debian's libc.
///
/// Errors: unknown name; a missing tool or system file (the message names
/// the package to install); source crates that cargo could not fetch; a
/// failed compile or archive step (with the command line and stderr).
pub fn build(name: &str) -> Result<RealProgram> {
    build_with(name, Libc::Debian)
}

/// [`build`] with the given libc. Errors: as [`build`]; [`Libc::Zig`] for a
/// program not in [`ZIG_LIBC_NAMES`]; Zig missing (the message names
/// scripts/setup.sh) or failing to build its libc.
pub fn build_with(name: &str, libc: Libc) -> Result<RealProgram> {
    // One build at a time per process: each build already uses every core,
    // and two threads must not compile the same objects twice.
    static BUILD: Mutex<()> = Mutex::new(());
    let _guard = BUILD
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());

    let name: &'static str = NAMES
        .iter()
        .copied()
        .find(|n| *n == name)
        .with_context(|| format!("no real program named `{name}` (known: {NAMES:?})"))?;
    if libc == Libc::Zig && !ZIG_LIBC_NAMES.contains(&name) {
        bail!("`{name}` does not link with Zig's libc (only {ZIG_LIBC_NAMES:?}; programs.rs says why)");
    }
    let own = tests_dir().join("programs").join(programs::source_dir(name));
    let dir = cache_root().join(format!("{name}{}", libc.suffix()));
    if name == "rust_std" {
        let mut link_args = rust::build(&own, &dir).context("building `rust_std`")?;
        link_args.push("-o".into());
        link_args.push(dir.join("out.wasm").to_string_lossy().into_owned());
        return Ok(RealProgram { name, libc, link_args, dir });
    }
    let tools = tools::find()?;
    let sources = sources::locate()?;
    // Our own folder's digest goes into every key: a changed header of
    // ours rebuilds the objects that may include it. With Zig's libc, Zig's
    // version too: its headers come with it.
    let mut own_digest = cache::digest_dir(&own)?;
    let sysroot = match libc {
        Libc::Debian => programs::Sysroot::debian(),
        Libc::Zig => {
            let zig = zig_libc::get(&cache_root()).with_context(|| format!("building Zig's libc for `{name}`"))?;
            own_digest.push_str(&format!(" zig {}", zig.version));
            programs::Sysroot {
                headers: zig.compile_flags(),
                crt1: zig.file("crt1-command.o").to_string_lossy().into_owned(),
                lib_dir: zig.lib_dir.to_string_lossy().into_owned(),
                after_libc: ["libzigc.a", "libcompiler_rt.a"].iter().map(|f| zig.file(f).to_string_lossy().into_owned()).collect(),
                emulation_archives: false,
            }
        }
    };
    let recipe = programs::recipe(name, &tools, &sysroot, &sources, &own, &dir)?;

    // All units in one batch, so every core stays busy.
    let units: Vec<cache::Unit> = recipe
        .objects
        .iter()
        .chain(recipe.archives.iter().flat_map(|a| &a.members))
        .cloned()
        .collect();
    let keys =
        cache::compile_all(&units, &own_digest).with_context(|| format!("building `{name}`"))?;
    let mut next_key = recipe.objects.len();
    for a in &recipe.archives {
        let member_keys = &keys[next_key..next_key + a.members.len()];
        next_key += a.members.len();
        let members: Vec<PathBuf> = a.members.iter().map(|u| u.object.clone()).collect();
        cache::archive(&tools.llvm_ar, &a.path, &members, member_keys)
            .with_context(|| format!("archiving {} for `{name}`", a.path.display()))?;
    }

    let mut link_args = programs::link_inputs(&recipe, &sysroot);
    link_args.push("-o".into());
    link_args.push(dir.join("out.wasm").to_string_lossy().into_owned());
    Ok(RealProgram {
        name,
        libc,
        link_args,
        dir,
    })
}

/// Builds every program, in [`NAMES`] order.
///
/// Errors: as [`build`], for the first program that fails.
pub fn all() -> Result<Vec<RealProgram>> {
    NAMES.iter().map(|n| build(n)).collect()
}

#[cfg(test)]
mod tests {
    use super::strip_output;

    #[test]
    fn strip_output_removes_every_spelling() {
        let args: Vec<String> = [
            "a.o",
            "-o",
            "x",
            "-oy",
            "--output=z",
            "--output",
            "w",
            "-lc",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            strip_output(&args),
            vec!["a.o".to_string(), "-lc".to_string()]
        );
    }
}
