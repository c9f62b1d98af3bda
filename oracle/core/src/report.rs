//! Rendering a [`CheckReport`] for people (text) and programs (JSON).

use crate::check::{CheckReport, LinkerReport};
use crate::diff::quote;
use crate::linker::Outcome;
use std::fmt::Write;

/// Longest stdout/stderr/difference text shown in the text report, in
/// characters; longer texts are cut and marked with `…`. JSON is never cut.
pub const TEXT_LIMIT: usize = 400;

/// The human report: per linker its outcome, imports, exports and run; then
/// per comparison `agree` or its differences (key, both values, the
/// explanation, and the note of a known bug), then its allowed differences
/// (the same and the reason); last line `agree` or `diverge`.
pub fn render_text(report: &CheckReport) -> String {
    let mut s = String::new();
    for linker in &report.linkers {
        render_linker(&mut s, linker);
    }
    for c in &report.comparisons {
        let allowed = if c.allowed.is_empty() { String::new() } else { format!(" ({} allowed)", c.allowed.len()) };
        if c.differences.is_empty() {
            let _ = writeln!(s, "== {} vs {}: agree{allowed}", c.left, c.right);
        } else {
            let n = c.differences.len();
            let _ = writeln!(s, "== {} vs {}: {n} difference{}{allowed}", c.left, c.right, if n == 1 { "" } else { "s" });
        }
        // Divergences, then the allowed differences with their reasons.
        for d in c.differences.iter().chain(&c.allowed) {
            let _ = writeln!(s, "  {}", d.key);
            let _ = writeln!(s, "    {:<10} {}", format!("{}:", c.left), cut(&d.left));
            let _ = writeln!(s, "    {:<10} {}", format!("{}:", c.right), cut(&d.right));
            let _ = writeln!(s, "    {}", cut(&d.explanation));
            if let Some(reason) = &d.allowed {
                let _ = writeln!(s, "    allowed: {}", cut(reason));
            }
            if let Some(note) = &d.known {
                let _ = writeln!(s, "    known bug of {}: {}", c.right, cut(note));
            }
        }
    }
    s.push_str(if report.agree { "agree\n" } else { "diverge\n" });
    s
}

/// The whole report as pretty-printed JSON (see the `Serialize` shapes of
/// [`CheckReport`] and the types it holds).
pub fn render_json(report: &CheckReport) -> String {
    serde_json::to_string_pretty(report).expect("reports serialize")
}

fn render_linker(s: &mut String, r: &LinkerReport) {
    match &r.outcome {
        Outcome::Linked { bytes, warnings } => {
            let _ = writeln!(s, "== {}: linked ({} bytes)", r.name, bytes.len());
            lines(s, "  ", warnings);
        }
        Outcome::Rejected { diagnostics } => {
            let _ = writeln!(s, "== {}: rejected", r.name);
            lines(s, "  ", diagnostics);
        }
        Outcome::Crashed { status, stderr } => {
            let _ = writeln!(s, "== {}: crashed ({status})", r.name);
            if !stderr.trim().is_empty() {
                let _ = writeln!(s, "  stderr: {}", cut(&quote(stderr.as_bytes())));
            }
        }
        Outcome::TimedOut => {
            let _ = writeln!(s, "== {}: timed out", r.name);
        }
        Outcome::Unsupported { reason } => {
            let _ = writeln!(s, "== {}: not run ({reason})", r.name);
        }
    }
    if let Some(e) = &r.module_error {
        let _ = writeln!(s, "  unreadable output: {e}");
    }
    if let Some(m) = &r.module {
        if let Some(e) = &m.invalid {
            let _ = writeln!(s, "  invalid output: {e}");
        }
        let _ = writeln!(s, "  imports:{}", if m.imports.is_empty() { " none" } else { "" });
        for i in &m.imports {
            let _ = writeln!(s, "    {}.{}: {}", i.module, i.name, i.ty);
        }
        let _ = writeln!(s, "  exports:{}", if m.exports.is_empty() { " none" } else { "" });
        for e in &m.exports {
            let _ = writeln!(s, "    {}: {}", e.name, e.ty);
        }
    }
    if let Some(run) = &r.run {
        match (&run.exit_code, &run.trap) {
            (Some(code), _) => {
                let _ = writeln!(s, "  run: exit {code} (fuel {})", run.fuel_consumed);
            }
            (None, trap) => {
                let trap = trap.as_deref().unwrap_or("?");
                let detail = run.message.as_deref().map(|m| format!(": {m}")).unwrap_or_default();
                let _ = writeln!(s, "  run: trap {trap} (fuel {}){}", run.fuel_consumed, cut(&detail));
            }
        }
        let _ = writeln!(s, "    stdout: {}", cut(&quote(&run.stdout)));
        let _ = writeln!(s, "    stderr: {}", cut(&quote(&run.stderr)));
    }
}

/// Each (possibly multi-line) item indented.
fn lines(s: &mut String, indent: &str, items: &[String]) {
    for item in items {
        for line in item.lines() {
            let _ = writeln!(s, "{indent}{line}");
        }
    }
}

fn cut(text: &str) -> String {
    if text.chars().count() <= TEXT_LIMIT {
        text.to_string()
    } else {
        let mut t: String = text.chars().take(TEXT_LIMIT).collect();
        t.push('…');
        t
    }
}
