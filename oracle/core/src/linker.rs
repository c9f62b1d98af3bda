//! Linkers side by side: the reference in-process, others as processes.
//!
//! Every way a link can end is an [`Outcome`]; nothing a linker does (crash,
//! hang, garbage on stderr, no output) is a failure of the harness.

use crate::cmdline;
pub use crate::outcome::Outcome;
use crate::process::run_process;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

/// Time a link may take before it is abandoned: 60 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The name of the in-process reference linker.
pub const REFERENCE_NAME: &str = "refld";

/// The name given to the Rust toolchain's wasm-ld.
pub const RUST_LLD_NAME: &str = "rust-lld";

/// A linker with wasm-ld's command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Linker {
    /// refld, called in-process through `refld::driver::link_command_line`.
    Reference,
    /// A program called as `PROGRAM LEADING_ARGS... ARGS... -o TMP/NAME`
    /// (NAME: the file name of the caller's `-o`).
    External {
        /// Name in reports and difference lists (`rust-lld`, `wasm-ld-19`).
        name: String,
        /// The program; a bare name is looked up in `PATH`.
        program: PathBuf,
        /// Arguments before the link's own (e.g. `-flavor wasm`).
        leading_args: Vec<String>,
    },
    /// Zig's self-hosted wasm linker (`zig build-exe -fno-lld`), given
    /// wasm-ld's command line by the adapter in [`crate::zig`]; an option
    /// it cannot map makes the link [`Outcome::Unsupported`].
    Zig {
        /// Name in reports (`zig`).
        name: String,
        /// The `zig` program.
        program: PathBuf,
    },
}


/// Why a linker could not be set up (not why a link failed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupError {
    /// `--linker` value not of the form `NAME=COMMAND`.
    BadSpec(String),
    /// rust-lld could not be found; the message says where it was looked for.
    NotFound(String),
}

impl std::fmt::Display for SetupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SetupError::BadSpec(s) => write!(f, "bad linker `{s}`: expected NAME=COMMAND"),
            SetupError::NotFound(s) => write!(f, "{s}"),
        }
    }
}

impl std::error::Error for SetupError {}

impl Linker {
    /// The linker's name in reports: `refld` or the external's name.
    pub fn name(&self) -> &str {
        match self {
            Linker::Reference => REFERENCE_NAME,
            Linker::External { name, .. } | Linker::Zig { name, .. } => name,
        }
    }

    /// Parses `NAME=COMMAND`. COMMAND is a program, or a program followed by
    /// leading arguments separated by whitespace (`rust-lld -flavor wasm`);
    /// a COMMAND naming an existing file is taken whole, spaces included.
    pub fn from_spec(spec: &str) -> Result<Linker, SetupError> {
        let (name, command) = spec.split_once('=').ok_or_else(|| SetupError::BadSpec(spec.into()))?;
        let (name, command) = (name.trim(), command.trim());
        if name.is_empty() || command.is_empty() {
            return Err(SetupError::BadSpec(spec.into()));
        }
        let (program, leading_args) = if Path::new(command).is_file() {
            (PathBuf::from(command), Vec::new())
        } else {
            let mut words = command.split_whitespace().map(str::to_string);
            let program = words.next().ok_or_else(|| SetupError::BadSpec(spec.into()))?;
            (PathBuf::from(program), words.collect())
        };
        Ok(Linker::External { name: name.into(), program, leading_args })
    }

    /// The active Rust toolchain's wasm-ld, named `rust-lld`:
    /// `<sysroot>/lib/rustlib/<host>/bin/gcc-ld/wasm-ld`, with sysroot and
    /// host from `rustc` (`$RUSTC` if set).
    pub fn rust_lld() -> Result<Linker, SetupError> {
        let program = find_rust_lld()?;
        Ok(Linker::External { name: RUST_LLD_NAME.into(), program, leading_args: Vec::new() })
    }

    /// Links with [`DEFAULT_TIMEOUT`]; see [`Linker::link_with_timeout`].
    pub fn link(&self, args: &[String], cwd: &Path) -> Outcome {
        self.link_with_timeout(args, cwd, DEFAULT_TIMEOUT)
    }

    /// Links `args` (wasm-ld's arguments without argv[0]; relative paths
    /// against `cwd`). External linkers run with current directory `cwd`
    /// but write into a fresh temporary directory (the caller's `-o` is
    /// replaced); nothing is left behind. The reference runs on a thread of
    /// its own: on timeout it is abandoned (it keeps running until the
    /// process ends), a panic becomes [`Outcome::Crashed`].
    pub fn link_with_timeout(&self, args: &[String], cwd: &Path, timeout: Duration) -> Outcome {
        match self {
            Linker::Reference => link_reference(args, cwd, timeout),
            Linker::External { program, leading_args, .. } => {
                link_external(program, leading_args, args, cwd, timeout)
            }
            Linker::Zig { program, .. } => crate::zig::link(program, args, cwd, timeout),
        }
    }
}

fn find_rust_lld() -> Result<PathBuf, SetupError> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let query = |args: &[&str]| -> Result<String, SetupError> {
        let out = Command::new(&rustc).args(args).output().map_err(|e| {
            SetupError::NotFound(format!("rust-lld: cannot run `{} {}`: {e}", rustc.to_string_lossy(), args.join(" ")))
        })?;
        if !out.status.success() {
            return Err(SetupError::NotFound(format!("rust-lld: `rustc {}` failed", args.join(" "))));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let sysroot = query(&["--print", "sysroot"])?.trim().to_string();
    let host = query(&["-vV"])?
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(|h| h.trim().to_string()))
        .unwrap_or_else(|| "x86_64-unknown-linux-gnu".into());
    let path = Path::new(&sysroot).join("lib/rustlib").join(host).join("bin/gcc-ld/wasm-ld");
    if path.is_file() {
        Ok(path)
    } else {
        Err(SetupError::NotFound(format!("rust-lld: {} does not exist", path.display())))
    }
}

fn link_reference(args: &[String], cwd: &Path, timeout: Duration) -> Outcome {
    let (args, cwd) = (args.to_vec(), cwd.to_path_buf());
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::Builder::new().name("refld".into()).spawn(move || {
        let _ = tx.send(refld::driver::link_command_line(&args, &cwd));
    });
    let handle = match handle {
        Ok(h) => h,
        Err(e) => return Outcome::Crashed { status: format!("could not start: {e}"), stderr: String::new() },
    };
    let result = match rx.recv_timeout(timeout) {
        Ok(r) => r,
        Err(mpsc::RecvTimeoutError::Timeout) => return Outcome::TimedOut,
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let message = match handle.join() {
                Err(payload) => panic_message(&*payload),
                Ok(()) => "the linker thread ended without a result".into(),
            };
            return Outcome::Crashed { status: "panic".into(), stderr: message };
        }
    };
    let rendered = |d: &refld::diag::Diagnostic| d.to_string();
    match result.bytes {
        Some(bytes) => Outcome::Linked {
            bytes,
            warnings: result
                .diagnostics
                .iter()
                .filter(|d| d.severity == refld::diag::Severity::Warning)
                .map(rendered)
                .collect(),
        },
        None => Outcome::Rejected { diagnostics: result.diagnostics.iter().map(rendered).collect() },
    }
}


fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-string payload".into()
    }
}

fn link_external(program: &Path, leading: &[String], args: &[String], cwd: &Path, timeout: Duration) -> Outcome {
    let harness_failure = |what: &str, e: std::io::Error| Outcome::Crashed {
        status: format!("could not start: {what}: {e}"),
        stderr: String::new(),
    };
    let tmp = match tempfile::Builder::new().prefix("linkcheck-").tempdir() {
        Ok(t) => t,
        Err(e) => return harness_failure("temporary directory", e),
    };
    // The caller's file name, so that what a linker derives from it (the
    // name section's module name) is as the command line says; `-o -` and
    // no `-o` keep wasm-ld's default `a.out`.
    let file_name = cmdline::output_arg(args)
        .and_then(|o| std::path::Path::new(&o).file_name().map(|f| f.to_string_lossy().into_owned()))
        .filter(|f| f != "-")
        .unwrap_or_else(|| "a.out".to_string());
    let output = tmp.path().join(file_name);
    let full: Vec<String> = leading.iter().cloned().chain(cmdline::with_output(args, &output)).collect();
    run_process(program, &full, cwd, timeout, &output)
}

