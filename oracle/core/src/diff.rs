//! Differences between two linkers' results under stable dotted keys: the
//! [`Difference`] model, the comparison of each part of a result
//! (diagnostics, modules, runs) and the one-line explanation of every key.
//! The comparison of whole linker reports is `check::compare`.
//!
//! Keys (stable; allow-lists, reducers and reports name them):
//! - `outcome`: `linked` / `rejected` / `crashed` / `timed out`. When the
//!   outcomes differ, nothing else is compared.
//! - `diag.KIND.SYMBOL` (errors) and `warn.KIND.SYMBOL` (warnings): how many
//!   diagnostics of that kind name that symbol ([`crate::diagnostics::kind`]: KIND is
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
//! - `dylink.FIELD`: a fact of the `dylink.0` section
//!   ([`crate::dylink::Dylink::facts`]: `memory_size`, `memory_align`,
//!   `table_size`, `table_align`, `needed`, `export_info`, `import_info`,
//!   `runtime_path`), or `(absent)` when one output has no such section.
//! - `exact.SECTION`: with `linkcheck diff --exact`, a section whose
//!   bytes differ (the exact module).
//! - `side[NAME].KEY`: KEY of the side module NAME of a dynamic link
//!   (`check`'s link plans).
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
//!
//! Every [`Difference`] carries a one-line explanation naming both linkers
//! ([`explain_difference`]: `refld rejected the inputs, wild linked them`, `refld
//! reports 1 undefined-symbol error for foo, wild 0`, `the 3rd non-WASI host
//! call differs: ...`); the structural keys of the canonical comparison
//! (`canon`) keep that comparison's own. Which differences are legitimate is
//! not decided here but by an allow-list (`allow`).

use crate::describe::ModuleSummary;
use crate::key::{diagnostic_counts, DiffKey, ItemKind, ModuleFact, RunFact};
use crate::run::RunResult;
use serde::Serialize;
use std::collections::BTreeMap;

/// Text of a side that lacks the item.
pub const ABSENT: &str = "(absent)";
/// Text of an optional value that is not there (no exit code, no trap).
pub const NONE: &str = "(none)";

/// One point where two linkers disagree.
///
/// In JSON: `key`, `left`, `right`, `explanation`, and `allowed` (the
/// allow-list's reason, `allow`) or `known` (the note of the policy entry
/// that explains it as a known bug, `corpus/policy.toml`) when set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// What differs ([`DiffKey`]; in JSON its dotted text, see the module
    /// documentation).
    pub key: DiffKey,
    /// The first (left) linker's value.
    pub left: String,
    /// The second (right) linker's value.
    pub right: String,
    /// One line saying what differs, naming both linkers ([`explain_difference`], or
    /// the structural comparison's own, `canon`).
    pub explanation: String,
    /// Why the difference is legitimate, when an allow-list entry covers it
    /// (`allow`); such a difference is not a divergence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<String>,
    /// The note of the known divergence (a bug of the right linker) that
    /// covers it (a quirk or `[[known]]` entry of the policy); set by
    /// the policy's attribution (`policy::attribute`) only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known: Option<String>,
}

impl Difference {
    /// A difference with the explanation [`explain_difference`] gives for the linkers
    /// `left_name` and `right_name`.
    pub fn explained(
        key: DiffKey,
        left: impl Into<String>,
        right: impl Into<String>,
        left_name: &str,
        right_name: &str,
    ) -> Self {
        let (left, right) = (left.into(), right.into());
        let explanation = explain_difference(&key, &left, &right, left_name, right_name);
        Difference::with_explanation(key, left, right, explanation)
    }

    /// A difference with a given explanation, neither allowed nor known.
    pub fn with_explanation(
        key: DiffKey,
        left: impl Into<String>,
        right: impl Into<String>,
        explanation: impl Into<String>,
    ) -> Self {
        Difference {
            key,
            left: left.into(),
            right: right.into(),
            explanation: explanation.into(),
            allowed: None,
            known: None,
        }
    }
}

/// Differences of the classified diagnostics (`diag.*` and `warn.*` keys,
/// value the count): `left` and `right` are diagnostic texts as an
/// [`crate::linker::Outcome`] holds them.
pub fn compare_diagnostics(left: &[String], right: &[String], out: &mut Vec<Difference>) {
    let counts = |texts: &[String]| -> BTreeMap<DiffKey, String> {
        diagnostic_counts(texts).into_iter().map(|(k, n)| (k, n.to_string())).collect()
    };
    let (l, r) = (counts(left), counts(right));
    // `diag.*` before `warn.*`: key order does it.
    compare_maps(&l, &r, out);
}

/// Differences of imports, exports and validity.
pub fn compare_modules(left: &ModuleSummary, right: &ModuleSummary, out: &mut Vec<Difference>) {
    let valid = |m: &ModuleSummary| if m.invalid.is_none() { "valid" } else { "invalid" };
    if valid(left) != valid(right) {
        out.push(unnamed(DiffKey::Module(ModuleFact::Valid), valid(left), valid(right)));
    }
    let imports = |m: &ModuleSummary| {
        keyed(m.imports.iter().map(|i| (DiffKey::item(ItemKind::Import, format!("{}.{}", i.module, i.name)), i.ty.clone())))
    };
    compare_maps(&imports(left), &imports(right), out);
    let exports =
        |m: &ModuleSummary| keyed(m.exports.iter().map(|e| (DiffKey::item(ItemKind::Export, e.name.clone()), e.ty.clone())));
    compare_maps(&exports(left), &exports(right), out);
    let dylink = |m: &ModuleSummary| {
        keyed(m.dylink.iter().flat_map(|d| d.facts()).map(|(field, v)| (DiffKey::field(ItemKind::Dylink, "", field), v)))
    };
    compare_maps(&dylink(left), &dylink(right), out);
}

/// Differences of exit code, trap, stdout and stderr.
pub fn compare_runs(left: &RunResult, right: &RunResult, out: &mut Vec<Difference>) {
    let code = |r: &RunResult| r.exit_code.map_or_else(|| NONE.to_string(), |c| c.to_string());
    let trap = |r: &RunResult| r.trap.clone().unwrap_or_else(|| NONE.to_string());
    let pairs = [
        (RunFact::ExitCode, code(left), code(right)),
        (RunFact::Trap, trap(left), trap(right)),
        (RunFact::Stdout, quote(&left.stdout), quote(&right.stdout)),
        (RunFact::Stderr, quote(&left.stderr), quote(&right.stderr)),
    ];
    for (fact, l, r) in pairs {
        if l != r {
            out.push(unnamed(DiffKey::Run(fact), l, r));
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
            out.push(unnamed(DiffKey::HostCall(i), l, r));
            reported += 1;
            if reported == MAX_TRACE_DIFFERENCES {
                break;
            }
        }
    }
    if left.host_call_count != right.host_call_count {
        out.push(unnamed(DiffKey::HostCallCount, left.host_call_count.to_string(), right.host_call_count.to_string()));
    }
    let calls = |r: &RunResult| keyed(r.calls.iter().map(|c| (DiffKey::Call(c.name.clone()), c.result.clone())));
    compare_maps(&calls(left), &calls(right), out);
}

/// Bytes as a quoted string with Rust escapes (`"hi\n"`); invalid UTF-8 is
/// replaced by U+FFFD.
pub fn quote(bytes: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(bytes))
}

/// Key -> value; a key given more than once gets its values joined by ` | `.
fn keyed(items: impl Iterator<Item = (DiffKey, String)>) -> BTreeMap<DiffKey, String> {
    let mut map: BTreeMap<DiffKey, String> = BTreeMap::new();
    for (k, v) in items {
        map.entry(k).and_modify(|old| *old = format!("{old} | {v}")).or_insert(v);
    }
    map
}

fn compare_maps(left: &BTreeMap<DiffKey, String>, right: &BTreeMap<DiffKey, String>, out: &mut Vec<Difference>) {
    let keys: std::collections::BTreeSet<&DiffKey> = left.keys().chain(right.keys()).collect();
    for key in keys {
        let l = left.get(key).map_or(ABSENT, String::as_str);
        let r = right.get(key).map_or(ABSENT, String::as_str);
        if l != r {
            out.push(unnamed(key.clone(), l, r));
        }
    }
}

/// A difference explained with the sides called `left` and `right` (the
/// helpers that compare parts of reports know no linker names; the
/// comparison of whole reports explains again with the names).
pub fn unnamed(key: DiffKey, left: impl Into<String>, right: impl Into<String>) -> Difference {
    Difference::explained(key, left, right, "left", "right")
}

/// Longest value quoted inside an explanation, in characters.
const EXPLAINED_VALUE: usize = 80;

/// One line saying what the difference under `key` means, naming the
/// linkers: `refld rejected the inputs, wild linked them`, `refld reports 1
/// undefined-symbol error for foo, wild 0`, `import env.f is only in refld's
/// output`, `the 3rd non-WASI host call differs: refld env.f(1), wild (no
/// such call)`, ... `left` and `right` are the values as the difference
/// holds them; a key of no known family gets `KEY differs: L V, R W`.
pub fn explain_difference(key: &DiffKey, left: &str, right: &str, left_name: &str, right_name: &str) -> String {
    let (l, r) = (left_name, right_name);
    let short = |v: &str| shorten(v, EXPLAINED_VALUE);
    match key {
        DiffKey::Outcome => {
            let verb = |v: &str| match v {
                "linked" => "linked",
                "rejected" => "rejected",
                "crashed" => "crashed on",
                "timed out" => "timed out on",
                _ => "ended otherwise on",
            };
            format!("{l} {} the inputs, {r} {} them", verb(left), verb(right))
        }
        DiffKey::Diagnostic { severity, kind, symbol } => {
            let what = match severity {
                crate::diagnostics::Severity::Error => "error",
                crate::diagnostics::Severity::Warning => "warning",
            };
            let count = |v: &str| if v == ABSENT { "0".to_string() } else { v.to_string() };
            let n = count(left);
            let plural = if n == "1" { "" } else { "s" };
            format!("{l} reports {n} {} {what}{plural} for {symbol}, {r} {}", kind.as_str(), count(right))
        }
        DiffKey::Module(ModuleFact::Valid) => {
            let says = |v: &str| if v == "valid" { "validates" } else { "does not validate" };
            format!("{l}'s output {}, {r}'s {}", says(left), says(right))
        }
        DiffKey::Module(ModuleFact::Readable) => {
            let says = |v: &str| if v == "readable" { "can be read".to_string() } else { format!("cannot be read ({})", short(v)) };
            format!("{l}'s output {}, {r}'s {}", says(left), says(right))
        }
        DiffKey::Item { kind: kind @ (ItemKind::Import | ItemKind::Export), id, field: None } => {
            let family = kind.as_str();
            match (left == ABSENT, right == ABSENT) {
                (true, false) => format!("{family} {id} is only in {r}'s output"),
                (false, true) => format!("{family} {id} is only in {l}'s output"),
                _ => format!("{family} {id} is {} in {l}'s output, {} in {r}'s", short(left), short(right)),
            }
        }
        DiffKey::Run(RunFact::ExitCode) => {
            let exits = |v: &str| if v == NONE { "does not exit normally".to_string() } else { format!("exits with code {v}") };
            format!("{l}'s run {}, {r}'s {}", exits(left), exits(right))
        }
        DiffKey::Run(RunFact::Trap) => {
            let traps = |v: &str| if v == NONE { "does not trap".to_string() } else { format!("traps ({v})") };
            format!("{l}'s run {}, {r}'s {}", traps(left), traps(right))
        }
        DiffKey::Run(stream) => {
            let stream = if *stream == RunFact::Stdout { "stdout" } else { "stderr" };
            format!("the runs' {stream} differs: {l}'s prints {}, {r}'s {}", short(left), short(right))
        }
        DiffKey::HostCallCount => format!("{l}'s run makes {left} non-WASI host calls, {r}'s {right}"),
        DiffKey::HostCall(n) => {
            let call = |v: &str| if v == ABSENT { "(no such call)".to_string() } else { short(v) };
            format!("the {} non-WASI host call differs: {l} {}, {r} {}", ordinal(n + 1), call(left), call(right))
        }
        DiffKey::Call(name) => match (left == ABSENT, right == ABSENT) {
            (true, false) => format!("export {name} is called only in {r}'s output (it gives {})", short(right)),
            (false, true) => format!("export {name} is called only in {l}'s output (it gives {})", short(left)),
            _ => format!("calling export {name} gives {} with {l}'s output, {} with {r}'s", short(left), short(right)),
        },
        DiffKey::Item { kind: ItemKind::Exact, field: Some(section), .. } => match (left == ABSENT, right == ABSENT) {
            (true, false) => format!("section {section} is only in {r}'s output ({right})"),
            (false, true) => format!("section {section} is only in {l}'s output ({left})"),
            _ => format!("section {section}'s bytes differ: {l}'s {left}, {r}'s {right}"),
        },
        DiffKey::Side { name, key } => {
            format!("side module {name}: {}", explain_difference(key, left, right, left_name, right_name))
        }
        DiffKey::Item { kind: ItemKind::Canon, .. } => {
            let side = if left == "(read)" { r } else { l };
            let error = if left == "(read)" { right } else { left };
            format!("the structural comparison cannot read {side}'s output: {}", short(error))
        }
        _ => format!("{key} differs: {l} {}, {r} {}", short(left), short(right)),
    }
}

/// `1st`, `2nd`, `3rd`, `4th`, ..., `11th`, `12th`, `13th`, `21st`, ...
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// `text` cut to `max` characters, `…` marking a cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut t: String = text.chars().take(max).collect();
        t.push('…');
        t
    }
}
