//! The command-line driver: wasm-ld arguments in, output bytes and
//! diagnostics out. The `refld` binary and the oracle both call this.

use crate::args::{parse_args, Action};
use crate::config::Config;
use crate::diag::LinkError;
use crate::Linked;
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
    /// The side files to write (`--why-extract`, the map file): paths as
    /// given (`-` is standard output) and their texts, in order.
    pub reports: Vec<crate::report::SideFile>,
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
    run(args, cwd, |config, fs, reports| crate::link_with_reports(config, fs, reports).map(|(linked, _state)| linked))
}

/// [`link_command_line`] for a process that exits right after: the
/// phases' values are not freed ([`crate::link_keeping_state`]). The
/// `refld` binary calls this; in-process callers that link again (the
/// oracle, tests) call [`link_command_line`].
pub fn link_command_line_then_exit(args: &[String], cwd: &Path) -> DriverOutcome {
    run(args, cwd, |config, fs, reports| {
        crate::link_with_reports(config, fs, reports).map(|(linked, state)| {
            std::mem::forget(state);
            linked
        })
    })
}

fn run(args: &[String], cwd: &Path, link: impl FnOnce(&Config, &FileSystem, &mut crate::Reports) -> Result<Linked, LinkError>) -> DriverOutcome {
    let read = |p: &str| std::fs::read_to_string(cwd.join(p)).map_err(|e| e.to_string());
    let config = match parse_args(args, &read) {
        Ok(Action::Link(c)) => c,
        Ok(_) => return failed(cwd.join("a.out"), "--help and --version produce no link"),
        Err(e) => return failed(cwd.join("a.out"), &e),
    };
    // CLI-VERSION: no inputs is an error (`-v` alone is handled by the
    // binary before this).
    if config.inputs.is_empty() {
        return failed(cwd.join(&config.output), "no input files");
    }
    let output_path = cwd.join(&config.output);
    let fs = FileSystem { cwd: cwd.to_path_buf() };
    let mut reports = crate::Reports::default();
    let result = link(&config, &fs, &mut reports);
    let reports = reports.files();
    match result {
        Ok(linked) => DriverOutcome { bytes: Some(linked.bytes), diagnostics: linked.warnings, output_path, reports },
        Err(e) => DriverOutcome { bytes: None, diagnostics: e.diagnostics, output_path, reports },
    }
}

fn failed(output_path: PathBuf, msg: &str) -> DriverOutcome {
    DriverOutcome { bytes: None, diagnostics: vec![Diagnostic::error(msg)], output_path, reports: Vec::new() }
}

#[cfg(test)]
mod tests {
    /// CLI-VERSION: a command line without inputs is `no input files`.
    #[test]
    fn no_input_files() {
        let out = super::link_command_line(&["--no-entry".to_string()], std::path::Path::new("."));
        assert_eq!(out.diagnostics.iter().map(|d| d.message.as_str()).collect::<Vec<_>>(), ["no input files"]);
        assert!(!out.success());
    }
}
