//! Diagnostics of external linkers, read back from their stderr.
//!
//! wasm-ld prints `PROGRAM: error: MESSAGE` and `PROGRAM: warning: MESSAGE`
//! (PROGRAM is its argv[0]: `rust-lld`, `wasm-ld`, `wasm-ld-19`, ...), with
//! further lines of the same diagnostic starting with `>>> `. The oracle
//! keeps diagnostics in the program-independent form `error: MESSAGE` /
//! `warning: MESSAGE`, continuation lines joined with `\n` — the same text
//! refld's `Diagnostic` displays. [`kind`] classifies them by what they are
//! about (kind and symbol), independent of wording.

pub mod kind;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Warning,
    Error,
}

/// One diagnostic: severity and text (first line, then `>>> ` lines).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    /// `error: MESSAGE` or `warning: MESSAGE`.
    pub fn render(&self) -> String {
        let kind = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        format!("{kind}: {}", self.message)
    }
}

/// Splits a linker's stderr into diagnostics.
///
/// A line holding `error: ` or `warning: ` (at its start or after the first
/// `: `-terminated program prefix) opens a diagnostic; a `>>> ` line or any
/// other non-empty line continues the open one. Lines before the first
/// diagnostic become errors of their own (a linker that prints something
/// unexpected is not silently ignored). Empty lines are dropped.
pub fn parse_stderr(stderr: &str) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    for line in stderr.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            continue;
        }
        if let Some(d) = parse_head(line) {
            out.push(d);
        } else if let Some(last) = out.last_mut() {
            last.message.push('\n');
            last.message.push_str(line);
        } else {
            out.push(Diagnostic { severity: Severity::Error, message: line.to_string() });
        }
    }
    out
}

/// Parses the first line of a diagnostic, if `line` is one.
fn parse_head(line: &str) -> Option<Diagnostic> {
    if line.starts_with(">>> ") {
        return None;
    }
    const HEADS: [(&str, Severity); 2] = [("error: ", Severity::Error), ("warning: ", Severity::Warning)];
    for (head, severity) in HEADS {
        if let Some(rest) = line.strip_prefix(head) {
            return Some(Diagnostic { severity, message: rest.to_string() });
        }
    }
    // `PROGRAM: error: ...`: the earliest `: error: ` / `: warning: ` wins,
    // so a message that itself quotes one is kept whole.
    let mut best: Option<(usize, &str, Severity)> = None;
    for (head, severity) in HEADS {
        let needle = format!(": {head}");
        if let Some(pos) = line.find(&needle) {
            if best.is_none_or(|(p, _, _)| pos < p) {
                best = Some((pos, head, severity));
            }
        }
    }
    let (pos, head, severity) = best?;
    // The program prefix is one word (a path at most): no spaces.
    if line[..pos].contains(' ') {
        return None;
    }
    Some(Diagnostic { severity, message: line[pos + 2 + head.len()..].to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_wasm_ld_shapes() {
        let text = "rust-lld: error: a.o: undefined symbol: foo\n>>> referenced by a.o\n\
                    /usr/bin/wasm-ld-19: warning: function signature mismatch: f\n\
                    >>> defined as () -> void in a.o\n>>> defined as (i32) -> void in b.o\n";
        let d = parse_stderr(text);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].render(), "error: a.o: undefined symbol: foo\n>>> referenced by a.o");
        assert_eq!(d[1].severity, Severity::Warning);
        assert!(d[1].message.starts_with("function signature mismatch: f\n>>> defined as ()"));
    }

    #[test]
    fn keeps_stray_lines() {
        let d = parse_stderr("something odd\nerror: plain\n");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].message, "something odd");
        assert_eq!(d[1].render(), "error: plain");
    }
}
