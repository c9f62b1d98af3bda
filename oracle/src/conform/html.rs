//! A [`ConformReport`] as one standalone HTML page (`linkcheck conform
//! --html FILE`): no external assets, the style inline, no date or timing,
//! so that two runs of the same corpus give the same file.
//!
//! The page holds a header (the linkers, the summary), the matrix (case x
//! linker, one coloured cell each, as [`super::render::render_matrix`]),
//! then one `<details>` block per case that does not pass or has a known
//! divergence: its description, its preparation error, its expectation
//! mismatch, every difference of every linker from the first with both
//! sides' values in full, its explanation and its status (`known: NOTE`,
//! `allowed: REASON`, or nothing for an unknown divergence), each crashed
//! linker's stderr, each rejecting linker's diagnostics. Stale known-list
//! entries are listed under the summary. Blocks of cases that fail are
//! open, those of cases with known divergences only closed.

use super::render::{expect_cell, summary_line};
use super::{CaseResult, ConformReport, ExpectCheck, Verdict};
use linkcheck_core::linker::Outcome;
use std::fmt::Write;

const STYLE: &str = "\
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em}
table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#f0f0f0}
td.case{font-family:monospace}
td.linked,td.rejected,td.agree,td.ok{background:#d9f2d9}
td.diverge{background:#ffe0b3}
td.known{background:#fff5cc}
td.crash,td.MISMATCH{background:#f5b7b1}
td.timeout{background:#e0c8f0}
td.error{background:#ddd}
pre{margin:0;white-space:pre-wrap;word-break:break-all;font-size:.9em}
details{margin:.4em 0;border:1px solid #ccc;padding:.3em .6em}
summary{cursor:pointer;font-family:monospace}
.why{color:#a00}
";

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#39;"),
            c => s.push(c),
        }
    }
    s
}

/// True when the case gets a `<details>` block: it does not pass (an
/// unknown divergence, a crash or timeout, a missed expectation, a
/// preparation error) or it has known divergences.
fn has_details(c: &CaseResult) -> bool {
    !c.passes() || !c.agrees()
}

/// The whole page.
pub fn render_html(report: &ConformReport) -> String {
    let mut s = String::new();
    let summary = summary_line(&report.summary());
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<title>linkcheck conform</title>\n");
    let _ = writeln!(s, "<style>\n{STYLE}</style>\n</head>\n<body>");
    s.push_str("<h1>linkcheck conform</h1>\n");
    let linkers: Vec<String> = report
        .linkers
        .iter()
        .enumerate()
        .map(|(i, l)| format!("<code>{}</code>{}", escape(l), if i == 0 { " (the reference)" } else { "" }))
        .collect();
    let _ = writeln!(s, "<p>Linkers: {}. Every other linker is compared with the first.</p>", linkers.join(", "));
    let _ = writeln!(s, "<p><strong>{}</strong></p>", escape(&summary));
    for k in &report.stale {
        let _ = writeln!(s, "<p class=\"why\">{}</p>", escape(&super::stale::stale_line(k)));
    }

    s.push_str("<h2>Matrix</h2>\n<table>\n<tr><th>case</th><th>expect</th>");
    for l in &report.linkers {
        let _ = write!(s, "<th>{}</th>", escape(l));
    }
    s.push_str("</tr>\n");
    for (n, c) in report.cases.iter().enumerate() {
        let name = escape(&c.dir.display().to_string());
        let case_cell = if has_details(c) { format!("<a href=\"#case-{n}\">{name}</a>") } else { name };
        let expect = expect_cell(c);
        let _ = write!(s, "<tr><td class=\"case\">{case_cell}</td><td class=\"{expect}\">{expect}</td>");
        for v in c.verdicts(&report.linkers) {
            let title = match &v {
                Verdict::Rejected if c.meets_expectation() => " title=\"rejected as expected\"",
                _ => "",
            };
            let _ = write!(s, "<td class=\"{}\"{title}>{}</td>", v.kind(), escape(&v.cell()));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</table>\n");

    let failing: Vec<(usize, &CaseResult)> = report.cases.iter().enumerate().filter(|(_, c)| has_details(c)).collect();
    if !failing.is_empty() {
        s.push_str("<h2>Divergences</h2>\n");
    }
    for (n, c) in failing {
        render_case(&mut s, n, c);
    }
    s.push_str("</body>\n</html>\n");
    s
}

fn render_case(s: &mut String, n: usize, c: &CaseResult) {
    let open = if c.passes() { "" } else { " open" };
    let _ = writeln!(s, "<details id=\"case-{n}\"{open}>\n<summary>{}</summary>", escape(&c.dir.display().to_string()));
    if let Some(case) = &c.case {
        let _ = writeln!(s, "<p>{} (expected: {})</p>", escape(&case.description), case.expect.as_str());
    }
    if let Some(e) = &c.error {
        let _ = writeln!(s, "<p class=\"why\">The case could not be prepared:</p>\n<pre>{}</pre>", escape(&e.to_string()));
    }
    if let ExpectCheck::Mismatch(why) = &c.expect {
        let _ = writeln!(s, "<p class=\"why\">Expectation not met: {}</p>", escape(why));
    }
    let Some(report) = &c.report else {
        s.push_str("</details>\n");
        return;
    };
    for cmp in report.comparisons.iter().filter(|cmp| !cmp.differences.is_empty() || !cmp.allowed.is_empty()) {
        let (left, right) = (escape(&cmp.left), escape(&cmp.right));
        let (n, a) = (cmp.differences.len(), cmp.allowed.len());
        let _ = writeln!(
            s,
            "<p>{right} against {left}: {n} divergence{}, {a} allowed difference{}</p>\n<table>\n<tr><th>key</th><th>{left}</th><th>{right}</th><th>explanation</th><th>status</th></tr>",
            if n == 1 { "" } else { "s" },
            if a == 1 { "" } else { "s" },
        );
        for d in cmp.differences.iter().chain(&cmp.allowed) {
            let status = match (&d.known, &d.allowed) {
                (Some(note), _) => format!("known: {}", escape(note)),
                (None, Some(reason)) => format!("allowed: {}", escape(reason)),
                (None, None) => "<strong>diverge</strong>".to_string(),
            };
            let _ = writeln!(
                s,
                "<tr><td><code>{}</code></td><td><pre>{}</pre></td><td><pre>{}</pre></td><td>{}</td><td>{status}</td></tr>",
                escape(&d.key.to_string()),
                escape(&d.left),
                escape(&d.right),
                escape(&d.explanation)
            );
        }
        s.push_str("</table>\n");
    }
    for l in &report.linkers {
        match &l.outcome {
            Outcome::Crashed { status, stderr } => {
                let _ = writeln!(
                    s,
                    "<p class=\"why\">{} crashed ({}); its stderr:</p>\n<pre>{}</pre>",
                    escape(&l.name),
                    escape(status),
                    escape(stderr)
                );
            }
            Outcome::TimedOut => {
                let _ = writeln!(s, "<p class=\"why\">{} timed out.</p>", escape(&l.name));
            }
            Outcome::Rejected { diagnostics } => {
                let _ = writeln!(s, "<p>{} rejected the link:</p>\n<pre>{}</pre>", escape(&l.name), escape(&diagnostics.join("\n")));
            }
            Outcome::Unsupported { reason } => {
                let _ = writeln!(s, "<p>{} was not run: {}</p>", escape(&l.name), escape(reason));
            }
            Outcome::Linked { .. } => {}
        }
    }
    s.push_str("</details>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use linkcheck_core::check::{CheckReport, Comparison, LinkerReport};
    use crate::conform::CaseTiming;
    use linkcheck_core::casefile::{Case, CorpusError};
    use linkcheck_core::diff::Difference;
    use std::path::{Path, PathBuf};

    fn key(text: &str) -> linkcheck_core::key::DiffKey {
        linkcheck_core::key::DiffKey::parse(text).unwrap()
    }

    fn linker(name: &str, outcome: Outcome) -> LinkerReport {
        LinkerReport { name: name.into(), outcome, module: None, module_error: None, run: None, side_modules: Vec::new() }
    }

    fn case(dir: &str, expect: &str) -> Case {
        let text = format!("description = \"checks <b> & 'c'\"\nargs = [\"-o\", \"out.wasm\", \"main.o\"]\nexpect = \"{expect}\"\n");
        Case::parse(Path::new(dir), &text).expect("a valid case")
    }

    /// Three cases: one diverging (two keys, values needing escaping, a
    /// crash of the third linker), one rejected by all alike, one that
    /// could not be prepared.
    fn fixed_report() -> ConformReport {
        let linked = || Outcome::Linked { bytes: vec![0, 97, 115, 109], warnings: vec![] };
        let diverging = CaseResult {
            dir: PathBuf::from("corpus/x<y>"),
            case: Some(case("corpus/x<y>", "link")),
            error: None,
            report: Some(CheckReport {
                args: vec![],
                linkers: vec![
                    linker("refld", linked()),
                    linker("rust-lld", linked()),
                    linker("ld&co", Outcome::Crashed { status: "signal 11".into(), stderr: "boom <stack> & \"dump\"".into() }),
                ],
                comparisons: vec![
                    Comparison {
                        left: "refld".into(),
                        right: "rust-lld".into(),
                        differences: vec![
                            Difference::explained(key("export.main.type"), "(i32) -> i32", "<none>", "refld", "rust-lld"),
                            Difference::explained(key("func.f&g"), "a 'quoted' body", "x < y && y > z", "refld", "rust-lld"),
                        ],
                        allowed: vec![],
                    },
                    Comparison {
                        left: "refld".into(),
                        right: "ld&co".into(),
                        differences: vec![Difference::explained(key("outcome"), "linked", "crashed", "refld", "ld&co")],
                        allowed: vec![],
                    },
                ],
                agree: false,
            }),
            expect: ExpectCheck::Met,
            timing: CaseTiming::default(),
        };
        let rejected = |name: &str| linker(name, Outcome::Rejected { diagnostics: vec!["error: duplicate symbol: <f>".into()] });
        let agreeing = CaseResult {
            dir: PathBuf::from("corpus/dup"),
            case: Some(case("corpus/dup", "reject")),
            error: None,
            report: Some(CheckReport {
                args: vec![],
                linkers: vec![rejected("refld"), rejected("rust-lld"), rejected("ld&co")],
                comparisons: ["rust-lld", "ld&co"]
                    .iter()
                    .map(|r| Comparison { left: "refld".into(), right: r.to_string(), differences: vec![], allowed: vec![] })
                    .collect(),
                agree: true,
            }),
            expect: ExpectCheck::Met,
            timing: CaseTiming::default(),
        };
        let broken = CaseResult {
            dir: PathBuf::from("corpus/broken"),
            case: None,
            error: Some(CorpusError::new("corpus/broken/case.toml", "missing `expect` <here>")),
            report: None,
            expect: ExpectCheck::Unknown,
            timing: CaseTiming::default(),
        };
        ConformReport {
            linkers: vec!["refld".into(), "rust-lld".into(), "ld&co".into()],
            cases: vec![diverging, agreeing, broken],
            stale: vec![],
        }
    }

    #[test]
    fn escape_replaces_the_five_characters() {
        assert_eq!(escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assert_eq!(escape("plain"), "plain");
    }

    #[test]
    fn page_has_matrix_every_key_and_both_sides_escaped() {
        let page = render_html(&fixed_report());
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(!page.contains("<link") && !page.contains("<script") && !page.contains("http"), "no external assets");
        // Header: the linkers, escaped.
        assert!(page.contains("<code>ld&amp;co</code>"));
        // The matrix: every case, coloured cells.
        for name in ["corpus/x&lt;y&gt;", "corpus/dup", "corpus/broken"] {
            assert!(page.contains(name), "{name} missing");
        }
        assert!(page.contains("<td class=\"diverge\">diverge:export.main.type</td>"));
        assert!(page.contains("<td class=\"crash\">crash</td>"));
        assert!(page.contains("<td class=\"rejected\" title=\"rejected as expected\">rejected</td>"));
        assert!(page.contains("<td class=\"error\">error</td>"));
        // Every difference key, with both sides, escaped.
        for key in ["export.main.type", "func.f&amp;g", "outcome"] {
            assert!(page.contains(&format!("<code>{key}</code>")), "{key} missing");
        }
        for value in ["(i32) -&gt; i32", "&lt;none&gt;", "a &#39;quoted&#39; body", "x &lt; y &amp;&amp; y &gt; z"] {
            assert!(page.contains(&format!("<pre>{value}</pre>")), "{value} missing");
        }
        // Crash stderr, preparation error, escaped; no raw `<` from the data.
        assert!(page.contains("boom &lt;stack&gt; &amp; &quot;dump&quot;"));
        assert!(page.contains("missing `expect` &lt;here&gt;"));
        assert!(!page.contains("<stack>") && !page.contains("<none>") && !page.contains("<here>"));
        // Details blocks for the diverging and the broken case only.
        assert_eq!(page.matches("<details").count(), 2);
        assert!(!page.contains("duplicate symbol"), "the agreeing case has no details");
        // Same report, same page.
        assert_eq!(page, render_html(&fixed_report()));
    }
}
