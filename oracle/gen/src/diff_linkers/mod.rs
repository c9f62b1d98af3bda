//! Differential checking of generated object sets: the engine of the
//! `diff_linkers` fuzz target.
//!
//! A [`Harness`] takes an [`ObjectSet`] (drawn from fuzz bytes by
//! [`crate::object_set`]), writes its objects and archive into a scratch folder,
//! links them with every chosen linker ([`linkcheck_core::check::check_timed`]:
//! outcomes, diagnostics, structural comparison, runs with the recording
//! host) and judges the differences of refld from each other linker:
//! - a difference the allow-lists cover ([`linkcheck_core::allow`]) is no finding;
//! - a difference matching a known bug signature ([`KnownBug`], data in
//!   fuzz/known.toml: linker, key, both values, and the corpus/found case
//!   that explains it) is counted, not reported; when the known bug is an
//!   invalid output (`module.valid`), every difference of that comparison
//!   counts as known (they follow from it); so do the calls of an export
//!   whose difference is known, the run results once a known bug made
//!   the host see different calls, and a `__wasm_call_ctors` call of a
//!   function whose presence is a known difference
//!   (module `consequences`); an outcome refld reaches with the
//!   `--export` options in another order is no finding either (wasm-ld
//!   handles them in hash order, SPEC EXP-ORDER);
//! - anything else is a [`Finding`]: the set is saved as a corpus case
//!   ([`linkcheck_core::casefile::write_case`], with its recorded divergence) for
//!   `linkcheck reduce`.
//!
//! [`Stats`] keeps where the time went: inside the external linker
//! processes, and in all (the `diff_linkers` benchmark).

mod consequences;
mod known;

pub use known::{parse_known, Condition, Known, KnownBug, Precondition, Unsupported};

use linkcheck_core::casefile::{write_case, write_inputs, RecordedDivergence, Expect};
use linkcheck_core::check::{check_timed, CheckOptions, CheckReport};
use linkcheck_core::diff::Difference;
use crate::object_set::ObjectSet;
use linkcheck_core::linker::Linker;
use linkcheck_core::discover;
use linkcheck_core::run::Runner;
use consequences::{both_stopped_at_a_signature_error, diagnostic_differences, follows_from_known, missed_member_warnings};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A divergence no allow-list or known bug covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The other linker (refld is always the left side).
    pub linker: String,
    /// The first uncovered difference's key.
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
    /// Differences covered by a known bug.
    pub known: u64,
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
    known: Known,
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
    /// `wasm-ld-19`, ... as [`discover::discover_all`] names them). Errors:
    /// a linker that is not installed (naming what installs it), an
    /// unknown name, the runner's engine.
    pub fn new(others: &[&str], known: Known, save_dir: Option<PathBuf>) -> Result<Harness, String> {
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
        Harness::with_linkers(chosen, known, save_dir)
    }

    /// Compares `linkers[0]` (refld, normally) with each other linker.
    /// Errors: fewer than two linkers, the runner's engine, the scratch
    /// folder.
    pub fn with_linkers(linkers: Vec<Linker>, known: Known, save_dir: Option<PathBuf>) -> Result<Harness, String> {
        if linkers.len() < 2 {
            return Err("a differential run needs at least two linkers".into());
        }
        let runner = Runner::new()?;
        let scratch = tempfile::Builder::new().prefix("linkcheck-diff-").tempdir().map_err(|e| e.to_string())?;
        let options = CheckOptions::default();
        Ok(Harness { linkers, runner, options, known, scratch, save_dir, stats: Stats::default() })
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
        let dir = self.scratch.path();
        clear(dir);
        let args = write_inputs(dir, &case).map_err(|e| Finding {
            linker: "refld".into(),
            key: "harness.inputs".into(),
            left: e.to_string(),
            right: String::new(),
            saved: None,
        })?;
        let linkers: Vec<Linker> = self
            .linkers
            .iter()
            .filter(|l| !self.known.unsupported.iter().any(|u| u.linker == l.name() && u.used_by(&args)))
            .filter(|l| !self.known.precondition.iter().any(|p| p.linker == l.name() && p.condition.holds(set)))
            .cloned()
            .collect();
        self.stats.skipped_links += (self.linkers.len() - linkers.len()) as u64;
        let (report, times) = check_timed(&linkers, &args, dir, &self.runner, &self.options);
        for (linker, time) in linkers.iter().zip(&times) {
            if matches!(linker, Linker::External { .. }) {
                self.stats.external += *time;
            }
        }
        let finding = self.judge(&report);
        self.stats.sets += 1;
        self.stats.total += start.elapsed();
        match finding {
            None => Ok(report),
            Some(mut f) => {
                f.saved = self.save(set, &report, &f);
                Err(f)
            }
        }
    }

    fn judge(&mut self, report: &CheckReport) -> Option<Finding> {
        for cmp in &report.comparisons {
            // An invalid output that is a known bug explains everything else
            // that differs in it (its runs, the code kept alive by a wrong call).
            let known_invalid = cmp.differences.iter().any(|d| {
                d.key == "module.valid" && self.known.known.iter().any(|k| k.matches(&cmp.right, &d.key, &d.left, &d.right))
            });
            if known_invalid {
                self.stats.known += cmp.differences.len() as u64;
                continue;
            }
            let is_known = |d: &Difference| self.known.known.iter().any(|k| k.matches(&cmp.right, &d.key, &d.left, &d.right));
            // Outcomes that differ hide the diagnostics' differences; they
            // still tell whether a known bug was at work.
            // Signature warnings the other side misses stay visible even
            // when another reference's warning makes the counts close.
            let outcome_differs = cmp.differences.iter().any(|d| d.key == "outcome");
            let hidden = match (report.linkers.first(), report.linkers.iter().find(|l| l.name == cmp.right)) {
                (Some(first), Some(other)) if outcome_differs => diagnostic_differences(first, other),
                (Some(first), Some(other)) => missed_member_warnings(first, other),
                _ => Vec::new(),
            };
            let known_keys: Vec<&str> = cmp
                .differences
                .iter()
                .filter(|d| d.allowed.is_none())
                .chain(&hidden)
                .filter(|d| is_known(d))
                .map(|d| d.key.as_str())
                .collect();
            for d in &cmp.differences {
                if d.allowed.is_some() {
                    continue;
                }
                if is_known(d) || follows_from_known(d, &known_keys) {
                    self.stats.known += 1;
                    continue;
                }
                if d.key.starts_with("warn.signature-mismatch.") && both_stopped_at_a_signature_error(report, &cmp.right) {
                    self.stats.known += 1;
                    continue;
                }
                if d.key == "outcome" && self.export_order_explains(&report.args, &d.right) {
                    self.stats.known += 1;
                    continue;
                }
                return Some(Finding {
                    linker: cmp.right.clone(),
                    key: d.key.clone(),
                    left: d.left.clone(),
                    right: d.right.clone(),
                    saved: None,
                });
            }
        }
        None
    }

    /// Whether refld, given the `--export` options of `args` in some other
    /// order, ends with the outcome `right` (`linked`, `rejected`, ...):
    /// wasm-ld handles them in hash order (SPEC EXP-ORDER,
    /// corpus/found/wasm_ld_export_order_is_hash_order), so that order
    /// is not a finding. The inputs are still in the scratch folder.
    fn export_order_explains(&self, args: &[String], right: &str) -> bool {
        let exports: Vec<usize> = (0..args.len()).filter(|&i| args[i].starts_with("--export=")).collect();
        if exports.len() < 2 || exports.len() > 4 {
            return false;
        }
        let mut order = exports.clone();
        permutations(&mut order, 0).into_iter().filter(|p| *p != exports).any(|p| {
            let mut permuted = args.to_vec();
            for (slot, from) in exports.iter().zip(&p) {
                permuted[*slot] = args[*from].clone();
            }
            Linker::Reference.link_with_timeout(&permuted, self.scratch.path(), self.options.timeout).kind() == right
        })
    }

    fn save(&self, set: &ObjectSet, report: &CheckReport, f: &Finding) -> Option<PathBuf> {
        let root = self.save_dir.as_ref()?;
        let mut case = set.to_case();
        case.description = format!("generated by diff_linkers: refld and {} diverge at {}", f.linker, f.key);
        case.expect = if report.linkers.first().is_some_and(|l| l.outcome.bytes().is_some()) { Expect::Link } else { Expect::Reject };
        case.divergence = Some(RecordedDivergence { key: f.key.clone(), linkers: vec!["refld".into(), f.linker.clone()] });
        let hash = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            format!("{set:?}").hash(&mut h);
            h.finish()
        };
        let safe: String = f.key.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
        let dir = root.join(format!("{}-{safe}-{hash:016x}", f.linker));
        std::fs::create_dir_all(&dir).ok()?;
        write_case(&dir, &case).ok()?;
        Some(dir)
    }
}


/// Every order of `items[k..]` after `items[..k]`.
fn permutations(items: &mut Vec<usize>, k: usize) -> Vec<Vec<usize>> {
    if k == items.len() {
        return vec![items.clone()];
    }
    let mut all = Vec::new();
    for i in k..items.len() {
        items.swap(k, i);
        all.extend(permutations(items, k + 1));
        items.swap(k, i);
    }
    all
}

/// Empties `dir` (the scratch folder between sets).
fn clear(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn permutations_are_every_order_once() {
        let mut all = super::permutations(&mut vec![3, 5, 7], 0);
        assert_eq!(all.len(), 6);
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 6);
        assert!(all.contains(&vec![7, 5, 3]));
    }
}
