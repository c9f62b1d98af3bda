//! `linkcheck releases`: the corpus through several wasm-ld releases, each
//! compared with a baseline release.
//!
//! Every case is read and prepared as [`crate::conform`] does
//! ([`crate::conform::run_case`]: [`linkcheck_core::casefile::Case::load`], then
//! [`crate::corpus::prepare`]) and linked by the baseline (Debian's
//! `wasm-ld-22` by default) and every release (`wasm-ld-14`, `wasm-ld-16`,
//! `wasm-ld-19`, those installed) with [`linkcheck_core::check::check`]; each release
//! is compared with the baseline by [`linkcheck_core::check::compare`] under its keys
//! (`outcome`, diagnostics, `import.*`, `export.*`, `run.*`). Each (case,
//! release) pair with a difference is a [`Row`].
//!
//! The result is a Markdown table ([`render_markdown`]): a line saying how
//! many cases were run with which releases (and their `--version`), then
//! `| case | release | what differs |`, one row per differing pair, sorted
//! by case, then release. [`replace_block`] puts it into a file between
//! [`BEGIN_MARKER`] and [`END_MARKER`], so the table in a README is made by
//! the command, never by hand.

use crate::conform::run_case;
use linkcheck_core::check::CheckOptions;
use linkcheck_core::diff::Difference;
use linkcheck_core::discover::{DebianLinker, BASELINE, RELEASES};
use linkcheck_core::linker::{Linker, Outcome};
use linkcheck_core::run::Runner;
use serde::Serialize;
use std::cmp::Ordering;
use std::fmt::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The line opening the generated part of a file.
pub const BEGIN_MARKER: &str = "<!-- releases:begin -->";
/// The line closing the generated part of a file.
pub const END_MARKER: &str = "<!-- releases:end -->";

/// Longest value (in characters) shown in a table cell; longer ones are cut
/// and end with `…`.
pub const VALUE_LIMIT: usize = 40;
/// Most differences listed in one cell; the rest are counted (`… and N more`).
pub const KEYS_PER_CELL: usize = 8;

/// The default baseline, [`BASELINE`].
pub fn default_baseline() -> Result<Release, String> {
    Release::debian(&BASELINE)
}

/// Every one of [`RELEASES`] that is installed, oldest first; an error
/// naming the packages when none is.
pub fn default_releases() -> Result<Vec<Release>, String> {
    let found: Vec<Release> =
        RELEASES.iter().filter(|d| d.find().is_some()).map(Release::debian).collect::<Result<_, _>>()?;
    if found.is_empty() {
        let programs: Vec<&str> = RELEASES.iter().map(|d| d.program).collect();
        let packages: Vec<&str> = RELEASES.iter().map(|d| d.package).collect();
        return Err(format!(
            "none of {} is installed: apt-get install {} (scripts/setup.sh installs them)",
            programs.join(", "),
            packages.join(" ")
        ));
    }
    Ok(found)
}

/// A linker and the first line of its `--version`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub linker: Linker,
    /// `Debian LLD 19.1.7`; `in-process` for refld.
    pub version: String,
}

impl Release {
    /// A Debian release ([`DebianLinker::locate`]), asked for its version.
    pub fn debian(debian: &DebianLinker) -> Result<Release, String> {
        let program = debian.locate()?;
        Release::new(Linker::External { name: debian.program.into(), program, leading_args: Vec::new() })
    }

    /// Asks the linker for its version (`PROGRAM LEADING_ARGS... --version`,
    /// first line of stdout); an error when it cannot be run or says nothing.
    pub fn new(linker: Linker) -> Result<Release, String> {
        let version = match &linker {
            Linker::Reference => "in-process".to_string(),
            Linker::Zig { program, .. } => linkcheck_core::zig::version(program)?,
            Linker::External { name, program, leading_args } => {
                let out = Command::new(program)
                    .args(leading_args)
                    .arg("--version")
                    .stdin(Stdio::null())
                    .output()
                    .map_err(|e| format!("{name}: cannot run `{} --version`: {e}", program.display()))?;
                let text = String::from_utf8_lossy(&out.stdout);
                let first = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
                if !out.status.success() || first.is_empty() {
                    return Err(format!(
                        "{name}: `{} --version` failed ({}): {}",
                        program.display(),
                        out.status,
                        String::from_utf8_lossy(&out.stderr).trim()
                    ));
                }
                first.to_string()
            }
        };
        Ok(Release { linker, version })
    }

    /// The linker's name.
    pub fn name(&self) -> &str {
        self.linker.name()
    }

    fn info(&self) -> LinkerInfo {
        LinkerInfo { name: self.name().to_string(), version: self.version.clone() }
    }
}

/// A linker's name and version, as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkerInfo {
    pub name: String,
    pub version: String,
}

/// One (case, release) pair that differs from the baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The case's name ([`case_names`]).
    pub case: String,
    /// The release's name.
    pub release: String,
    /// The differences, baseline on the left, release on the right.
    pub differences: Vec<Difference>,
    /// When the outcomes differ: each side's [`outcome_detail`], baseline
    /// first (the `outcome` key itself only says `crashed`, `rejected`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome_detail: Option<(String, String)>,
}

/// An outcome in a few words: `linked`, `rejected: FIRST ERROR LINE`,
/// `crashed: STATUS` (`signal 11 (SIGSEGV)`, `exit status 0 without an
/// output file`), `timed out`.
pub fn outcome_detail(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Linked { .. } => "linked".into(),
        Outcome::Rejected { diagnostics } => {
            let first =
                diagnostics.iter().find_map(|d| d.strip_prefix("error: ")).or(diagnostics.first().map(String::as_str));
            match first.and_then(|d| d.lines().next()) {
                Some(line) => format!("rejected: {line}"),
                None => "rejected".into(),
            }
        }
        Outcome::Crashed { status, .. } => format!("crashed: {status}"),
        Outcome::TimedOut => "timed out".into(),
        Outcome::Unsupported { reason } => format!("not run: {reason}"),
    }
}

/// A case that could not be read or prepared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseError {
    pub case: String,
    pub message: String,
}

/// Everything `linkcheck releases` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReleasesReport {
    pub baseline: LinkerInfo,
    /// In the order given.
    pub releases: Vec<LinkerInfo>,
    /// The names of the cases run, in order.
    pub cases: Vec<String>,
    /// Sorted by case, then release ([`sort_rows`]).
    pub rows: Vec<Row>,
    /// Cases that could not be read or prepared (not in `rows`).
    pub errors: Vec<CaseError>,
}

/// The names of case folders in tables: each path relative to the deepest
/// folder holding them all (for a single case, its parent), so
/// `corpus/undefined/a` and `corpus/undefined/b` are `a` and `b`.
pub fn case_names(dirs: &[PathBuf]) -> Vec<String> {
    let Some(first) = dirs.first() else { return Vec::new() };
    let mut common: Vec<_> = first.parent().map(|p| p.components().collect()).unwrap_or_default();
    for dir in &dirs[1..] {
        let parts: Vec<_> = dir.components().collect();
        let same = common.iter().zip(&parts).take_while(|(a, b)| a == b).count();
        // A folder, never the case itself.
        common.truncate(same.min(parts.len().saturating_sub(1)));
    }
    let prefix: PathBuf = common.iter().collect();
    dirs.iter().map(|d| d.strip_prefix(&prefix).unwrap_or(d).display().to_string()).collect()
}

/// Runs every case folder of `dirs` through the baseline and each release;
/// `on_case` sees each case name as it is done (for progress display).
pub fn run_releases(
    dirs: &[PathBuf],
    baseline: &Release,
    releases: &[Release],
    runner: &Runner,
    options: &CheckOptions,
    on_case: &mut dyn FnMut(&str),
) -> ReleasesReport {
    let linkers: Vec<Linker> =
        std::iter::once(&baseline.linker).chain(releases.iter().map(|r| &r.linker)).cloned().collect();
    let names = case_names(dirs);
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    for (dir, name) in dirs.iter().zip(&names) {
        let result = run_case(dir, &linkers, runner, options, &linkcheck_core::policy::Policy::default());
        if let Some(e) = result.error {
            errors.push(CaseError { case: name.clone(), message: e.to_string() });
        }
        let Some(report) = result.report else {
            on_case(name);
            continue;
        };
        for (c, release) in report.comparisons.iter().zip(report.linkers.iter().skip(1)) {
            if c.differences.is_empty() {
                continue;
            }
            let outcome_detail = c
                .differences
                .iter()
                .any(|d| d.key == linkcheck_core::key::DiffKey::Outcome)
                .then(|| (outcome_detail(&report.linkers[0].outcome), outcome_detail(&release.outcome)));
            rows.push(Row {
                case: name.clone(),
                release: c.right.clone(),
                differences: c.differences.clone(),
                outcome_detail,
            });
        }
        on_case(name);
    }
    sort_rows(&mut rows);
    ReleasesReport {
        baseline: baseline.info(),
        releases: releases.iter().map(Release::info).collect(),
        cases: names,
        rows,
        errors,
    }
}

/// Sorts rows by case, then release, numbers compared as numbers
/// (`wasm-ld-9` before `wasm-ld-14`).
pub fn sort_rows(rows: &mut [Row]) {
    rows.sort_by(|a, b| natural_cmp(&a.case, &b.case).then_with(|| natural_cmp(&a.release, &b.release)));
}

/// Compares strings with runs of digits taken as numbers.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    fn chunks(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let bytes = s.as_bytes();
        for i in 1..=bytes.len() {
            if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
                out.push((bytes[start].is_ascii_digit(), &s[start..i]));
                start = i;
            }
        }
        out
    }
    let (ca, cb) = (chunks(a), chunks(b));
    for (x, y) in ca.iter().zip(&cb) {
        let order = match (x, y) {
            ((true, x), (true, y)) => {
                let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                x.len().cmp(&y.len()).then_with(|| x.cmp(y))
            }
            ((_, x), (_, y)) => x.cmp(y),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    ca.len().cmp(&cb.len()).then_with(|| a.cmp(b))
}

/// A value for a table cell: on one line (`\n` for line breaks), at most
/// [`VALUE_LIMIT`] characters (cut ones end with `…`).
pub fn shorten(value: &str) -> String {
    shorten_to(value, VALUE_LIMIT)
}

fn shorten_to(value: &str, limit: usize) -> String {
    let one_line = value.replace("\r\n", "\n").replace('\n', "\\n");
    if one_line.chars().count() <= limit {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(limit - 1).collect();
    cut.push('…');
    cut
}

/// The `what differs` text: `KEY: BASELINE vs RELEASE` for each difference,
/// joined by `; `, values [`shorten`]ed, at most [`KEYS_PER_CELL`] of them.
/// Plain text; [`render_markdown`] escapes it for a cell.
pub fn what_differs(differences: &[Difference]) -> String {
    let mut parts: Vec<String> = differences
        .iter()
        .take(KEYS_PER_CELL)
        .map(|d| format!("{}: {} vs {}", d.key, shorten(&d.left), shorten(&d.right)))
        .collect();
    if differences.len() > KEYS_PER_CELL {
        parts.push(format!("… and {} more", differences.len() - KEYS_PER_CELL));
    }
    parts.join("; ")
}

/// The `what differs` text of a row: [`what_differs`], except that the
/// `outcome` values are the row's [`Row::outcome_detail`] when it has one,
/// shortened to twice [`VALUE_LIMIT`] (`outcome: linked vs crashed: signal
/// 11 (SIGSEGV)`).
pub fn row_differs(row: &Row) -> String {
    let Some((left, right)) = &row.outcome_detail else { return what_differs(&row.differences) };
    let mut parts =
        vec![format!("outcome: {} vs {}", shorten_to(left, 2 * VALUE_LIMIT), shorten_to(right, 2 * VALUE_LIMIT))];
    let rest: Vec<Difference> = row.differences.iter().filter(|d| d.key != "outcome").cloned().collect();
    if !rest.is_empty() {
        parts.push(what_differs(&rest));
    }
    parts.join("; ")
}

/// Text made safe for a Markdown table cell: `|` escaped, `<` as `&lt;`
/// (no HTML), no line breaks.
pub fn cell(text: &str) -> String {
    text.replace('\\', "\\\\").replace('|', "\\|").replace('<', "&lt;").replace('\n', " ")
}

/// The summary line: how many cases, the baseline and the releases with
/// their versions, how many pairs differ.
pub fn summary_line(report: &ReleasesReport) -> String {
    let n = report.cases.len();
    let with_version = |l: &LinkerInfo| format!("{} (`{}`)", l.name, l.version);
    let releases: Vec<String> = report.releases.iter().map(with_version).collect();
    let pairs = n.saturating_sub(report.errors.len()) * report.releases.len();
    let mut line = format!(
        "{n} case{} run with {} as the baseline and {} release{} {}: {} of {pairs} (case, release) pair{} differ{} \
         from the baseline.",
        if n == 1 { "" } else { "s" },
        with_version(&report.baseline),
        report.releases.len(),
        if report.releases.len() == 1 { "" } else { "s" },
        releases.join(", "),
        report.rows.len(),
        if pairs == 1 { "" } else { "s" },
        if report.rows.len() == 1 { "s" } else { "" },
    );
    if !report.errors.is_empty() {
        let _ = write!(
            line,
            " {} case{} could not be prepared.",
            report.errors.len(),
            if report.errors.len() == 1 { "" } else { "s" }
        );
    }
    line
}

/// The summary line, a note on how to read the cells, then the table
/// (header always present).
pub fn render_markdown(report: &ReleasesReport) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}", summary_line(report));
    s.push('\n');
    let _ = writeln!(
        s,
        "Each cell lists the difference keys (see `oracle/core/src/diff.rs`) as `KEY: {} vs RELEASE`; \
         `outcome` values also say why (the first error, the crash status).",
        report.baseline.name
    );
    s.push('\n');
    s.push_str("| case | release | what differs |\n|---|---|---|\n");
    for row in &report.rows {
        let _ = writeln!(s, "| {} | {} | {} |", cell(&row.case), cell(&row.release), cell(&row_differs(row)));
    }
    for e in &report.errors {
        let _ = writeln!(s, "\nerror: {}: {}", e.case, e.message.replace('\n', " "));
    }
    s
}

/// What goes between the markers: a note naming `command` (the command
/// that made it), then [`render_markdown`] and an empty line (so the end
/// marker cannot be read as part of the table).
pub fn render_block(report: &ReleasesReport, command: &str) -> String {
    format!("<!-- Made by `{command}`; do not edit between the markers. -->\n\n{}\n", render_markdown(report))
}

/// `text` with the part between [`BEGIN_MARKER`] and [`END_MARKER`] (lines
/// of their own) replaced by `block`; when neither marker is there, both are
/// added at the end with `block` between them. An error when only one is
/// there, when either is there twice, or when the end comes first.
pub fn replace_block(text: &str, block: &str) -> Result<String, String> {
    let find = |marker: &str| -> Result<Option<usize>, String> {
        let hits: Vec<usize> = line_starts(text).filter(|&i| text[i..].lines().next() == Some(marker)).collect();
        match hits.as_slice() {
            [] => Ok(None),
            [i] => Ok(Some(*i)),
            _ => Err(format!("`{marker}` is there {} times", hits.len())),
        }
    };
    let mut block = block.to_string();
    if !block.ends_with('\n') {
        block.push('\n');
    }
    match (find(BEGIN_MARKER)?, find(END_MARKER)?) {
        (None, None) => {
            let mut out = text.to_string();
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            if !out.is_empty() {
                out.push('\n');
            }
            let _ = write!(out, "{BEGIN_MARKER}\n{block}{END_MARKER}\n");
            Ok(out)
        }
        (Some(begin), Some(end)) if begin < end => {
            let after_begin = begin + BEGIN_MARKER.len();
            let after_begin = if text[after_begin..].starts_with("\r\n") {
                after_begin + 2
            } else if text[after_begin..].starts_with('\n') {
                after_begin + 1
            } else {
                after_begin
            };
            Ok(format!("{}{block}{}", &text[..after_begin], &text[end..]))
        }
        (Some(_), Some(_)) => Err(format!("`{END_MARKER}` comes before `{BEGIN_MARKER}`")),
        (Some(_), None) => Err(format!("`{BEGIN_MARKER}` without `{END_MARKER}`")),
        (None, Some(_)) => Err(format!("`{END_MARKER}` without `{BEGIN_MARKER}`")),
    }
}

fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).filter(move |&i| i < text.len())
}

/// The report as pretty JSON: `baseline`, `releases` (name, version),
/// `cases`, `rows` (case, release, differences: key, left = baseline,
/// right = release), `errors`.
pub fn render_json(report: &ReleasesReport) -> String {
    serde_json::to_string_pretty(report).expect("a report serializes")
}

/// A command line as a shell would take it back: words with anything but
/// `[A-Za-z0-9_./=:,+-]` single-quoted.
pub fn shell_words<S: AsRef<str>>(words: &[S]) -> String {
    words
        .iter()
        .map(|w| {
            let w = w.as_ref();
            if !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || "_./=:,+-".contains(c)) {
                w.to_string()
            } else {
                format!("'{}'", w.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
