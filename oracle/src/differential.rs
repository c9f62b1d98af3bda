//! Differential checking of generated object sets: the engine of the
//! `diff_linkers` fuzz target.
//!
//! A [`Harness`] takes an [`ObjectSet`] (drawn from fuzz bytes by
//! [`crate::gen`]), writes its objects and archive into a scratch folder,
//! links them with every chosen linker ([`crate::check::check_timed`]:
//! outcomes, diagnostics, structural comparison, runs with the recording
//! host) and judges the differences of refld from each other linker:
//! - a difference the allow-lists cover ([`crate::allow`]) is no finding;
//! - a difference matching a known bug signature ([`KnownBug`], data in
//!   fuzz/known.toml: linker, key, both values, and the corpus/found case
//!   that explains it) is counted, not reported; when the known bug is an
//!   invalid output (`module.valid`), every difference of that comparison
//!   counts as known (they follow from it); so do the calls of an export
//!   whose difference is known, and the run results once a known bug made
//!   the host see different calls; an outcome refld reaches with the
//!   `--export` options in another order is no finding either (wasm-ld
//!   handles them in hash order, SPEC EXP-ORDER);
//! - anything else is a [`Finding`]: the set is saved as a corpus case
//!   ([`crate::casefile::write_case`], with its recorded divergence) for
//!   `linkcheck reduce`.
//!
//! [`Stats`] keeps where the time went: inside the external linker
//! processes, and in all (the `diff_linkers` benchmark).

use crate::casefile::{from_object_set, write_case, write_inputs};
use crate::check::{check_timed, CheckOptions, CheckReport, LinkerReport};
use crate::corpus::{Divergence, Expect};
use crate::diff::Difference;
use crate::gen::{func_name, Binding, NItem, ObjectSet};
use crate::linker::{Linker, Outcome};
use crate::linkers;
use crate::run::Runner;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A known bug of another linker, as the fuzz target recognizes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownBug {
    /// The linker that has the bug (its report name: `wild`).
    pub linker: String,
    /// The difference key; `*` matches any run of characters.
    pub key: String,
    /// refld's value (`*` for any).
    pub left: String,
    /// The other linker's value (`*` for any).
    pub right: String,
    /// The corpus/found case whose NOTE.md explains the bug.
    pub note: String,
}

impl KnownBug {
    /// Whether this entry covers a difference of `linker` under `key`.
    pub fn matches(&self, linker: &str, key: &str, left: &str, right: &str) -> bool {
        self.linker == linker && glob(&self.key, key) && glob(&self.left, left) && glob(&self.right, right)
    }
}

/// Whether `value` matches `pattern`, where `*` matches any run of
/// characters (none included) and everything else itself.
pub fn glob(pattern: &str, value: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = value.strip_prefix(first) else { return false };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else { return rest.is_empty() };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// A wasm-ld option another linker does not accept: sets whose command
/// line has it are not linked by that linker (its refusal is a known bug,
/// kept in corpus/found, and would hide every other difference).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unsupported {
    /// The linker's report name (`wild`).
    pub linker: String,
    /// The option as written (`--allow-undefined`); an argument equal to
    /// it or starting with it followed by `=` matches.
    pub option: String,
    /// The corpus/found case whose NOTE.md records the refusal.
    pub note: String,
}

impl Unsupported {
    /// Whether `args` use the option.
    pub fn used_by(&self, args: &[String]) -> bool {
        args.iter().any(|a| a == &self.option || a.strip_prefix(self.option.as_str()).is_some_and(|rest| rest.starts_with('=')))
    }
}

/// A shape of object set on which another linker meets a known bug
/// wherever it looks (a bug whose differences take too many forms to list):
/// sets of that shape are not linked by that linker.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Precondition {
    /// The linker's report name (`wild`).
    pub linker: String,
    /// The shape.
    pub condition: Condition,
    /// The corpus/found case whose NOTE.md records the bug.
    pub note: String,
}

/// The shapes a [`Precondition`] can name (kebab-case in the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Condition {
    /// A name (function or data) defined weakly in one file and defined
    /// again, with any binding but local, in another (archive members
    /// included, extracted or not).
    WeakDefinitionBesideAnother,
    /// A function name referenced (undefined) in two files with different
    /// import modules or fields.
    ImportsDisagree,
}

impl Condition {
    /// Whether `set` has the shape.
    pub fn holds(self, set: &ObjectSet) -> bool {
        match self {
            Condition::WeakDefinitionBesideAnother => {
                let mut defs: std::collections::HashMap<String, Vec<(usize, Binding)>> = Default::default();
                for (i, f) in set.files().iter().enumerate() {
                    for item in &f.items {
                        let (name, binding) = match item {
                            NItem::Func { name, binding, .. } => (func_name(*name), *binding),
                            NItem::Data { name, binding, .. } => (name.clone(), *binding),
                            NItem::Ctor { .. } => continue,
                        };
                        if binding != Binding::Local {
                            defs.entry(name).or_default().push((i, binding));
                        }
                    }
                }
                defs.values().any(|v| v.iter().any(|&(i, b)| b == Binding::Weak && v.iter().any(|&(j, _)| j != i)))
            }
            Condition::ImportsDisagree => {
                let files = set.files();
                (0..crate::gen::FUNC_NAMES).any(|j| {
                    let imports: std::collections::BTreeSet<(bool, bool)> = files
                        .iter()
                        .filter(|f| !f.defines_func(j) && f.used_funcs().contains(&j))
                        .map(|f| (f.attrs(j).other_module, f.attrs(j).shared_field))
                        .collect();
                    imports.len() > 1
                })
            }
        }
    }
}

/// The contents of a known-bug file (fuzz/known.toml).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Known {
    /// `[[known]]`: differences that are known bugs of the other linker.
    #[serde(default)]
    pub known: Vec<KnownBug>,
    /// `[[unsupported]]`: options another linker refuses.
    #[serde(default)]
    pub unsupported: Vec<Unsupported>,
    /// `[[precondition]]`: set shapes another linker is not given.
    #[serde(default)]
    pub precondition: Vec<Precondition>,
}

/// Parses a known-bug file (`[[known]]` tables, fields of [`KnownBug`];
/// `[[unsupported]]` tables, fields of [`Unsupported`]; `[[precondition]]`
/// tables, fields of [`Precondition`]). Errors name the
/// file and the TOML error.
pub fn parse_known(path: &Path, text: &str) -> Result<Known, String> {
    toml::from_str::<Known>(text).map_err(|e| format!("{}: {e}", path.display()))
}

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
    /// `wasm-ld-19`, ... as [`linkers::discover_all`] names them). Errors:
    /// a linker that is not installed (naming what installs it), an
    /// unknown name, the runner's engine.
    pub fn new(others: &[&str], known: Known, save_dir: Option<PathBuf>) -> Result<Harness, String> {
        let all = linkers::discover_all();
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
        let case = from_object_set(set);
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
            let hidden = match (cmp.differences.iter().any(|d| d.key == "outcome"), report.linkers.first()) {
                (true, Some(first)) => match report.linkers.iter().find(|l| l.name == cmp.right) {
                    Some(other) => diagnostic_differences(first, other),
                    None => Vec::new(),
                },
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
                if is_known(d) || follows_from_known(&d.key, &known_keys) {
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
        let mut case = from_object_set(set);
        case.description = format!("generated by diff_linkers: refld and {} diverge at {}", f.linker, f.key);
        case.expect = if report.linkers.first().is_some_and(|l| l.outcome.bytes().is_some()) { Expect::Link } else { Expect::Reject };
        case.divergence = Some(Divergence { key: f.key.clone(), linkers: vec!["refld".into(), f.linker.clone()] });
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

/// What the diagnostics of two reports whose outcomes differ would show:
/// their `diag.*`/`warn.*` differences when both have diagnostics (a
/// linked output's warnings, a rejection's messages); and, for each
/// signature-mismatch warning of `left` that names an archive member, the
/// difference `warn.signature-mismatch.NAME`: 1 / (absent). The other
/// linker may warn about the same name for another reference while missing
/// the one whose member was extracted (wasm-ld's SIG-LAZY bug), and the
/// counts alone would not show it.
fn diagnostic_differences(left: &LinkerReport, right: &LinkerReport) -> Vec<Difference> {
    let texts = |r: &LinkerReport| match &r.outcome {
        Outcome::Linked { warnings, .. } => Some(warnings.clone()),
        Outcome::Rejected { diagnostics } => Some(diagnostics.clone()),
        _ => None,
    };
    let mut out = Vec::new();
    if let (Some(l), Some(r)) = (texts(left), texts(right)) {
        crate::diff::compare_diagnostics(&l, &r, &mut out);
    }
    for text in texts(left).unwrap_or_default().iter().filter(|t| t.contains(".a(")) {
        for key in crate::diagkind::key_counts([text]).into_keys().filter(|k| k.starts_with("warn.signature-mismatch.")) {
            out.push(Difference::explained(key, "1", crate::diff::ABSENT, &left.name, &right.name));
        }
    }
    out
}

/// Whether the difference at `key` is a consequence of known ones in the
/// same comparison: a call of an export whose presence, signature or
/// target differs (`export.NAME` or `export.NAME.*` known explains
/// `call.NAME`: e.g. a missing constructor-running wrapper), the functions
/// of a name whose signature variants are handled otherwise (a known
/// `warn.signature-mismatch.NAME` explains `func.NAME`, `func.NAME.*`,
/// `func.NAME<file>`, `func.NAME#k`), the outcome once a known bug left out
/// a signature check (the mismatching call, not stubbed, keeps code live
/// that refld drops: its undefined symbols fail the link), and any run result
/// once the host saw different calls (a known `hostcall.*` explains
/// `call.*` and `run.*`: the recording host answers by import name).
fn follows_from_known(key: &str, known_keys: &[&str]) -> bool {
    if let Some(name) = key.strip_prefix("call.") {
        let of_export = |k: &&str| {
            k.strip_prefix("export.").is_some_and(|e| e == name || e.strip_prefix(name).is_some_and(|rest| rest.starts_with('.')))
        };
        if known_keys.iter().any(of_export) {
            return true;
        }
    }
    if let Some(func) = key.strip_prefix("func.") {
        let of_variants = |k: &&str| {
            k.strip_prefix("warn.signature-mismatch.").is_some_and(|name| {
                func.strip_prefix(name).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '<', '#']))
            })
        };
        if known_keys.iter().any(of_variants) {
            return true;
        }
    }
    let signature = |k: &&str| k.starts_with("warn.signature-mismatch.") || k.starts_with("diag.signature-mismatch.");
    if key == "outcome" && known_keys.iter().any(signature) {
        return true;
    }
    (key.starts_with("call.") || key.starts_with("run.")) && known_keys.iter().any(|k| k.starts_with("hostcall."))
}

/// Whether the first linker and `right` both rejected the link with a
/// `function signature mismatch` error (SIG-2): wasm-ld stops at the first
/// such name of its hash order, so the SIG-1 warnings before it differ
/// (corpus/found/wasm_ld_signature_variants_in_hash_order).
fn both_stopped_at_a_signature_error(report: &CheckReport, right: &str) -> bool {
    let stopped = |l: &LinkerReport| match &l.outcome {
        Outcome::Rejected { diagnostics } => {
            crate::diagkind::key_counts(diagnostics).keys().any(|k| k.starts_with("diag.signature-mismatch."))
        }
        _ => false,
    };
    let other = report.linkers.iter().find(|l| l.name == right);
    report.linkers.first().is_some_and(stopped) && other.is_some_and(stopped)
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
    use super::{diagnostic_differences, follows_from_known};
    use crate::check::LinkerReport;
    use crate::linker::Outcome;

    #[test]
    fn a_signature_warning_naming_a_member_counts_as_missed_by_the_other_side() {
        let warn = |files: &str| format!("warning: function signature mismatch: f1\n>>> defined as (i32) -> i32 in {files}");
        let report = |name: &str, outcome| LinkerReport { name: name.into(), outcome, module: None, module_error: None, run: None };
        let refld = report("refld", Outcome::Linked { bytes: Vec::new(), warnings: vec![warn("lib.a(m1.o)")] });
        let other = report(
            "rust-lld",
            Outcome::Rejected { diagnostics: vec![warn("lib.a(m3.o)"), "error: lib.a(m2.o): undefined symbol: d0".into()] },
        );
        let d = diagnostic_differences(&refld, &other);
        let got: Vec<(&str, &str, &str)> = d.iter().map(|d| (d.key.as_str(), d.left.as_str(), d.right.as_str())).collect();
        assert!(got.contains(&("warn.signature-mismatch.f1", "1", "(absent)")), "{got:?}");
        assert!(got.contains(&("diag.undefined-symbol.d0", "(absent)", "1")), "{got:?}");
        let plain = report("refld", Outcome::Linked { bytes: Vec::new(), warnings: vec![warn("a.o")] });
        let d = diagnostic_differences(&plain, &other);
        assert!(d.iter().all(|d| !d.key.starts_with("warn.")), "no member named: {d:?}");
    }

    #[test]
    fn weak_definition_beside_another_needs_two_files() {
        use crate::gen::{Binding, FileModel, Item, ObjectSet, Policy};
        let func = |name, binding| Item::Func { name, binding, sig2: false, constant: 0, uses: vec![] };
        let file = |items| FileModel { member: false, items, refs: vec![] };
        let set = |files| ObjectSet {
            files,
            exports: vec![],
            policy: Policy::Error,
            no_gc: false,
            explicit_gc: false,
            export_all: false,
        };
        let holds = |s: &ObjectSet| super::Condition::WeakDefinitionBesideAnother.holds(s);
        assert!(holds(&set(vec![file(vec![func(1, Binding::Weak)]), file(vec![func(1, Binding::Strong)])])));
        assert!(holds(&set(vec![file(vec![func(1, Binding::Hidden)]), file(vec![func(1, Binding::Weak)])])));
        assert!(!holds(&set(vec![file(vec![func(1, Binding::Weak)]), file(vec![func(1, Binding::Local)])])));
        assert!(!holds(&set(vec![file(vec![func(1, Binding::Strong)]), file(vec![func(1, Binding::Strong)])])));
        assert!(!holds(&set(vec![file(vec![func(1, Binding::Weak)]), file(vec![func(2, Binding::Strong)])])));

        // f1 calls the undefined f0 in two files: plainly, then with the
        // import field `shared`.
        use crate::gen::{RefAttrs, Use};
        let caller = |shared_field| FileModel {
            member: false,
            items: vec![Item::Func { name: 1, binding: Binding::Local, sig2: false, constant: 0, uses: vec![Use::Call(0)] }],
            refs: vec![RefAttrs { weak: false, other_module: false, shared_field, sig2: false }],
        };
        let disagree = |s: &ObjectSet| super::Condition::ImportsDisagree.holds(s);
        assert!(disagree(&set(vec![caller(false), caller(true)])));
        assert!(!disagree(&set(vec![caller(true), caller(true)])));
    }

    #[test]
    fn a_signature_error_on_both_sides_hides_the_warnings_before_it() {
        use super::both_stopped_at_a_signature_error;
        use crate::check::CheckReport;
        let rejected = |name: &str, diags: &[&str]| LinkerReport {
            name: name.into(),
            outcome: Outcome::Rejected { diagnostics: diags.iter().map(|d| d.to_string()).collect() },
            module: None,
            module_error: None,
            run: None,
        };
        let report = |linkers| CheckReport { args: vec![], linkers, comparisons: vec![], agree: false };
        let sig2 = "error: function signature mismatch: f3";
        let both = report(vec![rejected("refld", &[sig2]), rejected("rust-lld", &["warning: function signature mismatch: f1", sig2])]);
        assert!(both_stopped_at_a_signature_error(&both, "rust-lld"));
        let one = report(vec![rejected("refld", &["error: a.o: undefined symbol: g"]), rejected("rust-lld", &[sig2])]);
        assert!(!both_stopped_at_a_signature_error(&one, "rust-lld"));
    }

    #[test]
    fn permutations_are_every_order_once() {
        let mut all = super::permutations(&mut vec![3, 5, 7], 0);
        assert_eq!(all.len(), 6);
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 6);
        assert!(all.contains(&vec![7, 5, 3]));
    }

    #[test]
    fn calls_follow_from_their_export_and_runs_from_host_calls() {
        assert!(follows_from_known("call.f1", &["export.f1"]));
        assert!(!follows_from_known("call.f2", &["export.f1"]));
        assert!(!follows_from_known("call.f1", &["import.env.f1"]));
        assert!(follows_from_known("call.f2", &["export.f2.target"]));
        assert!(!follows_from_known("call.f2", &["export.f23.target"]));
        assert!(follows_from_known("call.f2", &["hostcall.0"]));
        assert!(follows_from_known("run.exit_code", &["hostcall.3"]));
        assert!(!follows_from_known("func.f2.body", &["hostcall.0"]));
        assert!(!follows_from_known("run.exit_code", &[]));
        let variants = ["warn.signature-mismatch.f0"];
        for key in ["func.f0", "func.f0.body", "func.f0.type", "func.f0<a2.o>", "func.f0#2"] {
            assert!(follows_from_known(key, &variants), "{key}");
        }
        assert!(!follows_from_known("func.f01.body", &variants));
        assert!(!follows_from_known("func.g.body", &variants));
        assert!(follows_from_known("outcome", &variants));
        assert!(follows_from_known("outcome", &["diag.signature-mismatch.f3"]));
        assert!(!follows_from_known("outcome", &["hostcall.0", "export.f"]));
    }
}
