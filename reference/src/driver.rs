//! The command-line driver: wasm-ld arguments in, output bytes and
//! diagnostics out. The `refld` binary and the oracle both call this.

use crate::args::{parse_args, Action};
use crate::diag::Diagnostic;
use crate::input::FileSystem;
use std::path::{Path, PathBuf};

/// The result of linking one command line.
#[derive(Debug, Clone)]
pub struct DriverOutcome {
    /// The linked module, `None` when the link failed.
    pub bytes: Option<Vec<u8>>,
    /// Every warning and error, in the order they were found.
    pub diagnostics: Vec<Diagnostic>,
    /// The `-o` path (default `a.out`), relative paths against `cwd`.
    pub output_path: PathBuf,
}

impl DriverOutcome {
    /// True when an output was produced.
    pub fn success(&self) -> bool {
        self.bytes.is_some()
    }
}

/// Parses wasm-ld arguments (without argv[0]; `@file` response files are
/// expanded), reads the inputs relative to `cwd`, links. Writes nothing.
/// `--help` and `--version` come back as a usage error diagnostic; the
/// binary handles them before calling this.
pub fn link_command_line(args: &[String], cwd: &Path) -> DriverOutcome {
    let read = |p: &str| std::fs::read_to_string(cwd.join(p)).map_err(|e| e.to_string());
    let config = match parse_args(args, &read) {
        Ok(Action::Link(c)) => c,
        Ok(_) => return failed(cwd.join("a.out"), "--help and --version produce no link"),
        Err(e) => return failed(cwd.join("a.out"), &e),
    };
    let output_path = cwd.join(&config.output);
    let fs = FileSystem { cwd: cwd.to_path_buf() };
    match crate::link(&config, &fs) {
        Ok(linked) => DriverOutcome { bytes: Some(linked.bytes), diagnostics: linked.warnings, output_path },
        Err(e) => DriverOutcome { bytes: None, diagnostics: e.diagnostics, output_path },
    }
}

fn failed(output_path: PathBuf, msg: &str) -> DriverOutcome {
    DriverOutcome { bytes: None, diagnostics: vec![Diagnostic::error(msg)], output_path }
}
