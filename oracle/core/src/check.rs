//! One case through every linker: link, describe, run, compare
//! ([`compare`]: the keys of `diff`, then the structural ones of `canon`).

use crate::allow::AllowList;
use crate::describe::{describe, ModuleSummary};
use crate::diff::{self, Difference};
use crate::key::{DiffKey, ItemKind, ModuleFact};
use crate::linker::{Linker, Outcome, DEFAULT_TIMEOUT};
use crate::run::{RunLimits, RunResult, Runner};
use serde::Serialize;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How to check a case.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// Whether outputs are also compared byte for byte, section by section
    /// (`exact.SECTION` keys, added by the `exact` module's `add_exact`);
    /// callers add them after the policy's attribution.
    pub exact: bool,
    /// For a dynamic link, what the loader does with a call of a function
    /// no module defines ([`crate::run::MissingFunction`]).
    pub missing_functions: crate::run::MissingFunction,
    /// The differences that are legitimate for each pair of linkers
    /// ([`crate::allow`]): kept apart in [`Comparison::allowed`].
    pub allow: Arc<AllowList>,
}

impl Default for CheckOptions {
    /// [`DEFAULT_TIMEOUT`], default [`RunLimits`], outputs run and compared
    /// structurally, the embedded allow-list (`corpus/policy.toml`).
    fn default() -> Self {
        CheckOptions {
            timeout: DEFAULT_TIMEOUT,
            limits: RunLimits::default(),
            run: true,
            structural: true,
            exact: false,
            missing_functions: crate::run::MissingFunction::Host,
            allow: Arc::new(AllowList::embedded().clone()),
        }
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
    /// The run of the output; `None` unless linked (and runs enabled). For
    /// a dynamic link (the `dynamic` module), the main module's run under the
    /// loader with this linker's side modules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<RunResult>,
    /// For a dynamic link, each side module's link by this linker, in the
    /// case's order (name = the side module's name; never run alone).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub side_modules: Vec<LinkerReport>,
}

impl LinkerReport {
    /// Describes and (if `run`) runs an outcome.
    pub fn from_outcome(name: &str, outcome: Outcome, runner: &Runner, options: &CheckOptions) -> LinkerReport {
        LinkerReport::from_outcome_timed(name, outcome, runner, options, None)
    }

    /// [`LinkerReport::from_outcome`]; with `times`, the output is compiled
    /// before it is run (the runner keeps the module) and describing,
    /// compiling and running are each timed.
    pub(crate) fn from_outcome_timed(
        name: &str,
        outcome: Outcome,
        runner: &Runner,
        options: &CheckOptions,
        mut times: Option<&mut PhaseTimes>,
    ) -> LinkerReport {
        let (mut module, mut module_error, mut run) = (None, None, None);
        if let Some(bytes) = outcome.bytes() {
            let start = Instant::now();
            match describe(bytes) {
                Ok(m) => module = Some(m),
                Err(e) => module_error = Some(e.0),
            }
            if let Some(t) = times.as_deref_mut() {
                t.describe += start.elapsed();
            }
            if options.run {
                if let Some(t) = times.as_deref_mut() {
                    let start = Instant::now();
                    let _ = runner.module(bytes);
                    t.compile += start.elapsed();
                }
                let start = Instant::now();
                run = Some(runner.run(bytes, &options.limits));
                if let Some(t) = times {
                    t.run += start.elapsed();
                }
            }
        }
        LinkerReport { name: name.to_string(), outcome, module, module_error, run, side_modules: Vec::new() }
    }
}

/// The differences of one linker from the first one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// Name of the first linker (the left side of every difference).
    pub left: String,
    /// Name of the other linker (the right side).
    pub right: String,
    /// The divergences: differences no allow-list entry covers, in key
    /// order (report keys, then structural keys).
    pub differences: Vec<Difference>,
    /// The differences an allow-list entry covers, each with its reason
    /// ([`Difference::allowed`]); they do not count as divergences.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<Difference>,
}

impl Comparison {
    /// A comparison of `left` and `right` with `differences` sorted into
    /// divergences and allowed ones by `allow`.
    pub fn new(left: &str, right: &str, differences: Vec<Difference>, allow: &AllowList) -> Comparison {
        let mut c = Comparison { left: left.into(), right: right.into(), differences: Vec::new(), allowed: Vec::new() };
        c.extend(differences, allow);
        c
    }

    /// Adds differences, each to `differences` or (with its reason) to
    /// `allowed`.
    pub fn extend(&mut self, differences: Vec<Difference>, allow: &AllowList) {
        for mut d in differences {
            // An allowance of a key holds for that key of every module of a
            // dynamic link (`side[NAME].KEY`).
            let reason = allow.reason(&self.left, &self.right, &d.key.to_string()).or_else(|| match &d.key {
                DiffKey::Side { key, .. } => allow.reason(&self.left, &self.right, &key.to_string()),
                _ => None,
            });
            match reason {
                Some(reason) => {
                    d.allowed = Some(reason.to_string());
                    self.allowed.push(d);
                }
                None => self.differences.push(d),
            }
        }
    }
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
    /// Compares the reports: the first against each of the others; `allow`
    /// sorts out the legitimate differences.
    pub fn from_reports(args: &[String], linkers: Vec<LinkerReport>, allow: &AllowList) -> CheckReport {
        let comparisons: Vec<Comparison> = match linkers.split_first() {
            Some((first, rest)) => {
                rest.iter().map(|other| Comparison::new(&first.name, &other.name, compare(first, other), allow)).collect()
            }
            None => Vec::new(),
        };
        let agree = comparisons.iter().all(|c| c.differences.is_empty());
        CheckReport { args: args.to_vec(), linkers, comparisons, agree }
    }
}

/// All differences between two reports, in key order: `outcome`,
/// `diag.*`, `warn.*`, `module.*`, `import.*`, `export.*`, `run.*`, each
/// explained with the reports' linker names. Empty when they agree.
pub fn compare(left: &LinkerReport, right: &LinkerReport) -> Vec<Difference> {
    let mut out = compare_unnamed(left, right);
    // The helpers below know no names: explain with the linkers' own.
    for d in &mut out {
        d.explanation = diff::explain_difference(&d.key, &d.left, &d.right, &left.name, &right.name);
    }
    out
}

/// [`compare`], explained with the sides called `left` and `right`.
fn compare_unnamed(left: &LinkerReport, right: &LinkerReport) -> Vec<Difference> {
    let mut out = compare_side_modules(left, right);
    out.extend(compare_one(left, right));
    out
}

/// The side modules' differences (`side[NAME].KEY`), by name.
fn compare_side_modules(left: &LinkerReport, right: &LinkerReport) -> Vec<Difference> {
    let mut out = Vec::new();
    let names: std::collections::BTreeSet<&str> =
        left.side_modules.iter().chain(&right.side_modules).map(|s| s.name.as_str()).collect();
    for name in names {
        fn side<'a>(r: &'a LinkerReport, name: &str) -> Option<&'a LinkerReport> {
            r.side_modules.iter().find(|s| s.name == name)
        }
        let wrap = |d: Difference| Difference { key: DiffKey::Side { name: name.to_string(), key: Box::new(d.key.clone()) }, ..d };
        match (side(left, name), side(right, name)) {
            (Some(l), Some(r)) => out.extend(compare_one(l, r).into_iter().map(wrap)),
            (l, r) => {
                let text = |s: Option<&LinkerReport>| s.map_or(diff::ABSENT, |s| s.outcome.kind());
                out.push(wrap(diff::unnamed(DiffKey::Outcome, text(l), text(r))));
            }
        }
    }
    out
}

/// The differences of one link's reports (a static link, or one module of
/// a dynamic link).
fn compare_one(left: &LinkerReport, right: &LinkerReport) -> Vec<Difference> {
    let mut out = Vec::new();
    let (lk, rk) = (left.outcome.kind(), right.outcome.kind());
    // A linker that was not run has nothing to compare.
    if matches!(left.outcome, Outcome::Unsupported { .. }) || matches!(right.outcome, Outcome::Unsupported { .. }) {
        return out;
    }
    if lk != rk {
        out.push(diff::unnamed(DiffKey::Outcome, lk, rk));
        return out;
    }
    if let (Some(l), Some(r)) = (left.outcome.diagnostics(), right.outcome.diagnostics()) {
        diff::compare_diagnostics(l, r, &mut out);
    }
    if lk != "linked" {
        return out;
    }
    match (&left.module, &right.module) {
        (Some(l), Some(r)) => diff::compare_modules(l, r, &mut out),
        (l, r) if l.is_some() != r.is_some() => {
            let text = |side: &LinkerReport| match &side.module_error {
                None => "readable".to_string(),
                Some(e) => format!("unreadable: {e}"),
            };
            out.push(diff::unnamed(DiffKey::Module(ModuleFact::Readable), text(left), text(right)));
        }
        _ => {}
    }
    if let (Some(l), Some(r)) = (&left.run, &right.run) {
        diff::compare_runs(l, r, &mut out);
    }
    out
}

/// Links `args` (relative paths against `cwd`) with every linker (at once,
/// on threads), describes and runs each output, compares the first linker
/// with each other one.
pub fn check(linkers: &[Linker], args: &[String], cwd: &Path, runner: &Runner, options: &CheckOptions) -> CheckReport {
    check_timed(linkers, args, cwd, runner, options).0
}

/// [`check`], also giving the wall time of each linker's link (the linker
/// process, or refld's in-process link), in the order of `linkers`. The
/// linkers run concurrently, so the times overlap. The report is the one
/// [`check`] gives: timing and concurrency change nothing in it.
pub fn check_timed(
    linkers: &[Linker],
    args: &[String],
    cwd: &Path,
    runner: &Runner,
    options: &CheckOptions,
) -> (CheckReport, Vec<Duration>) {
    // The linkers run at once, each on a thread that then describes and
    // runs its output: the external processes and refld's in-process link,
    // compilation and run overlap instead of waiting on each other.
    let done = each_linker_at_once(linkers, |linker| {
        let start = Instant::now();
        let outcome = linker.link_with_timeout(args, cwd, options.timeout);
        let time = start.elapsed();
        (LinkerReport::from_outcome(linker.name(), outcome, runner, options), time)
    });
    let (reports, times): (Vec<LinkerReport>, Vec<Duration>) = done.into_iter().unzip();
    let mut report = CheckReport::from_reports(args, reports, &options.allow);
    if options.structural {
        add_structural(&mut report, args, cwd, &options.allow, None);
    }
    (report, times)
}

/// `work` for every linker, each on a thread of its own, the results in
/// the order of `linkers` (a panic of one is resumed here).
pub(crate) fn each_linker_at_once<T: Send>(linkers: &[Linker], work: impl Fn(&Linker) -> T + Sync) -> Vec<T> {
    std::thread::scope(|scope| {
        let work = &work;
        let handles: Vec<_> = linkers.iter().map(|linker| scope.spawn(move || work(linker))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    })
}

/// refld under `quirks` (`--quirk NAME` each, SPEC QUIRK-*) linking
/// `args` in `cwd`, compared with `other` (a report of the same link by
/// another linker) as [`check`] compares: the comparison `refld` /
/// `other.name`, allowed differences sorted out by `options.allow`. The
/// policy's attribution (`policy::attribute`) asks whether the
/// quirks remove a divergence.
pub fn compare_under_quirks(
    args: &[String],
    cwd: &Path,
    quirks: &[&str],
    other: &LinkerReport,
    runner: &Runner,
    options: &CheckOptions,
) -> Comparison {
    let mut quirked: Vec<String> = quirks.iter().flat_map(|q| ["--quirk".to_string(), q.to_string()]).collect();
    quirked.extend(args.iter().cloned());
    let outcome = Linker::Reference.link_with_timeout(&quirked, cwd, options.timeout);
    let refld = LinkerReport::from_outcome(Linker::Reference.name(), outcome, runner, options);
    let reports = vec![refld, other.clone()];
    let mut report = if options.structural {
        compare_reports(args, cwd, reports, &options.allow)
    } else {
        CheckReport::from_reports(args, reports, &options.allow)
    };
    report.comparisons.pop().expect("two reports give one comparison")
}

/// Compares reports made apart, each linker with its own arguments (refld
/// under `--quirk=NAME`, say, against the linker the quirk emulates, which
/// knows no such option): [`CheckReport::from_reports`], then the
/// structural comparison [`check`] adds. `args` are the arguments whose
/// inputs the canonical forms name (the ones every linker shares).
pub fn compare_reports(args: &[String], cwd: &Path, reports: Vec<LinkerReport>, allow: &AllowList) -> CheckReport {
    let mut report = CheckReport::from_reports(args, reports, allow);
    add_structural(&mut report, args, cwd, allow, None);
    report
}

/// Where the time of one check went, phase by phase ([`check_phases`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhaseTimes {
    /// Each linker's link (its process, or refld's in-process link), in the
    /// order of the linkers.
    pub links: Vec<Duration>,
    /// Describing the outputs ([`describe`]).
    pub describe: Duration,
    /// Compiling them in wasmtime.
    pub compile: Duration,
    /// Running them (instantiation and execution).
    pub run: Duration,
    /// Their canonical forms.
    pub canonicalize: Duration,
    /// Comparing the canonical forms.
    pub compare: Duration,
    /// Comparing the reports and sorting out the allowed differences.
    pub judge: Duration,
}

/// [`check`] with its phases one after another, each timed: every
/// linker's link, describing, compiling and running each output, the
/// comparison of the reports, the canonical forms and their comparison
/// (the `diff_linkers` benchmark's breakdown). The report is the one
/// [`check`] gives.
pub fn check_phases(
    linkers: &[Linker],
    args: &[String],
    cwd: &Path,
    runner: &Runner,
    options: &CheckOptions,
) -> (CheckReport, PhaseTimes) {
    let mut times = PhaseTimes::default();
    let mut reports = Vec::new();
    for linker in linkers {
        let start = Instant::now();
        let outcome = linker.link_with_timeout(args, cwd, options.timeout);
        times.links.push(start.elapsed());
        reports.push(LinkerReport::from_outcome_timed(linker.name(), outcome, runner, options, Some(&mut times)));
    }
    let start = Instant::now();
    let mut report = CheckReport::from_reports(args, reports, &options.allow);
    times.judge += start.elapsed();
    if options.structural {
        add_structural(&mut report, args, cwd, &options.allow, Some(&mut times));
    }
    (report, times)
}

/// Adds the structural divergences ([`crate::canon`], keys `func.*`,
/// `data.*`, `global.*`, `table.*`, `import.M.F.*`, `export.N.*`,
/// `layout.*`, ...) of each pair of linked outputs, with the canonical
/// comparison's explanations (its "left"/"right" output named by linker);
/// `allow` sorts out the legitimate ones (the layout values). A key the
/// report comparison already has is not repeated. An output the
/// canonicalizer cannot read gives `canon.error`. With `times`, making the
/// canonical forms and comparing them are timed.
pub(crate) fn add_structural(report: &mut CheckReport, args: &[String], cwd: &Path, allow: &AllowList, times: Option<&mut PhaseTimes>) {
    add_structural_with_parts(report, args, cwd, allow, times, &[]);
}

/// [`add_structural`] for a two-step link: each linker's output is read
/// with its own `-r` outputs (`parts`, file names the main link reads,
/// found among its report's side modules) as inputs, as they are not in
/// `cwd`.
pub(crate) fn add_structural_with_parts(
    report: &mut CheckReport,
    args: &[String],
    cwd: &Path,
    allow: &AllowList,
    times: Option<&mut PhaseTimes>,
    parts: &[String],
) {
    use crate::canon::{canonicalize, compare_canon_named, inputs_from_args, InputObject};
    let start = Instant::now();
    let inputs = inputs_from_args(args, cwd);
    let inputs_of = |l: &LinkerReport| -> Vec<InputObject> {
        let mut own = inputs.clone();
        for part in parts {
            let bytes = l.side_modules.iter().find(|s| &s.name == part).and_then(|s| s.outcome.bytes());
            if let (Some(bytes), Some(at)) = (bytes, args.iter().position(|a| a == part)) {
                // In command-line order among the other inputs.
                let before = args[..at].iter().filter(|a| own.iter().any(|i| &i.name == *a)).count();
                own.insert(before, InputObject::new(part.clone(), bytes.to_vec()));
            }
        }
        own
    };
    let canons: Vec<Option<Result<crate::canon::Canon, String>>> =
        report.linkers.iter().map(|l| l.outcome.bytes().map(|b| canonicalize(b, &inputs_of(l)).map_err(|e| e.to_string()))).collect();
    let canonicalized = Instant::now();
    for (i, cmp) in report.comparisons.iter_mut().enumerate() {
        let have: Vec<&DiffKey> = cmp.differences.iter().chain(&cmp.allowed).map(|d| &d.key).collect();
        let outputs = [format!("{}'s output", cmp.left), format!("{}'s output", cmp.right)];
        let canon_error = DiffKey::field(ItemKind::Canon, "", "error");
        let found: Vec<Difference> = match (&canons[0], &canons[i + 1]) {
            (Some(Ok(a)), Some(Ok(b))) => compare_canon_named(a, b, &[], [&outputs[0], &outputs[1]])
                .into_iter()
                .filter(|d| !have.contains(&&d.key))
                .map(|d| Difference::with_explanation(d.key, d.left, d.right, d.explanation))
                .collect(),
            (Some(Err(e)), Some(Ok(_))) => {
                vec![Difference::explained(canon_error, e.clone(), "(read)", &cmp.left, &cmp.right)]
            }
            (Some(Ok(_)), Some(Err(e))) => {
                vec![Difference::explained(canon_error, "(read)", e.clone(), &cmp.left, &cmp.right)]
            }
            _ => Vec::new(),
        };
        cmp.extend(found, allow);
    }
    report.agree = report.comparisons.iter().all(|c| c.differences.is_empty());
    if let Some(t) = times {
        t.canonicalize += canonicalized - start;
        t.compare += canonicalized.elapsed();
    }
}
