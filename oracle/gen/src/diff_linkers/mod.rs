//! Differential checking of generated object sets: the engine of the
//! `diff_linkers` fuzz target.
//!
//! A [`Harness`] takes an [`ObjectSet`] (drawn from fuzz bytes by
//! [`crate::object_set`]), writes its objects and archive into a scratch folder,
//! links them with every chosen linker ([`linkcheck_core::check::check_timed`]:
//! outcomes, diagnostics, structural comparison, runs with the recording
//! host) and judges the differences of refld from each other linker by the
//! policy (`corpus/policy.toml`, [`linkcheck_core::policy`]):
//! - a difference an `[[allow]]` entry covers is no finding;
//! - a difference the policy explains as the other linker's known bug
//!   ([`linkcheck_core::policy::attribute`]: refld under that linker's
//!   quirks reproduces it, or a `[[known]]` entry matches it) is counted,
//!   not reported;
//! - anything else is a [`Finding`]: the set is saved as a corpus case
//!   ([`linkcheck_core::casefile::write_case`], with its recorded divergence) for
//!   `linkcheck reduce`.
//!
//! A set whose command line uses an option a linker refuses
//! (`[[unsupported]]`) or that has a shape the policy keeps from it
//! (`[[precondition]]`, [`Condition`]) is not given to that linker.
//!
//! [`Harness::check_program`] does the same for a dynamic link of a drawn
//! C program (a main module and side modules, `dynamic`).
//!
//! [`Stats`] keeps where the time went: inside the external linker
//! processes, and in all (the `diff_linkers` benchmark).

mod condition;
mod dynamic;

pub use condition::Condition;

use crate::object_set::ObjectSet;
use linkcheck_core::casefile::{write_case, write_inputs, Expect, RecordedDivergence};
use linkcheck_core::check::{check_timed, CheckOptions, CheckReport};
use linkcheck_core::dynamic::{check_dynamic_timed, SideLink};
use linkcheck_core::discover;
use linkcheck_core::linker::Linker;
use linkcheck_core::policy::{attribute, Policy};
use linkcheck_core::run::Runner;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A divergence no allow-list or known bug covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The other linker (refld is always the left side).
    pub linker: String,
    /// The first uncovered difference's key (its text), or
    /// `harness.inputs` when the harness could not write the set.
    pub key: String,
    /// refld's value.
    pub left: String,
    /// The other linker's value.
    pub right: String,
    /// Where the case was saved (`None` when saving failed or was off).
    pub saved: Option<PathBuf>,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "refld and {} diverge at `{}`: refld {} / {} {}", self.linker, self.key, self.left, self.linker, self.right)?;
        if let Some(dir) = &self.saved {
            write!(f, "\ncase saved to {0}; reduce it with `cargo run -p linkcheck -- reduce {0}`", dir.display())?;
        }
        Ok(())
    }
}

/// Where the time of the checked sets went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Sets checked.
    pub sets: u64,
    /// Links left out because the set uses an option that linker refuses
    /// or has the shape of one of its [`Precondition`]s.
    pub skipped_links: u64,
    /// Differences covered by a known bug (a `[[known]]` entry or a quirk).
    pub known: u64,
    /// Of those, the ones refld under the linker's quirks reproduced.
    pub by_quirks: u64,
    /// Wall time inside the external linker processes (spawn to exit),
    /// summed over the linkers (they run at once, so this can exceed
    /// [`Stats::total`]).
    pub external: Duration,
    /// Wall time of [`Harness::check_set`] in all (writing inputs, every
    /// link, describing, running, comparing, judging).
    pub total: Duration,
}

impl Stats {
    /// The check's wall time over the external linkers' summed wall time,
    /// minus one (0.25: checking takes 25 % longer than the linker
    /// processes one after another; negative when refld's link, the runs
    /// and the comparison hide behind the concurrent linker processes).
    pub fn overhead(&self) -> f64 {
        self.total.as_secs_f64() / self.external.as_secs_f64().max(1e-9) - 1.0
    }
}

/// The linkers, runner and judgement of a differential run.
pub struct Harness {
    linkers: Vec<Linker>,
    runner: Runner,
    options: CheckOptions,
    policy: Policy,
    /// The policy's `[[precondition]]` shapes, per linker name.
    preconditions: Vec<(String, Condition)>,
    scratch: tempfile::TempDir,
    save_dir: Option<PathBuf>,
    /// Where the time went so far.
    pub stats: Stats,
}

/// The linkers `diff_linkers` compares by default: refld, then rust-lld
/// and Wild.
pub const DEFAULT_LINKERS: &[&str] = &["rust-lld", "wild"];

impl Harness {
    /// refld (in-process) and the named others (`rust-lld`, `wild`,
    /// `wasm-ld-19`, ... as [`discover::discover_all`] names them), judged
    /// by `policy`. Errors: a linker that is not installed (naming what
    /// installs it), an unknown name, a precondition the generator does not
    /// know, the runner's engine.
    pub fn new(others: &[&str], policy: Policy, save_dir: Option<PathBuf>) -> Result<Harness, String> {
        let all = discover::discover_all();
        let mut chosen = vec![Linker::Reference];
        for name in others {
            match all.iter().find(|f| match f {
                Ok(found) => found.name == *name,
                Err(missing) => missing.name == *name,
            }) {
                Some(Ok(found)) => chosen.push(found.linker()),
                Some(Err(missing)) => return Err(format!("linker {name} is missing: {missing:?} (run scripts/setup.sh)")),
                None => return Err(format!("unknown linker {name}")),
            }
        }
        Harness::with_linkers(chosen, policy, save_dir)
    }

    /// Compares `linkers[0]` (refld, normally) with each other linker.
    /// Errors: fewer than two linkers, a precondition the generator does
    /// not know, the runner's engine, the scratch folder.
    pub fn with_linkers(linkers: Vec<Linker>, policy: Policy, save_dir: Option<PathBuf>) -> Result<Harness, String> {
        if linkers.len() < 2 {
            return Err("a differential run needs at least two linkers".into());
        }
        let preconditions = policy
            .precondition
            .iter()
            .map(|p| Condition::from_name(&p.condition).map(|c| (p.linker.clone(), c)))
            .collect::<Result<Vec<_>, String>>()
            .map_err(|e| format!("policy [[precondition]]: {e}"))?;
        let runner = Runner::new()?;
        let scratch = tempfile::Builder::new().prefix("linkcheck-diff-").tempdir().map_err(|e| e.to_string())?;
        let options = CheckOptions { allow: Arc::new(policy.allow.clone()), ..CheckOptions::default() };
        Ok(Harness { linkers, runner, options, policy, preconditions, scratch, save_dir, stats: Stats::default() })
    }

    /// The linkers' names, refld first.
    pub fn linker_names(&self) -> Vec<&str> {
        self.linkers.iter().map(Linker::name).collect()
    }

    /// Links, runs and compares one set. `Ok(report)` when every
    /// difference is allowed or a known bug; the first other [`Finding`]
    /// otherwise (the set saved under the save folder, when one was given).
    pub fn check_set(&mut self, set: &ObjectSet) -> Result<CheckReport, Finding> {
        let start = Instant::now();
        let case = set.to_case();
        let dir = &self.scratch.path().to_path_buf();
        clear(dir);
        let args = write_inputs(dir, &case).map_err(|e| Finding {
            linker: "refld".into(),
            key: "harness.inputs".into(),
            left: e.to_string(),
            right: String::new(),
            saved: None,
        })?;
        // A two-step link (`-r` first): its links before the main one.
        let sides: Vec<SideLink> = case.side_modules.iter().map(|s| s.to_side_link()).collect();
        let every_args: Vec<&Vec<String>> = sides.iter().map(|s| &s.args).chain([&args]).collect();
        let linkers: Vec<Linker> = self
            .linkers
            .iter()
            .filter(|l| !self.policy.unsupported.iter().any(|u| u.linker == l.name() && every_args.iter().any(|a| u.used_by(a))))
            .filter(|l| !self.preconditions.iter().any(|(linker, c)| linker == l.name() && c.holds(set)))
            .cloned()
            .collect();
        self.stats.skipped_links += (self.linkers.len() - linkers.len()) as u64;
        let (mut report, times) = if sides.is_empty() {
            check_timed(&linkers, &args, dir, &self.runner, &self.options)
        } else {
            check_dynamic_timed(&linkers, &sides, &args, dir, &self.runner, &self.options)
        };
        let finding = self.settle(&linkers, &mut report, &times, dir, &sides, start);
        match finding {
            None => Ok(report),
            Some(mut f) => {
                f.saved = self.save(set, &report, &f);
                Err(f)
            }
        }
    }

    /// Attributes `report`'s divergences by the policy, counts the check in
    /// [`Stats`] and gives its first finding ([`Harness::judge`]).
    fn settle(&mut self, linkers: &[Linker], report: &mut CheckReport, times: &[Duration], dir: &Path, sides: &[SideLink], start: Instant) -> Option<Finding> {
        let done = attribute(&self.policy, report, None, dir, sides, &self.runner, &self.options);
        self.stats.known += (done.by_known + done.by_quirks) as u64;
        self.stats.by_quirks += done.by_quirks as u64;
        for (linker, time) in linkers.iter().zip(times) {
            if matches!(linker, Linker::External { .. } | Linker::Zig { .. }) {
                self.stats.external += *time;
            }
        }
        let finding = self.judge(report);
        self.stats.sets += 1;
        self.stats.total += start.elapsed();
        finding
    }

    /// The first divergence the policy neither allows nor explains.
    fn judge(&self, report: &CheckReport) -> Option<Finding> {
        let (cmp, d) = report.comparisons.iter().find_map(|c| Some((c, c.differences.iter().find(|d| d.known.is_none())?)))?;
        Some(Finding { linker: cmp.right.clone(), key: d.key.to_string(), left: d.left.clone(), right: d.right.clone(), saved: None })
    }

    fn save(&self, set: &ObjectSet, report: &CheckReport, f: &Finding) -> Option<PathBuf> {
        let mut case = set.to_case();
        case.description = format!("generated by diff_linkers: refld and {} diverge at {}", f.linker, f.key);
        case.expect = if report.linkers.first().is_some_and(|l| l.outcome.bytes().is_some()) { Expect::Link } else { Expect::Reject };
        case.divergence = Some(RecordedDivergence { key: f.key.clone(), linkers: vec!["refld".into(), f.linker.clone()] });
        let dir = self.finding_dir(&format!("{set:?}"), f)?;
        write_case(&dir, &case).ok()?;
        Some(dir)
    }

    /// A new folder under the save folder for finding `f` of the input
    /// described by `input` (named by linker, key and the input's hash).
    fn finding_dir(&self, input: &str, f: &Finding) -> Option<PathBuf> {
        let root = self.save_dir.as_ref()?;
        let hash = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            input.hash(&mut h);
            h.finish()
        };
        let safe: String = f.key.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
        let dir = root.join(format!("{}-{safe}-{hash:016x}", f.linker));
        std::fs::create_dir_all(&dir).ok()?;
        Some(dir)
    }
}


/// Empties `dir` (the scratch folder between sets).
fn clear(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
