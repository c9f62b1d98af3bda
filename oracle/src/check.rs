//! One case through every linker: link, describe, run, compare.

use crate::describe::{describe, ModuleSummary};
use crate::diff::{compare, Difference};
use crate::linker::{Linker, Outcome, DEFAULT_TIMEOUT};
use crate::run::{RunLimits, RunResult, Runner};
use serde::Serialize;
use std::path::Path;
use std::time::{Duration, Instant};

/// How to check a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckOptions {
    /// Time limit of each link.
    pub timeout: Duration,
    /// Bounds of each run.
    pub limits: RunLimits,
    /// Whether linked outputs are run at all.
    pub run: bool,
    /// Whether linked outputs are also compared structurally
    /// ([`crate::canon`]: by symbol, independent of layout).
    pub structural: bool,
}

impl Default for CheckOptions {
    /// [`DEFAULT_TIMEOUT`], default [`RunLimits`], outputs run and compared
    /// structurally.
    fn default() -> Self {
        CheckOptions { timeout: DEFAULT_TIMEOUT, limits: RunLimits::default(), run: true, structural: true }
    }
}

/// What one linker made of the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkerReport {
    /// The linker's name ([`Linker::name`]).
    pub name: String,
    pub outcome: Outcome,
    /// Imports and exports of the output; `None` unless linked and readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module: Option<ModuleSummary>,
    /// Why a linked output could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module_error: Option<String>,
    /// The run of the output; `None` unless linked (and runs enabled).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<RunResult>,
}

impl LinkerReport {
    /// Describes and (if `run`) runs an outcome.
    pub fn from_outcome(name: &str, outcome: Outcome, runner: &Runner, options: &CheckOptions) -> LinkerReport {
        let (mut module, mut module_error, mut run) = (None, None, None);
        if let Some(bytes) = outcome.bytes() {
            match describe(bytes) {
                Ok(m) => module = Some(m),
                Err(e) => module_error = Some(e.0),
            }
            if options.run {
                run = Some(runner.run(bytes, &options.limits));
            }
        }
        LinkerReport { name: name.to_string(), outcome, module, module_error, run }
    }
}

/// The differences of one linker from the first one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// Name of the first linker (the left side of every difference).
    pub left: String,
    /// Name of the other linker (the right side).
    pub right: String,
    pub differences: Vec<Difference>,
}

/// Every linker's report, and every other linker compared with the first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// The wasm-ld arguments linked.
    pub args: Vec<String>,
    pub linkers: Vec<LinkerReport>,
    /// `linkers[0]` against `linkers[i]` for each i ≥ 1, in order.
    pub comparisons: Vec<Comparison>,
    /// True when no comparison has a difference.
    pub agree: bool,
}

impl CheckReport {
    /// Compares the reports: the first against each of the others.
    pub fn from_reports(args: &[String], linkers: Vec<LinkerReport>) -> CheckReport {
        let comparisons: Vec<Comparison> = match linkers.split_first() {
            Some((first, rest)) => rest
                .iter()
                .map(|other| Comparison {
                    left: first.name.clone(),
                    right: other.name.clone(),
                    differences: compare(first, other),
                })
                .collect(),
            None => Vec::new(),
        };
        let agree = comparisons.iter().all(|c| c.differences.is_empty());
        CheckReport { args: args.to_vec(), linkers, comparisons, agree }
    }
}

/// Links `args` (relative paths against `cwd`) with each linker in turn,
/// describes and runs each output, compares the first linker with each
/// other one.
pub fn check(linkers: &[Linker], args: &[String], cwd: &Path, runner: &Runner, options: &CheckOptions) -> CheckReport {
    check_timed(linkers, args, cwd, runner, options).0
}

/// [`check`], also giving the wall time of each linker's link (the linker
/// process, or refld's in-process link), in the order of `linkers`. The
/// report is the one [`check`] gives: timing changes nothing in it.
pub fn check_timed(
    linkers: &[Linker],
    args: &[String],
    cwd: &Path,
    runner: &Runner,
    options: &CheckOptions,
) -> (CheckReport, Vec<Duration>) {
    let mut times = Vec::with_capacity(linkers.len());
    let reports = linkers
        .iter()
        .map(|linker| {
            let start = Instant::now();
            let outcome = linker.link_with_timeout(args, cwd, options.timeout);
            times.push(start.elapsed());
            LinkerReport::from_outcome(linker.name(), outcome, runner, options)
        })
        .collect();
    let mut report = CheckReport::from_reports(args, reports);
    if options.structural {
        add_structural(&mut report, args, cwd);
    }
    (report, times)
}

/// Adds the structural divergences ([`crate::canon`], keys `func.*`,
/// `data.*`, `global.*`, `table.*`, `import.M.F.*`, `export.N.*`, ...) of
/// each pair of linked outputs, minus the default allow-list of layout
/// choices. An output the canonicalizer cannot read gives `canon.error`.
fn add_structural(report: &mut CheckReport, args: &[String], cwd: &Path) {
    use crate::canon::{canonicalize, compare_canon, inputs_from_args};
    let inputs = inputs_from_args(args, cwd);
    let canons: Vec<Option<Result<crate::canon::Canon, String>>> =
        report.linkers.iter().map(|l| l.outcome.bytes().map(|b| canonicalize(b, &inputs).map_err(|e| e.to_string()))).collect();
    for (i, cmp) in report.comparisons.iter_mut().enumerate() {
        let have: Vec<String> = cmp.differences.iter().map(|d| d.key.clone()).collect();
        match (&canons[0], &canons[i + 1]) {
            (Some(Ok(a)), Some(Ok(b))) => {
                for d in compare_canon(a, b) {
                    if !have.contains(&d.key) {
                        cmp.differences.push(Difference { key: d.key, left: d.left, right: d.right });
                    }
                }
            }
            (Some(Err(e)), Some(Ok(_))) => cmp.differences.push(Difference { key: "canon.error".into(), left: e.clone(), right: "(read)".into() }),
            (Some(Ok(_)), Some(Err(e))) => cmp.differences.push(Difference { key: "canon.error".into(), left: "(read)".into(), right: e.clone() }),
            _ => {}
        }
    }
    report.agree = report.comparisons.iter().all(|c| c.differences.is_empty());
}
