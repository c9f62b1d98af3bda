//! Rendering a [`ConformReport`]: a matrix for people, JSON lines for
//! programs.

use super::{CaseResult, ConformReport, ExpectCheck, Summary};
use linkcheck_core::report::TEXT_LIMIT;
use serde_json::{json, Value};
use std::fmt::Write;

/// The `expect` cell: `ok`, `MISMATCH`, or `-` when not known.
pub fn expect_cell(result: &CaseResult) -> &'static str {
    match result.expect {
        ExpectCheck::Met => "ok",
        ExpectCheck::Mismatch(_) => "MISMATCH",
        ExpectCheck::Unknown => "-",
    }
}

/// The matrix (a header, then one row per case: case folder, `expect`
/// cell, one cell per linker), then the details of every case that does
/// not pass (its expectation mismatch, each divergence with its
/// explanation, each crash, its preparation error), then the known
/// divergences seen (one line per note: the linker and its cases), one
/// warning line per stale known entry, then [`summary_line`].
pub fn render_matrix(report: &ConformReport) -> String {
    let mut header = vec!["case".to_string(), "expect".to_string()];
    header.extend(report.linkers.iter().cloned());
    let rows: Vec<Vec<String>> = report
        .cases
        .iter()
        .map(|c| {
            let mut row = vec![c.dir.display().to_string(), expect_cell(c).to_string()];
            row.extend(c.verdicts(&report.linkers).iter().map(|v| v.cell()));
            row
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut s = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let line: Vec<String> = row.iter().zip(&widths).map(|(cell, w)| format!("{cell:<w$}")).collect();
        let _ = writeln!(s, "{}", line.join("  ").trim_end());
    }
    let failing: Vec<&CaseResult> = report.cases.iter().filter(|c| !c.passes()).collect();
    if !failing.is_empty() {
        s.push('\n');
    }
    for c in failing {
        render_details(&mut s, c);
    }
    let notes = known_notes(report);
    if !notes.is_empty() {
        s.push('\n');
    }
    for (note, linker, cases) in notes {
        let _ = writeln!(s, "known: {note} ({linker}, {} case{})", cases, if cases == 1 { "" } else { "s" });
    }
    for k in &report.stale {
        let _ = writeln!(s, "{}", super::stale::stale_line(k));
    }
    let _ = writeln!(s, "{}", summary_line(&report.summary()));
    s
}

/// The known divergences seen: (note, linker, number of cases), in note
/// order.
pub fn known_notes(report: &ConformReport) -> Vec<(String, String, usize)> {
    let mut seen: std::collections::BTreeMap<(String, String), std::collections::BTreeSet<usize>> = Default::default();
    for (n, c) in report.cases.iter().enumerate() {
        for cmp in c.report.iter().flat_map(|r| &r.comparisons) {
            for note in cmp.differences.iter().filter_map(|d| d.known.as_ref()) {
                seen.entry((note.clone(), cmp.right.clone())).or_default().insert(n);
            }
        }
    }
    seen.into_iter().map(|((note, linker), cases)| (note, linker, cases.len())).collect()
}

/// `N cases: A agree, K known, D diverge, M expectation mismatches`, with
/// `, E errors` added when some case could not be prepared, then
/// `(X allowed differences)` when some were allowed and `, S stale known
/// entries` when some were stale.
pub fn summary_line(summary: &Summary) -> String {
    let plural = |n: usize, one: &'static str, many: &'static str| if n == 1 { one } else { many };
    let mut line = format!(
        "{} case{}: {} agree, {} known, {} diverge, {} expectation mismatch{}",
        summary.cases,
        plural(summary.cases, "", "s"),
        summary.agree,
        summary.known,
        summary.diverge,
        summary.mismatches,
        plural(summary.mismatches, "", "es"),
    );
    if summary.errors > 0 {
        let _ = write!(line, ", {} error{}", summary.errors, plural(summary.errors, "", "s"));
    }
    if summary.stale > 0 {
        let _ = write!(line, ", {} stale known entr{}", summary.stale, plural(summary.stale, "y", "ies"));
    }
    if summary.allowed > 0 {
        let _ = write!(line, " ({} allowed difference{})", summary.allowed, plural(summary.allowed, "", "s"));
    }
    if summary.unsupported > 0 {
        let _ = write!(line, " ({} link{} not run: unsupported by the linker's adapter)", summary.unsupported, plural(summary.unsupported, "", "s"));
    }
    line
}

fn render_details(s: &mut String, c: &CaseResult) {
    let description = c.case.as_ref().map(|k| format!(": {}", k.description)).unwrap_or_default();
    let _ = writeln!(s, "{}{description}", c.dir.display());
    if let Some(e) = &c.error {
        for (i, line) in e.to_string().lines().enumerate() {
            let _ = writeln!(s, "  {}{line}", if i == 0 { "error: " } else { "  " });
        }
    }
    if let ExpectCheck::Mismatch(why) = &c.expect {
        let _ = writeln!(s, "  expect: {why}");
    }
    let Some(report) = &c.report else { return };
    for (i, l) in report.linkers.iter().enumerate() {
        // A crash whose `outcome` difference is known is not what fails the case.
        let known = i > 0 && report.comparisons[i - 1].differences.iter().all(|d| d.known.is_some());
        if let (linkcheck_core::linker::Outcome::Crashed { status, stderr }, false) = (&l.outcome, known) {
            let _ = writeln!(s, "  {}: crashed ({status}) {}", l.name, cut(stderr.trim()));
        }
    }
    for cmp in &report.comparisons {
        // A linker whose divergences are all known is not what fails the case.
        if cmp.differences.iter().all(|d| d.known.is_some()) {
            continue;
        }
        for d in &cmp.differences {
            let known = d.known.as_ref().map(|n| format!(" (known: {n})")).unwrap_or_default();
            let _ = writeln!(
                s,
                "  {}: {}: {} {} / {} {}{known}",
                cmp.right,
                d.key,
                cmp.left,
                cut(&d.left),
                cmp.right,
                cut(&d.right)
            );
            let _ = writeln!(s, "      {}", cut(&d.explanation));
        }
    }
    // The first lines of the rejections behind a failing case: the first
    // linker's, and each other linker's with an unknown divergence.
    for (i, l) in report.linkers.iter().enumerate() {
        let failing = if i == 0 {
            !c.passes()
        } else {
            report.comparisons[i - 1].differences.iter().any(|d| d.known.is_none())
        };
        if let (linkcheck_core::linker::Outcome::Rejected { diagnostics }, true) = (&l.outcome, failing) {
            for d in diagnostics.iter().take(3) {
                let _ = writeln!(s, "  {}: {}", l.name, cut(d.lines().next().unwrap_or("")));
            }
        }
    }
}

/// One JSON object per case and linker, one per line: `case` (the folder),
/// `linker`, `outcome` (`linked`/`rejected`/`crashed`/`timed out`, null
/// when the case could not be prepared), `verdict` ([`super::Verdict::kind`]),
/// `first_difference` (a key or null), `differences` (every divergence's
/// key, known ones included), `known` (the keys of the known divergences),
/// `notes` (their notes, distinct), `allowed` (the keys of the allowed
/// differences), `expect` (`link`/`reject`/null), `expect_met` (bool, null
/// when not known), `expect_mismatch` (why, or null), `error` (why the case
/// could not be prepared, or null). Then one line `{"stale_known": ENTRY}`
/// per stale known entry (`linker`, `key`, `cases`, `note`).
pub fn render_json_lines(report: &ConformReport) -> String {
    let mut s = String::new();
    for c in &report.cases {
        for record in case_records(report, c) {
            let _ = writeln!(s, "{record}");
        }
    }
    for k in &report.stale {
        let _ = writeln!(s, "{}", json!({ "stale_known": k }));
    }
    s
}

/// The JSON records of one case (see [`render_json_lines`]).
pub fn case_records(report: &ConformReport, c: &CaseResult) -> Vec<Value> {
    let verdicts = c.verdicts(&report.linkers);
    report
        .linkers
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let outcome = c.report.as_ref().and_then(|r| r.linkers.get(i)).map(|l| l.outcome.kind());
            let comparison = match (&c.report, i) {
                (Some(r), 1..) => r.comparisons.get(i - 1),
                _ => None,
            };
            let keys = |f: &dyn Fn(&linkcheck_core::diff::Difference) -> bool| -> Vec<String> {
                comparison.iter().flat_map(|cmp| &cmp.differences).filter(|d| f(d)).map(|d| d.key.to_string()).collect()
            };
            let differences = keys(&|_| true);
            let known = keys(&|d| d.known.is_some());
            let mut notes: Vec<&str> =
                comparison.iter().flat_map(|cmp| &cmp.differences).filter_map(|d| d.known.as_deref()).collect();
            notes.sort_unstable();
            notes.dedup();
            let allowed: Vec<String> = comparison.iter().flat_map(|cmp| &cmp.allowed).map(|d| d.key.to_string()).collect();
            json!({
                "case": c.dir.display().to_string(),
                "linker": name,
                "outcome": outcome,
                "verdict": verdicts[i].kind(),
                "first_difference": differences.first(),
                "differences": differences,
                "known": known,
                "notes": notes,
                "allowed": allowed,
                "expect": c.case.as_ref().map(|k| k.expect.as_str()),
                "expect_met": match c.expect { ExpectCheck::Unknown => None, _ => Some(c.meets_expectation()) },
                "expect_mismatch": match &c.expect { ExpectCheck::Mismatch(w) => Some(w.as_str()), _ => None },
                "error": c.error.as_ref().map(|e| e.to_string()),
            })
        })
        .collect()
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

/// Where the time went (`linkcheck conform --timings`): one line per case
/// (case folder, time inside the linkers, time outside them: reading and
/// preparing the inputs, describing and running the outputs, comparing;
/// of which preparing; in all), then the totals and the medians per case,
/// in milliseconds.
pub fn render_timings(report: &ConformReport) -> String {
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let width = report.cases.iter().map(|c| c.dir.display().to_string().chars().count()).max().unwrap_or(4).max(6);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<width$}  {:>10}  {:>10}  {:>10}  {:>10}",
        "case", "inside ms", "outside ms", "prepare ms", "total ms"
    );
    let columns: Vec<[f64; 4]> = report
        .cases
        .iter()
        .map(|c| {
            let t = &c.timing;
            [ms(t.inside()), ms(t.outside()), ms(t.prepare), ms(t.total)]
        })
        .collect();
    let line = |s: &mut String, name: &str, v: [f64; 4]| {
        let _ = writeln!(s, "{name:<width$}  {:>10.1}  {:>10.1}  {:>10.1}  {:>10.1}", v[0], v[1], v[2], v[3]);
    };
    for (c, v) in report.cases.iter().zip(&columns) {
        line(&mut s, &c.dir.display().to_string(), *v);
    }
    let column = |i: usize| columns.iter().map(|v| v[i]).collect::<Vec<f64>>();
    let sums: [f64; 4] = std::array::from_fn(|i| column(i).iter().sum());
    line(&mut s, "total", sums);
    line(&mut s, "median", std::array::from_fn(|i| median(&column(i))));
    let ratio = if sums[0] > 0.0 { sums[1] / sums[0] } else { f64::NAN };
    let _ = writeln!(
        s,
        "{} cases; outside / inside the linkers: {ratio:.2} (totals); prepare is part of outside",
        report.cases.len()
    );
    s
}

/// The median of `values` (the mean of the middle two for an even count;
/// 0 for none).
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}
