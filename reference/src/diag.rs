//! Diagnostics: warnings and errors in wasm-ld's text shape.

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
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, message: message.into() }
    }
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
