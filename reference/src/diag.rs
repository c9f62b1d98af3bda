//! Diagnostics: warnings and errors in wasm-ld's text shape, and the one
//! sink every phase of a link writes them to.

use crate::error::InputError;
use std::fmt;

/// How serious a diagnostic is. Warnings leave the exit status 0 unless
/// `--fatal-warnings` is given; errors make it 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One message of a link, in wasm-ld's shape: the first line is the message
/// (`FILE: undefined symbol: NAME`, `duplicate symbol: NAME`, ...), further
/// lines start with `>>> `.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    /// An error with `message`.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, message: message.into() }
    }
    /// A warning with `message`.
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, message: message.into() }
    }
}

impl fmt::Display for Diagnostic {
    /// `error: MESSAGE` or `warning: MESSAGE` (the binary prefixes `refld: `).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{kind}: {}", self.message)
    }
}

/// A failed link: every error found (not only the first), and the
/// warnings that came before, in the order they were found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct LinkError {
    pub diagnostics: Vec<Diagnostic>,
}

/// The diagnostics of one link, in the order they were found. Phases add
/// to it; between phases the link stops when it holds an error
/// ([`Diagnostics::stop_if_errors`], as lld's `errorCount()` checks).
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
    /// CLI-FATAL: `--fatal-warnings` makes every warning an error.
    fatal_warnings: bool,
    /// OPT-NOINHIBIT-EXEC: `--noinhibit-exec` makes the errors wasm-ld
    /// reports with `errorOrWarn` warnings.
    noinhibit_exec: bool,
}

impl Diagnostics {
    /// An empty sink; `fatal_warnings` as `--fatal-warnings` says.
    pub fn new(fatal_warnings: bool) -> Self {
        Diagnostics { list: Vec::new(), fatal_warnings, noinhibit_exec: false }
    }

    /// OPT-NOINHIBIT-EXEC: the sink of a link with `--noinhibit-exec`.
    pub fn noinhibit_exec(mut self, on: bool) -> Self {
        self.noinhibit_exec = on;
        self
    }

    /// OPT-NOINHIBIT-EXEC: an error wasm-ld reports with `errorOrWarn`
    /// (duplicate symbols, SYM-4, SYN-1): a warning under
    /// `--noinhibit-exec`, else an error.
    pub fn error_or_warning(&mut self, message: impl Into<String>) {
        if self.noinhibit_exec {
            self.warning(message);
        } else {
            self.error(message);
        }
    }

    /// Adds `d`.
    pub fn push(&mut self, d: Diagnostic) {
        self.list.push(d);
    }

    /// Adds an error with `message`.
    pub fn error(&mut self, message: impl Into<String>) {
        self.push(Diagnostic::error(message));
    }

    /// Adds a warning with `message`.
    pub fn warning(&mut self, message: impl Into<String>) {
        self.push(Diagnostic::warning(message));
    }

    /// True when the link must stop: an error, or any warning under
    /// `--fatal-warnings` (CLI-FATAL).
    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|d| d.severity == Severity::Error || self.fatal_warnings)
    }

    /// DIAG-1: the checkpoint between phases. Errors: the link's
    /// diagnostics so far, warnings made errors under `--fatal-warnings`.
    pub fn stop_if_errors(&mut self) -> Result<(), LinkError> {
        if self.has_errors() {
            return Err(self.fail());
        }
        Ok(())
    }

    /// A malformed or unreadable input ends the link at once (nothing
    /// sound can follow): the diagnostics so far, then `e`.
    pub fn fatal(&mut self, e: InputError) -> LinkError {
        self.error(e.to_string());
        self.fail()
    }

    /// Ends the link with the error `message` after the diagnostics so far.
    pub fn stop(&mut self, message: impl Into<String>) -> LinkError {
        self.error(message);
        self.fail()
    }

    /// Every diagnostic found, in order (the warnings of a successful link).
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.list
    }

    /// Every diagnostic, as the entries of the link's failure.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.list.iter()
    }

    pub(crate) fn fail(&mut self) -> LinkError {
        let mut diagnostics = std::mem::take(&mut self.list);
        if self.fatal_warnings {
            for d in &mut diagnostics {
                d.severity = Severity::Error;
            }
        }
        LinkError { diagnostics }
    }
}
