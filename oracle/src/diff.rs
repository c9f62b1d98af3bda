//! Comparing two linkers' reports under stable dotted keys.
//!
//! Keys (stable; allow-lists, reducers and reports name them):
//! - `outcome`: `linked` / `rejected` / `crashed` / `timed out`. When the
//!   outcomes differ, nothing else is compared.
//! - `diag.KIND.SYMBOL` (errors) and `warn.KIND.SYMBOL` (warnings): how many
//!   diagnostics of that kind name that symbol ([`crate::diagkind`]: KIND is
//!   `undefined-symbol`, `duplicate-symbol`, `symbol-type-mismatch`,
//!   `import-module-mismatch`, `import-name-mismatch`, `signature-mismatch`,
//!   `entry-missing` or `export-missing`), or `(absent)`. Compared when both
//!   linked (their warnings) or both rejected (all their diagnostics).
//!   Diagnostics of kind `other` are not compared, neither by text nor by
//!   number: linkers word them (and split them) differently by design.
//!   Nothing else is compared when neither linked.
//! - `module.readable`: `readable` / `unreadable: MSG` (wasmparser could not
//!   parse the output); `module.valid`: `valid` / `invalid`.
//! - `import.MODULE.NAME`: the import's type ([`crate::describe::Import::ty`]),
//!   or `(absent)`.
//! - `export.NAME`: the export's type ([`crate::describe::Export::ty`]), or
//!   `(absent)`.
//! - `run.exit_code`: `0`, `3`, ... or `(none)`; `run.trap`: the trap kind or
//!   `(none)`; `run.stdout`, `run.stderr`: the text, quoted with escapes.
//!   Compared only when both outputs were run.
//! - `hostcall.N`: the N-th (from 0) call of a non-WASI import,
//!   `module.field(args)`, or `(absent)` when that run made fewer calls;
//!   only the first [`MAX_TRACE_DIFFERENCES`] differing N are reported.
//!   `hostcall.count`: the number of such calls, when it differs.
//! - `call.NAME`: for modules without `_start`, what the call of the export
//!   NAME gave ([`crate::run::ExportCall::result`]), or `(absent)`.
//!   Compared only when both outputs were run.

use crate::check::LinkerReport;
use crate::describe::ModuleSummary;
use crate::diagkind::key_counts;
use crate::linker::Outcome;
use crate::run::RunResult;
use serde::Serialize;
use std::collections::BTreeMap;

/// Text of a side that lacks the item.
pub const ABSENT: &str = "(absent)";
/// Text of an optional value that is not there (no exit code, no trap).
pub const NONE: &str = "(none)";

/// One point where two linkers disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// Dotted key, see the module documentation.
    pub key: String,
    /// The first (left) linker's value.
    pub left: String,
    /// The second (right) linker's value.
    pub right: String,
}

impl Difference {
    fn new(key: impl Into<String>, left: impl Into<String>, right: impl Into<String>) -> Self {
        Difference { key: key.into(), left: left.into(), right: right.into() }
    }
}

/// All differences between two reports, in key order: `outcome`,
/// `diag.*`, `warn.*`, `module.*`, `import.*`, `export.*`, `run.*`. Empty
/// when they agree.
pub fn compare(left: &LinkerReport, right: &LinkerReport) -> Vec<Difference> {
    let mut out = Vec::new();
    let (lk, rk) = (left.outcome.kind(), right.outcome.kind());
    if lk != rk {
        out.push(Difference::new("outcome", lk, rk));
        return out;
    }
    if let (Some(l), Some(r)) = (diagnostics(&left.outcome), diagnostics(&right.outcome)) {
        compare_diagnostics(l, r, &mut out);
    }
    if lk != "linked" {
        return out;
    }
    match (&left.module, &right.module) {
        (Some(l), Some(r)) => compare_modules(l, r, &mut out),
        (l, r) if l.is_some() != r.is_some() => {
            let text = |side: &LinkerReport| match &side.module_error {
                None => "readable".to_string(),
                Some(e) => format!("unreadable: {e}"),
            };
            out.push(Difference::new("module.readable", text(left), text(right)));
        }
        _ => {}
    }
    if let (Some(l), Some(r)) = (&left.run, &right.run) {
        compare_runs(l, r, &mut out);
    }
    out
}

/// The diagnostics of a link that ended with some: a linked outcome's
/// warnings, a rejected one's diagnostics.
fn diagnostics(outcome: &Outcome) -> Option<&[String]> {
    match outcome {
        Outcome::Linked { warnings, .. } => Some(warnings),
        Outcome::Rejected { diagnostics } => Some(diagnostics),
        Outcome::Crashed { .. } | Outcome::TimedOut => None,
    }
}

/// Differences of the classified diagnostics (`diag.*` and `warn.*` keys,
/// value the count): `left` and `right` are diagnostic texts as an
/// [`Outcome`] holds them.
pub fn compare_diagnostics(left: &[String], right: &[String], out: &mut Vec<Difference>) {
    let counts = |texts: &[String]| -> BTreeMap<String, String> {
        key_counts(texts).into_iter().map(|(k, n)| (k, n.to_string())).collect()
    };
    let (l, r) = (counts(left), counts(right));
    // `diag.*` before `warn.*`: key order does it.
    compare_maps(&l, &r, out);
}

/// Differences of imports, exports and validity.
pub fn compare_modules(left: &ModuleSummary, right: &ModuleSummary, out: &mut Vec<Difference>) {
    let valid = |m: &ModuleSummary| if m.invalid.is_none() { "valid" } else { "invalid" };
    if valid(left) != valid(right) {
        out.push(Difference::new("module.valid", valid(left), valid(right)));
    }
    let imports = |m: &ModuleSummary| {
        keyed(m.imports.iter().map(|i| (format!("import.{}.{}", i.module, i.name), i.ty.clone())))
    };
    compare_maps(&imports(left), &imports(right), out);
    let exports = |m: &ModuleSummary| keyed(m.exports.iter().map(|e| (format!("export.{}", e.name), e.ty.clone())));
    compare_maps(&exports(left), &exports(right), out);
}

/// Differences of exit code, trap, stdout and stderr.
pub fn compare_runs(left: &RunResult, right: &RunResult, out: &mut Vec<Difference>) {
    let code = |r: &RunResult| r.exit_code.map_or_else(|| NONE.to_string(), |c| c.to_string());
    let trap = |r: &RunResult| r.trap.clone().unwrap_or_else(|| NONE.to_string());
    let pairs = [
        ("run.exit_code", code(left), code(right)),
        ("run.trap", trap(left), trap(right)),
        ("run.stdout", quote(&left.stdout), quote(&right.stdout)),
        ("run.stderr", quote(&left.stderr), quote(&right.stderr)),
    ];
    for (key, l, r) in pairs {
        if l != r {
            out.push(Difference::new(key, l, r));
        }
    }
    compare_traces(left, right, out);
}

/// `hostcall.N` differences reported at most (the first ones by N).
pub const MAX_TRACE_DIFFERENCES: usize = 16;

/// Differences of the host-call traces (`hostcall.N`, `hostcall.count`)
/// and of the export calls (`call.NAME`).
pub fn compare_traces(left: &RunResult, right: &RunResult, out: &mut Vec<Difference>) {
    let n = left.host_calls.len().max(right.host_calls.len());
    let text = |r: &RunResult, i: usize| r.host_calls.get(i).map_or_else(|| ABSENT.to_string(), |c| c.describe());
    let mut reported = 0;
    for i in 0..n {
        let (l, r) = (text(left, i), text(right, i));
        if l != r {
            out.push(Difference::new(format!("hostcall.{i}"), l, r));
            reported += 1;
            if reported == MAX_TRACE_DIFFERENCES {
                break;
            }
        }
    }
    if left.host_call_count != right.host_call_count {
        out.push(Difference::new("hostcall.count", left.host_call_count.to_string(), right.host_call_count.to_string()));
    }
    let calls = |r: &RunResult| keyed(r.calls.iter().map(|c| (format!("call.{}", c.name), c.result.clone())));
    compare_maps(&calls(left), &calls(right), out);
}

/// Bytes as a quoted string with Rust escapes (`"hi\n"`); invalid UTF-8 is
/// replaced by U+FFFD.
pub fn quote(bytes: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(bytes))
}

/// Key -> value; a key given more than once gets its values joined by ` | `.
fn keyed(items: impl Iterator<Item = (String, String)>) -> BTreeMap<String, String> {
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in items {
        map.entry(k).and_modify(|old| *old = format!("{old} | {v}")).or_insert(v);
    }
    map
}

fn compare_maps(left: &BTreeMap<String, String>, right: &BTreeMap<String, String>, out: &mut Vec<Difference>) {
    let keys: std::collections::BTreeSet<&String> = left.keys().chain(right.keys()).collect();
    for key in keys {
        let l = left.get(key).map_or(ABSENT, String::as_str);
        let r = right.get(key).map_or(ABSENT, String::as_str);
        if l != r {
            out.push(Difference::new(key.as_str(), l, r));
        }
    }
}
