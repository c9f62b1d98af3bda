//! Which linkers this machine has: [`discover`].
//!
//! The linkers compared by `linkcheck conform --all-linkers` and listed by
//! `linkcheck linkers`, in this order:
//!
//! | name | what | where |
//! |---|---|---|
//! | `refld` | the reference linker, in-process | this crate's dependency |
//! | `rust-lld` | the Rust toolchain's wasm-ld | `$(rustc --print sysroot)/lib/rustlib/HOST/bin/gcc-ld/wasm-ld` |
//! | `wasm-ld-14`, `-16`, `-19`, `-22` | Debian's LLVM releases | `PATH` (packages `lld`, `lld-16`, `lld-19`, `lld-22`) |
//! | `wild` | Wild 0.10's wasm backend | `$HOME/.cache/refld/wild/wasm/wasm-ld`, a symlink to `../bin/wild` |
//! | `zig` | Zig 0.17's self-hosted wasm linker (`zig build-exe -fno-lld`), through the adapter in [`crate::zig`] | `$ZIG`, Python's `ziglang` package (`pip install ziglang==0.17.1`), or `zig` on `PATH` |
//!
//! Wild chooses its flavour from its program name, so it is called through a
//! symlink named `wasm-ld` (scripts/setup.sh installs Wild with
//! `cargo install wild-linker --version 0.10.0 --features wasm` and makes the
//! link). Each external linker's version is the first non-empty line of its
//! `--version` (stdout, else stderr); Wild's wasm flavour rejects
//! `--version`, so Wild's comes from `bin/wild --version`; Zig's from
//! `zig version`.
//!
//! [`discover_all`] says for every expected linker whether it was found, and
//! if not, what installs it; [`discover`] keeps those found.

use crate::linker::{Linker, REFERENCE_NAME, RUST_LLD_NAME};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A wasm-ld release as Debian ships it: the program and its package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DebianLinker {
    /// The program (`/usr/bin/wasm-ld-19`), also the linker's name.
    pub program: &'static str,
    /// The Debian package that installs it.
    pub package: &'static str,
}

/// The default baseline: wasm-ld 22 (package `lld-22`).
pub const BASELINE: DebianLinker = DebianLinker { program: "wasm-ld-22", package: "lld-22" };

/// The default releases, oldest first: wasm-ld 14 (package `lld`, Debian
/// 12's default LLVM), 16 and 19.
pub const RELEASES: [DebianLinker; 3] = [
    DebianLinker { program: "wasm-ld-14", package: "lld" },
    DebianLinker { program: "wasm-ld-16", package: "lld-16" },
    DebianLinker { program: "wasm-ld-19", package: "lld-19" },
];

impl DebianLinker {
    /// The program's path: the first match on `PATH`, else `/usr/bin`.
    pub fn find(&self) -> Option<PathBuf> {
        let on_path = std::env::var_os("PATH")
            .into_iter()
            .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
            .map(|dir| dir.join(self.program))
            .find(|p| is_executable(p));
        on_path.or_else(|| Some(Path::new("/usr/bin").join(self.program)).filter(|p| is_executable(p)))
    }

    /// [`DebianLinker::find`], or an error naming the package to install.
    pub fn locate(&self) -> Result<PathBuf, String> {
        self.find().ok_or_else(|| {
            format!(
                "{} is not installed (not on PATH, not in /usr/bin): apt-get install {} \
                 (scripts/setup.sh installs it)",
                self.program, self.package
            )
        })
    }
}

/// The name given to Wild.
pub const WILD_NAME: &str = "wild";

/// How a found linker is given a link's wasm-ld command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Adapter {
    /// As it is: the linker has wasm-ld's command line (refld, rust-lld,
    /// wasm-ld releases, Wild through its `wasm-ld` name).
    WasmLd,
    /// Translated into `zig build-exe -fno-lld` options ([`crate::zig`]).
    Zig,
}

/// A linker found on this machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Found {
    /// Name in reports (`refld`, `rust-lld`, `wasm-ld-19`, `wild`).
    pub name: String,
    /// The program; `None` for refld (in-process).
    pub program: Option<PathBuf>,
    /// Arguments before the link's own.
    pub leading_args: Vec<String>,
    /// First line of `--version` (`Debian LLD 19.1.7 (compatible with GNU
    /// linkers)`); `refld 0.1.0 (in-process)` for refld.
    pub version: String,
    /// How the command line reaches it.
    pub adapter: Adapter,
}

impl Found {
    /// The linker, ready for [`Linker::link`].
    pub fn linker(&self) -> Linker {
        match (&self.program, self.adapter) {
            (None, _) => Linker::Reference,
            (Some(program), Adapter::Zig) => Linker::Zig { name: self.name.clone(), program: program.clone() },
            (Some(program), Adapter::WasmLd) => Linker::External {
                name: self.name.clone(),
                program: program.clone(),
                leading_args: self.leading_args.clone(),
            },
        }
    }

    /// The command line prefix (`/usr/bin/wasm-ld-19`), `(in-process)`, or
    /// Zig's program with a note on the adapter.
    pub fn command(&self) -> String {
        match &self.program {
            None => "(in-process)".to_string(),
            Some(program) if self.adapter == Adapter::Zig => {
                format!("{} build-exe -fno-lld (wasm-ld options mapped by linkcheck_core::zig)", program.display())
            }
            Some(program) => std::iter::once(program.display().to_string())
                .chain(self.leading_args.iter().cloned())
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

/// A linker expected but not usable here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missing {
    /// The name it would have (`wasm-ld-16`).
    pub name: String,
    /// Why, and what installs it (`... apt-get install lld-16 (scripts/setup.sh installs it)`).
    pub reason: String,
}

/// Every expected linker, found or not, in the table's order (refld first).
pub fn discover_all() -> Vec<Result<Found, Missing>> {
    let mut all = vec![Ok(reference())];
    all.push(rust_lld());
    // Oldest first, the baseline release last.
    for debian in RELEASES.iter().chain(std::iter::once(&BASELINE)) {
        all.push(debian_linker(debian));
    }
    all.push(wild());
    all.push(zig());
    all
}

/// The linkers found on this machine, refld first.
pub fn discover() -> Vec<Found> {
    discover_all().into_iter().filter_map(Result::ok).collect()
}

/// The linker [`discover_all`] names `name` (`zig`, `wasm-ld-14`, ...),
/// ready to link. Errors: not installed (with what installs it), or no
/// linker of that name.
pub fn by_name(name: &str) -> Result<Linker, String> {
    match discover_all().into_iter().find(|r| match r {
        Ok(f) => f.name == name,
        Err(m) => m.name == name,
    }) {
        Some(Ok(found)) => Ok(found.linker()),
        Some(Err(m)) => Err(format!("linker {name} is missing: {}", m.reason)),
        None => Err(format!("no linker is named {name} (`linkcheck linkers` lists them)")),
    }
}

/// A `--linker` value: `NAME=COMMAND` ([`Linker::from_spec`], a program
/// with wasm-ld's command line) or a bare name [`by_name`] finds (`zig`,
/// `wasm-ld-14`, `wild`). Errors: a malformed spec, a missing or unknown
/// linker.
pub fn linker_from_arg(arg: &str) -> Result<Linker, String> {
    if arg.contains('=') {
        Linker::from_spec(arg).map_err(|e| e.to_string())
    } else {
        by_name(arg)
    }
}

/// refld, with its package version.
pub fn reference() -> Found {
    Found {
        name: REFERENCE_NAME.into(),
        program: None,
        leading_args: Vec::new(),
        version: format!("refld {} (in-process)", refld::VERSION),
        adapter: Adapter::WasmLd,
    }
}

/// The Rust toolchain's wasm-ld.
pub fn rust_lld() -> Result<Found, Missing> {
    let missing = |reason: String| Missing { name: RUST_LLD_NAME.into(), reason };
    match Linker::rust_lld() {
        Ok(Linker::External { name, program, leading_args }) => {
            external(name, program, leading_args, "it ships with the Rust toolchain")
        }
        Ok(Linker::Reference | Linker::Zig { .. }) => Err(missing("not an external linker".into())),
        Err(e) => Err(missing(format!("{e} (it ships with the Rust toolchain)"))),
    }
}

/// A Debian wasm-ld release (`wasm-ld-19`, package `lld-19`).
pub fn debian_linker(debian: &DebianLinker) -> Result<Found, Missing> {
    let hint = format!("apt-get install {} (scripts/setup.sh installs it)", debian.package);
    match debian.locate() {
        Ok(program) => external(debian.program.into(), program, Vec::new(), &hint),
        Err(reason) => Err(Missing { name: debian.program.into(), reason }),
    }
}

/// Where scripts/setup.sh installs Wild: `$HOME/.cache/refld/wild`.
pub fn wild_root() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/root"));
    home.join(".cache/refld/wild")
}

/// The symlink through which Wild links wasm: `WILD_ROOT/wasm/wasm-ld`.
pub fn wild_program() -> PathBuf {
    wild_root().join("wasm/wasm-ld")
}

/// Wild 0.10, called as `wasm-ld` through [`wild_program`].
pub fn wild() -> Result<Found, Missing> {
    let program = wild_program();
    let hint = "run scripts/setup.sh (it runs `cargo install wild-linker --version 0.10.0 --features wasm` \
                and links wasm/wasm-ld to bin/wild)";
    if !is_executable(&program) {
        return Err(Missing {
            name: WILD_NAME.into(),
            reason: format!("{} does not exist: {hint}", program.display()),
        });
    }
    // Wild's wasm flavour rejects `--version` (`wild: error: unrecognized
    // option(s): --version`, exit status 255); the program under its own
    // name answers it (`Wild 0.10.0 non-git-build (compatible with GNU
    // linkers)`).
    let version = version_of(&program, &[]).or_else(|first| {
        let own = std::fs::canonicalize(&program).map_err(|e| format!("{first}; {}: {e}", program.display()))?;
        version_of(&own, &[]).map_err(|e| format!("{first}; {e}"))
    });
    match version {
        Ok(version) => Ok(Found {
            name: WILD_NAME.into(),
            program: Some(program),
            leading_args: Vec::new(),
            version,
            adapter: Adapter::WasmLd,
        }),
        Err(e) => Err(Missing { name: WILD_NAME.into(), reason: format!("{e} ({hint})") }),
    }
}

/// Zig's self-hosted wasm linker ([`crate::zig`]).
pub fn zig() -> Result<Found, Missing> {
    let missing = |reason: String| Missing { name: crate::zig::ZIG_NAME.into(), reason };
    let program = crate::zig::locate().map_err(missing)?;
    let version = crate::zig::version(&program).map_err(|e| missing(format!("{e} ({})", crate::zig::INSTALL_HINT)))?;
    Ok(Found {
        name: crate::zig::ZIG_NAME.into(),
        program: Some(program),
        leading_args: Vec::new(),
        version,
        adapter: Adapter::Zig,
    })
}

fn external(name: String, program: PathBuf, leading_args: Vec<String>, hint: &str) -> Result<Found, Missing> {
    match version_of(&program, &leading_args) {
        Ok(version) => Ok(Found { name, program: Some(program), leading_args, version, adapter: Adapter::WasmLd }),
        Err(e) => Err(Missing { name, reason: format!("{e} ({hint})") }),
    }
}

/// The first non-empty line of `PROGRAM LEADING_ARGS... --version` (stdout,
/// else stderr); an error when it cannot run, fails, or prints nothing.
pub fn version_of(program: &Path, leading_args: &[String]) -> Result<String, String> {
    let out = Command::new(program)
        .args(leading_args)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run `{} --version`: {e}", program.display()))?;
    let first = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes).lines().map(str::trim).find(|l| !l.is_empty()).map(str::to_string)
    };
    match first(&out.stdout).or_else(|| first(&out.stderr)) {
        Some(line) if out.status.success() => Ok(line),
        _ => Err(format!(
            "`{} --version` failed ({}): {}",
            program.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )),
    }
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// `linkcheck linkers`: one row per linker found (name, version, command),
/// then one line per linker missing.
pub fn render_table(all: &[Result<Found, Missing>]) -> String {
    let found: Vec<&Found> = all.iter().filter_map(|r| r.as_ref().ok()).collect();
    let rows: Vec<[String; 3]> = std::iter::once(["name".into(), "version".into(), "command".into()])
        .chain(found.iter().map(|f| [f.name.clone(), f.version.clone(), f.command()]))
        .collect();
    let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let (w0, w1) = (width(0), width(1));
    let mut text = String::new();
    for r in &rows {
        let line = format!("{:<w0$}  {:<w1$}  {}", r[0], r[1], r[2]);
        text.push_str(line.trim_end());
        text.push('\n');
    }
    for m in all.iter().filter_map(|r| r.as_ref().err()) {
        text.push_str(&format!("missing: {}: {}\n", m.name, m.reason));
    }
    text
}

/// `linkcheck linkers --json`: `{"found": [{name, program, leading_args,
/// version, command}], "missing": [{name, reason}]}`.
pub fn render_json(all: &[Result<Found, Missing>]) -> String {
    let found: Vec<serde_json::Value> = all
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|f| {
            let mut v = serde_json::to_value(f).expect("Found serializes");
            v["command"] = serde_json::Value::String(f.command());
            v
        })
        .collect();
    let missing: Vec<&Missing> = all.iter().filter_map(|r| r.as_ref().err()).collect();
    serde_json::to_string_pretty(&serde_json::json!({ "found": found, "missing": missing }))
        .expect("JSON serializes")
}
