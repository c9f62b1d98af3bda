//! Conformance runs: every corpus case through every linker.
//!
//! Each case ([`crate::corpus`]) is prepared in a temporary directory, linked
//! by each linker with [`linkcheck_core::check::check`], and judged twice:
//! - against the first linker (refld by default): each other linker gets a
//!   [`Verdict`] (`agree`, `known:KEY`, `diverge:KEY`, `crash`, `timeout`).
//!   Differences an allow-list covers ([`linkcheck_core::allow`]) are not
//!   divergences; divergences the policy explains
//!   ([`linkcheck_core::policy::attribute`], `corpus/policy.toml`: a quirk
//!   of that linker refld under the quirk reproduces, or a `[[known]]`
//!   entry) are known bugs of that linker;
//! - against the case's own expectation: the first linker's outcome must be
//!   the expected one (`link`/`reject`), and a linked output must validate,
//!   exit with the case's `exit_code` (or trap with its `trap`) and have its
//!   `imports`; when the case lists `diagnostics`, the classified
//!   diagnostics must be exactly those ([`ExpectCheck`]).
//!
//! Each case also records where its time went ([`CaseTiming`]): inside the
//! linkers (their processes, or refld's in-process link) and in all.
//!
//! A run passes ([`ConformReport::passed`]) when every case could be
//! prepared, met its expectation, and every other linker's every divergence
//! is known: an unknown divergence, a crash or timeout whose `outcome`
//! difference is not known, a crash of the first linker, or a missed
//! expectation fails it. Stale `[[known]]` entries ([`stale`]) are warnings.
//!
//! [`render`] prints the result as a matrix or as JSON lines; [`html`]
//! writes it as a standalone page.

pub mod html;
pub mod render;
pub mod stale;

use linkcheck_core::check::{check_timed, CheckOptions, CheckReport, LinkerReport};
use linkcheck_core::dynamic::check_dynamic_timed;
use crate::corpus::prepare;
use linkcheck_core::casefile::{Case, CorpusError, Expect};
use linkcheck_core::linker::{Linker, Outcome};
use linkcheck_core::key::DiffKey;
use linkcheck_core::policy::{attribute, KnownBug, Policy};
use linkcheck_core::run::Runner;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One linker's cell in the matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The first linker linked the case (its own column).
    Linked,
    /// The first linker rejected the case (its own column).
    Rejected,
    /// Same outcome as the first linker, no differences (allowed ones
    /// aside).
    Agree,
    /// Differs from the first linker, but every divergence is a known bug of
    /// this linker (the policy explains it); the first divergence's key.
    Known(DiffKey),
    /// Differs from the first linker; the first divergence's key that is not
    /// known.
    Diverge(DiffKey),
    /// The linker crashed (whatever the first one did).
    Crash,
    /// The linker timed out.
    Timeout,
    /// The linker was not run: its adapter cannot express the command
    /// line ([`Outcome::Unsupported`]). Not a divergence.
    Unsupported,
    /// The case could not be read or prepared; no linker ran.
    Error,
}

impl Verdict {
    /// The cell text: `linked`, `rejected`, `agree`, `known:KEY`,
    /// `diverge:KEY`, `crash`, `timeout`, `unsupported`, `error`.
    pub fn cell(&self) -> String {
        match self {
            Verdict::Known(key) => format!("known:{key}"),
            Verdict::Diverge(key) => format!("diverge:{key}"),
            other => other.kind().to_string(),
        }
    }

    /// The cell text without the key: `known` and `diverge` for every
    /// known and unknown divergence.
    pub fn kind(&self) -> &'static str {
        match self {
            Verdict::Linked => "linked",
            Verdict::Rejected => "rejected",
            Verdict::Agree => "agree",
            Verdict::Known(_) => "known",
            Verdict::Diverge(_) => "diverge",
            Verdict::Crash => "crash",
            Verdict::Timeout => "timeout",
            Verdict::Unsupported => "unsupported",
            Verdict::Error => "error",
        }
    }

    /// True for the verdicts that count as agreement: the first linker's
    /// `linked`/`rejected` and the others' `agree`.
    pub fn is_agreement(&self) -> bool {
        matches!(self, Verdict::Linked | Verdict::Rejected | Verdict::Agree)
    }

    /// True for the verdicts that do not fail a run: agreement, known
    /// divergences and links a linker's adapter could not express.
    pub fn is_accepted(&self) -> bool {
        self.is_agreement() || matches!(self, Verdict::Known(_) | Verdict::Unsupported)
    }
}

/// Whether the first linker did what the case expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpectCheck {
    /// It did.
    Met,
    /// It did not; why, in one line.
    Mismatch(String),
    /// Not known: the case could not be prepared.
    Unknown,
}

/// One case's result.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// The case folder.
    pub dir: PathBuf,
    /// The case, when its `case.toml` could be read.
    pub case: Option<Case>,
    /// Why the case could not be read or prepared.
    pub error: Option<CorpusError>,
    /// The linkers' reports and comparisons, when the case was linked.
    pub report: Option<CheckReport>,
    /// The first linker against the case's expectation.
    pub expect: ExpectCheck,
    /// Where the case's time went (not part of the result: two runs give
    /// the same result and different timings).
    pub timing: CaseTiming,
}

/// Wall time of one case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseTiming {
    /// The whole case: reading, preparing the inputs (compiling,
    /// assembling, generating), linking, describing and running the
    /// outputs, comparing, judging.
    pub total: Duration,
    /// Reading `case.toml` and preparing the inputs (compiling,
    /// assembling, generating, archiving).
    pub prepare: Duration,
    /// Each linker's link, in the order of the linkers (empty when the
    /// case could not be prepared).
    pub links: Vec<Duration>,
}

impl CaseTiming {
    /// The time inside the linkers: the sum of [`CaseTiming::links`].
    pub fn inside(&self) -> Duration {
        self.links.iter().sum()
    }

    /// The time outside the linkers: [`CaseTiming::total`] less
    /// [`CaseTiming::inside`].
    pub fn outside(&self) -> Duration {
        self.total.saturating_sub(self.inside())
    }
}

impl CaseResult {
    /// One verdict per linker, in the order of `names`. The first linker
    /// shows its outcome (`crash`/`timeout` when it crashed or timed out);
    /// another is `known:KEY` when it has divergences and all of them are
    /// known (a known `outcome` covers a crash or timeout), else `crash` or
    /// `timeout` by its outcome, else `diverge:KEY` (the first divergence not
    /// known) or `agree`.
    pub fn verdicts(&self, names: &[String]) -> Vec<Verdict> {
        let Some(report) = &self.report else {
            return vec![Verdict::Error; names.len()];
        };
        report
            .linkers
            .iter()
            .enumerate()
            .map(|(i, linker)| {
                if i == 0 {
                    return match &linker.outcome {
                        Outcome::Crashed { .. } => Verdict::Crash,
                        Outcome::TimedOut => Verdict::Timeout,
                        Outcome::Unsupported { .. } => Verdict::Unsupported,
                        Outcome::Linked { .. } => Verdict::Linked,
                        Outcome::Rejected { .. } => Verdict::Rejected,
                    };
                }
                let differences = &report.comparisons[i - 1].differences;
                if let Some(first) = differences.first() {
                    if differences.iter().all(|d| d.known.is_some()) {
                        return Verdict::Known(first.key.clone());
                    }
                }
                match &linker.outcome {
                    Outcome::Crashed { .. } => Verdict::Crash,
                    Outcome::TimedOut => Verdict::Timeout,
                    Outcome::Unsupported { .. } => Verdict::Unsupported,
                    _ => match differences.iter().find(|d| d.known.is_none()) {
                        None => Verdict::Agree,
                        Some(d) => Verdict::Diverge(d.key.clone()),
                    },
                }
            })
            .collect()
    }

    /// True when the case was linked, no linker crashed or timed out, and
    /// every linker agrees with the first (allowed differences aside).
    pub fn agrees(&self) -> bool {
        self.report.as_ref().is_some_and(|r| {
            r.agree && r.linkers.iter().all(|l| matches!(l.outcome, Outcome::Linked { .. } | Outcome::Rejected { .. }))
        })
    }

    /// True when the case was linked and every verdict is agreement or a
    /// known divergence ([`Verdict::is_accepted`]).
    pub fn accepted(&self) -> bool {
        self.report.is_some() && self.verdicts(&[]).iter().all(Verdict::is_accepted)
    }

    /// True when the case passes: accepted and its expectation met.
    pub fn passes(&self) -> bool {
        self.accepted() && self.meets_expectation()
    }

    /// True when the first linker met the case's expectation.
    pub fn meets_expectation(&self) -> bool {
        self.expect == ExpectCheck::Met
    }
}

/// All cases' results.
#[derive(Debug, Clone)]
pub struct ConformReport {
    /// The linkers' names, the first one first.
    pub linkers: Vec<String>,
    /// One result per case, in the order run (sorted by path).
    pub cases: Vec<CaseResult>,
    /// The policy's `[[known]]` entries that matched no divergence
    /// although their linker and some of their cases ran
    /// ([`stale::stale_entries`]).
    pub stale: Vec<KnownBug>,
}

/// Counts of a [`ConformReport`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Cases run.
    pub cases: usize,
    /// Cases where every linker agrees (allowed differences aside).
    pub agree: usize,
    /// Cases where some linker diverges, and every divergence is known.
    pub known: usize,
    /// Cases linked where some linker has an unknown divergence, or crashed
    /// or timed out (and that is not known).
    pub diverge: usize,
    /// Cases where the first linker missed the expectation.
    pub mismatches: usize,
    /// Cases that could not be read or prepared.
    pub errors: usize,
    /// Differences allowed by the allow-list, over all cases and linkers.
    pub allowed: usize,
    /// Stale known-list entries.
    pub stale: usize,
    /// Links not run, over all cases and linkers: a linker's adapter could
    /// not express the command line ([`Verdict::Unsupported`]).
    pub unsupported: usize,
}

impl ConformReport {
    /// The counts.
    pub fn summary(&self) -> Summary {
        let count = |f: &dyn Fn(&CaseResult) -> bool| self.cases.iter().filter(|c| f(c)).count();
        Summary {
            cases: self.cases.len(),
            agree: count(&|c| c.agrees()),
            known: count(&|c| c.accepted() && !c.agrees()),
            diverge: count(&|c| c.report.is_some() && !c.accepted()),
            mismatches: count(&|c| matches!(c.expect, ExpectCheck::Mismatch(_))),
            errors: count(&|c| c.error.is_some()),
            allowed: self
                .cases
                .iter()
                .filter_map(|c| c.report.as_ref())
                .flat_map(|r| &r.comparisons)
                .map(|cmp| cmp.allowed.len())
                .sum(),
            stale: self.stale.len(),
            unsupported: self
                .cases
                .iter()
                .filter_map(|c| c.report.as_ref())
                .flat_map(|r| &r.linkers)
                .filter(|l| matches!(l.outcome, Outcome::Unsupported { .. }))
                .count(),
        }
    }

    /// True when every case passes ([`CaseResult::passes`]): prepared,
    /// its expectation met, every divergence known. Stale known entries do
    /// not fail a run.
    pub fn passed(&self) -> bool {
        self.cases.iter().all(CaseResult::passes)
    }

    /// Marks the divergences the `[[known]]` entries of `policy` cover and
    /// lists its stale entries, on results made already (no re-linking
    /// under quirks: [`run_cases`] does that while the inputs exist).
    pub fn apply_known(&mut self, policy: &Policy) {
        for case in &mut self.cases {
            let rel = policy.relative(&case.dir);
            for report in case.report.iter_mut() {
                policy.mark_known_report(report, rel.as_deref());
            }
        }
        self.stale = stale::stale_entries(policy, self);
    }

}

/// The linkers `linkcheck conform` compares by default, the first one
/// first: refld (in-process), the toolchain's rust-lld, Debian's wasm-ld 19
/// and 22, and Wild 0.10 ([`linkcheck_core::discover`] names).
pub const DEFAULT_LINKERS: [&str; 5] = ["refld", "rust-lld", "wasm-ld-19", "wasm-ld-22", "wild"];

/// The default linkers ([`DEFAULT_LINKERS`]), then with `all` every other
/// linker [`linkcheck_core::discover::discover_all`] finds (wasm-ld-14, -16). A
/// default linker that is missing is an error naming each missing one and
/// `scripts/setup.sh`, which installs them all; with `all`, the other
/// missing linkers are returned as notes.
pub fn default_linkers(all: bool) -> Result<(Vec<Linker>, Vec<String>), String> {
    let (mut linkers, mut errors, mut notes) = (Vec::new(), Vec::new(), Vec::new());
    for found in linkcheck_core::discover::discover_all() {
        let name = match &found {
            Ok(f) => f.name.clone(),
            Err(m) => m.name.clone(),
        };
        let default = DEFAULT_LINKERS.contains(&name.as_str());
        match found {
            Ok(f) if default || all => linkers.push(f.linker()),
            Err(m) if default => errors.push(format!("{}: {}", m.name, m.reason)),
            Err(m) if all => notes.push(format!("{} left out: {}", m.name, m.reason)),
            _ => {}
        }
    }
    if !errors.is_empty() {
        return Err(format!(
            "the default linkers of conform ({}) are not all installed; run `bash scripts/setup.sh` \
             (or choose linkers with --no-default-linkers and --linker):\n  {}",
            DEFAULT_LINKERS.join(", "),
            errors.join("\n  ")
        ));
    }
    // In discovery order: refld first, the default ones in DEFAULT_LINKERS'
    // order, wasm-ld-14/16 (with `all`) among the releases by age.
    Ok((linkers, notes))
}

/// Reads, prepares, links and judges one case folder; `policy` marks the
/// known divergences ([`attribute`], while the prepared inputs are there
/// to link again under quirks; the case's path relative to the policy's
/// folder selects the `[[known]]` entries with `cases`).
pub fn run_case(dir: &Path, linkers: &[Linker], runner: &Runner, options: &CheckOptions, policy: &Policy) -> CaseResult {
    let start = Instant::now();
    let failed = |case: Option<Case>, error: CorpusError| CaseResult {
        dir: dir.to_path_buf(),
        case,
        error: Some(error),
        report: None,
        expect: ExpectCheck::Unknown,
        timing: CaseTiming { total: start.elapsed(), prepare: start.elapsed(), links: Vec::new() },
    };
    let case = match Case::load(dir) {
        Ok(c) => c,
        Err(e) => return failed(None, e),
    };
    let prepared = match prepare(&case) {
        Ok(p) => p,
        Err(e) => return failed(Some(case), e),
    };
    let prepare_time = start.elapsed();
    let sides: Vec<_> = case.side_modules.iter().map(|s| s.to_side_link()).collect();
    let (mut report, links) = if sides.is_empty() {
        check_timed(linkers, &prepared.args, prepared.path(), runner, options)
    } else {
        let options = CheckOptions { missing_functions: case.missing_functions, ..options.clone() };
        check_dynamic_timed(linkers, &sides, &prepared.args, prepared.path(), runner, &options)
    };
    attribute(policy, &mut report, policy.relative(dir).as_deref(), prepared.path(), &sides, runner, options);
    if options.exact {
        linkcheck_core::exact::add_exact(&mut report, &options.allow);
    }
    let expect = match report.linkers.first() {
        Some(first) => check_expectation(&case, first),
        None => ExpectCheck::Unknown,
    };
    drop(prepared);
    let timing = CaseTiming { total: start.elapsed(), prepare: prepare_time, links };
    CaseResult { dir: dir.to_path_buf(), case: Some(case), error: None, report: Some(report), expect, timing }
}

/// Runs every case of `dirs` in order ([`run_case`]) and lists the stale
/// entries of `policy`; `on_case` sees each result as it is made (for
/// progress display).
pub fn run_cases(
    dirs: &[PathBuf],
    linkers: &[Linker],
    runner: &Runner,
    options: &CheckOptions,
    policy: &Policy,
    on_case: &mut dyn FnMut(&CaseResult),
) -> ConformReport {
    let cases = dirs
        .iter()
        .map(|dir| {
            let result = run_case(dir, linkers, runner, options, policy);
            on_case(&result);
            result
        })
        .collect();
    let mut report = ConformReport { linkers: linkers.iter().map(|l| l.name().to_string()).collect(), cases, stale: Vec::new() };
    report.stale = stale::stale_entries(policy, &report);
    report
}

/// A linker's report against the case's expectation (conform holds the
/// first linker to it; tests may hold any).
pub fn check_expectation(case: &Case, first: &LinkerReport) -> ExpectCheck {
    let mismatch = |why: String| ExpectCheck::Mismatch(why);
    if let Some(want) = &case.diagnostics {
        let texts: &[String] = match &first.outcome {
            Outcome::Linked { warnings, .. } => warnings,
            Outcome::Rejected { diagnostics } => diagnostics,
            _ => &[],
        };
        let mut have: Vec<String> = texts
            .iter()
            .filter_map(|t| DiffKey::of_diagnostic(&linkcheck_core::diagnostics::kind::classify(t)))
            .map(|k| k.to_string())
            .collect();
        let mut want = want.clone();
        have.sort();
        want.sort();
        if have != want && matches!(first.outcome, Outcome::Linked { .. } | Outcome::Rejected { .. }) {
            return mismatch(format!("diagnostics [{}] expected, {} printed [{}]", want.join(", "), first.name, have.join(", ")));
        }
    }
    match (case.expect, &first.outcome) {
        (Expect::Reject, Outcome::Rejected { .. }) => ExpectCheck::Met,
        (Expect::Link, Outcome::Linked { .. }) => {
            if let Some(e) = &first.module_error {
                return mismatch(format!("the output is unreadable: {e}"));
            }
            if let Some(e) = first.module.as_ref().and_then(|m| m.invalid.as_ref()) {
                return mismatch(format!("the output does not validate: {e}"));
            }
            if let Some(want) = case.exit_code {
                let Some(run) = &first.run else {
                    return mismatch(format!("exit code {want} expected, but the output was not run"));
                };
                if run.exit_code != Some(want) {
                    let got = match (&run.exit_code, &run.trap) {
                        (Some(code), _) => format!("exit code {code}"),
                        (None, trap) => format!("trap `{}`", trap.as_deref().unwrap_or("?")),
                    };
                    return mismatch(format!("{got}, expected exit code {want}"));
                }
            }
            if let Some(want) = &case.trap {
                let Some(run) = &first.run else {
                    return mismatch(format!("trap `{want}` expected, but the output was not run"));
                };
                if run.trap.as_deref() != Some(want.as_str()) {
                    let got = match (&run.exit_code, &run.trap) {
                        (Some(code), _) => format!("exit code {code}"),
                        (None, trap) => format!("trap `{}`", trap.as_deref().unwrap_or("?")),
                    };
                    return mismatch(format!("{got}, expected trap `{want}`"));
                }
            }
            let have: Vec<String> =
                first.module.iter().flat_map(|m| &m.imports).map(|i| format!("{}.{}", i.module, i.name)).collect();
            if let Some(missing) = case.imports.iter().find(|i| !have.contains(i)) {
                return mismatch(format!("import {missing} expected, absent"));
            }
            ExpectCheck::Met
        }
        (expect, outcome) => mismatch(format!("{} expected, {} {}", expect.as_str(), first.name, outcome.kind())),
    }
}
