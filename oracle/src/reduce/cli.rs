//! `linkcheck reduce CASE`: reduces a generated case while two linkers
//! still diverge on the same key.
//!
//! 1. CASE is read with [`read_case`] (every input a `.json` model).
//! 2. The linkers: `--linker NAME=CMD` (after refld and rust-lld unless
//!    `--no-default-linkers`); without them, the case's recorded
//!    `divergence.linkers` found by [`linkcheck_core::discover::discover_all`]; else
//!    refld and rust-lld, as `linkcheck diff`.
//! 3. One check ([`linkcheck_core::check::check`]) picks the key (`--key`, else the
//!    recorded `divergence.key`, else the first difference) and the pair of
//!    linkers whose comparison shows it (the first linker and another).
//! 4. [`super::reduce_with_progress`] keeps a candidate when, linked by
//!    that pair alone: the key is still among the differences and the
//!    policy (`corpus/policy.toml` or `--policy FILE`) does not explain it
//!    as a known bug ([`linkcheck_core::policy::attribute`]: a quirk of the
//!    other linker, a `[[known]]` entry), so the reduction cannot slide
//!    into a known bug; each
//!    linker's outcome (`linked`, `rejected`, ...) is what it was, and a
//!    side that was rejected still is for some of the same reasons only
//!    (classified errors `diag.KIND.SYMBOL`, other errors by their
//!    normalized text: [`rejection_reasons`]). The last two keep the case
//!    on the same divergence rather than any other that shares the key
//!    (an undefined symbol turning into `no input files`).
//! 5. The reduced case goes to OUT_DIR (default `CASE-reduced`) with its
//!    dumps ([`write_case`]) and the divergence recorded; the sizes before
//!    and after and the kept difference are printed.

use super::{reduce_with_progress, sizes, Progress, Sizes};
use linkcheck_core::casefile::{read_case, write_case, write_inputs, GeneratedCase};
use linkcheck_core::check::{check, CheckOptions, CheckReport};
use linkcheck_core::dynamic::{check_dynamic_timed, SideLink};
use linkcheck_core::casefile::RecordedDivergence;
use linkcheck_core::diagnostics::kind::classify;
use linkcheck_core::key::DiffKey;
use linkcheck_core::diagnostics::Severity;
use linkcheck_core::linker::{Linker, Outcome};
use linkcheck_core::policy::{attribute, Policy};
use linkcheck_core::run::Runner;
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt::Write;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The command's options (`linkcheck reduce --help`).
#[derive(Debug, Clone, Default)]
pub struct ReduceOptions {
    /// The case folder.
    pub case: PathBuf,
    /// The difference key to keep.
    pub key: Option<String>,
    /// Extra linkers, `NAME=CMD`.
    pub linkers: Vec<String>,
    /// Leave out refld and rust-lld.
    pub no_default_linkers: bool,
    /// Where the reduced case goes (default `CASE-reduced`).
    pub out_dir: Option<PathBuf>,
    /// The policy file (default: the built-in `corpus/policy.toml`).
    pub policy: Option<PathBuf>,
}

/// One difference kept through the reduction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kept {
    /// The difference key.
    pub key: DiffKey,
    /// The first linker's value.
    pub left: String,
    /// The other linker's value.
    pub right: String,
}

/// What `linkcheck reduce` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReduceReport {
    /// The case reduced.
    pub case: PathBuf,
    /// Where the reduced case was written.
    pub out_dir: PathBuf,
    /// The two linkers compared: the first linker, then the other.
    pub linkers: [String; 2],
    /// Sizes of the case before.
    pub before: Sizes,
    /// Sizes of the reduced case.
    pub after: Sizes,
    /// The difference in the original case.
    pub divergence_before: Kept,
    /// The same key in the reduced case.
    pub divergence_after: Kept,
    /// How many candidates were linked.
    pub checks: usize,
}

/// What a candidate must keep (module documentation, step 4).
struct Target {
    key: DiffKey,
    outcomes: [&'static str; 2],
    /// Each side's [`rejection_reasons`].
    errors: [BTreeSet<String>; 2],
}

/// Why a rejected link was rejected: each error's classified key
/// (`diag.KIND.SYMBOL`) or, for an unclassified one, `other:` and its first
/// line without a leading `FILE: ` and with numbers as `#` (so it survives
/// files going away and offsets moving). Empty unless rejected.
fn rejection_reasons(outcome: &Outcome) -> BTreeSet<String> {
    let Outcome::Rejected { diagnostics } = outcome else { return BTreeSet::new() };
    let mut reasons = BTreeSet::new();
    for text in diagnostics {
        let c = classify(text);
        if c.severity != Severity::Error {
            continue;
        }
        reasons.insert(DiffKey::of_diagnostic(&c).map_or_else(|| format!("other:{}", normalize(&c.symbol)), |k| k.to_string()));
    }
    reasons
}

/// A diagnostic line without a leading input name (`a1.o: `,
/// `lib.a(m1.o): `), runs of digits (hex included) as `#`.
fn normalize(line: &str) -> String {
    let line = match line.split_once(": ") {
        Some((head, rest)) if !head.contains(' ') && (head.ends_with(".o") || head.ends_with(')')) => rest,
        _ => line,
    };
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            if c == '0' && chars.peek() == Some(&'x') {
                chars.next();
            }
            while chars.peek().is_some_and(|d| d.is_ascii_hexdigit()) {
                chars.next();
            }
            out.push('#');
        } else {
            out.push(c);
        }
    }
    out
}

impl Target {
    /// The difference of `key` between the report's two linkers, if the
    /// report shows the same divergence.
    fn holds(&self, report: &CheckReport) -> Option<Kept> {
        let cmp = report.comparisons.first()?;
        let d = cmp.differences.iter().find(|d| d.key == self.key && d.known.is_none())?;
        for (side, linker) in report.linkers.iter().enumerate().take(2) {
            if linker.outcome.kind() != self.outcomes[side] {
                return None;
            }
            let was = &self.errors[side];
            let now = rejection_reasons(&linker.outcome);
            if !was.is_empty() && (now.is_empty() || !now.is_subset(was)) {
                return None;
            }
        }
        Some(Kept { key: d.key.clone(), left: d.left.clone(), right: d.right.clone() })
    }
}

/// Links `case` in a scratch directory with `linkers`; `policy` marks the
/// known bugs.
fn check_case(
    case: &GeneratedCase,
    linkers: &[Linker],
    runner: &Runner,
    options: &CheckOptions,
    policy: &Policy,
) -> Result<CheckReport, String> {
    let dir = tempfile::Builder::new()
        .prefix("linkcheck-reduce-")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    let args = write_inputs(dir.path(), case).map_err(|e| e.to_string())?;
    // A two-step link: its `-r` links first (`[[side_module]]`).
    let sides: Vec<SideLink> = case.side_modules.iter().map(|s| s.to_side_link()).collect();
    let mut report = if sides.is_empty() {
        check(linkers, &args, dir.path(), runner, options)
    } else {
        check_dynamic_timed(linkers, &sides, &args, dir.path(), runner, options).0
    };
    attribute(policy, &mut report, None, dir.path(), &sides, runner, options);
    Ok(report)
}

/// The check options a key needs: runs only for `run.*`, `hostcall.*`,
/// `call.*` ([`DiffKey::needs_run`]); the structural comparison only for
/// item keys ([`DiffKey::is_item`]).
pub fn options_for(key: &DiffKey) -> CheckOptions {
    CheckOptions { run: key.needs_run(), structural: key.is_item(), ..CheckOptions::default() }
}

/// The linkers to compare (module documentation, step 2); at least two,
/// names distinct.
pub fn choose_linkers(case: &GeneratedCase, options: &ReduceOptions) -> Result<Vec<Linker>, String> {
    let mut linkers = Vec::new();
    let recorded = case.divergence.as_ref().map(|d| &d.linkers);
    match recorded {
        Some(names) if options.linkers.is_empty() && !options.no_default_linkers => {
            let all = linkcheck_core::discover::discover_all();
            for name in names {
                let found = all.iter().find(|f| match f {
                    Ok(found) => &found.name == name,
                    Err(missing) => &missing.name == name,
                });
                match found {
                    Some(Ok(found)) => linkers.push(found.linker()),
                    Some(Err(missing)) => return Err(format!("linker `{name}` of the case: {}", missing.reason)),
                    None => return Err(format!("linker `{name}` of the case is not one `linkcheck linkers` knows: give it with --linker NAME=CMD")),
                }
            }
        }
        _ => {
            if !options.no_default_linkers {
                linkers.push(Linker::Reference);
                linkers.push(Linker::rust_lld().map_err(|e| format!("{e} (use --no-default-linkers and --linker)"))?);
            }
            for spec in &options.linkers {
                linkers.push(linkcheck_core::discover::linker_from_arg(spec)?);
            }
        }
    }
    if linkers.len() < 2 {
        return Err(format!("need at least two linkers to compare, have {}", linkers.len()));
    }
    let mut names: Vec<&str> = linkers.iter().map(Linker::name).collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!("two linkers are named `{}`", w[0]));
    }
    Ok(linkers)
}

/// `CASE-reduced` beside CASE.
pub fn default_out_dir(case: &Path) -> PathBuf {
    let name = case.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "case".into());
    case.with_file_name(format!("{name}-reduced"))
}

/// Runs `linkcheck reduce`; `progress` hears each pass and kept candidate.
/// Errors (a case that is not generated, no divergence, the key not
/// among the differences, a linker missing, OUT_DIR not writable) are
/// one message.
pub fn reduce_case(options: &ReduceOptions, progress: impl FnMut(Progress<'_>)) -> Result<ReduceReport, String> {
    let case = read_case(&options.case).map_err(|e| e.to_string())?;
    let linkers = choose_linkers(&case, options)?;
    let policy = match &options.policy {
        Some(path) => Policy::load(path).map_err(|e| e.to_string())?,
        None => Policy::embedded().clone(),
    };
    let runner = Runner::new()?;
    let wanted = match options.key.clone().or_else(|| case.divergence.as_ref().map(|d| d.key.clone())) {
        Some(text) => Some(DiffKey::parse(&text).ok_or_else(|| format!("`{text}` is not a difference key"))?),
        None => None,
    };
    let first_options = wanted.as_ref().map_or_else(CheckOptions::default, options_for);
    let first = check_case(&case, &linkers, &runner, &first_options, &policy)?;
    let found = first.comparisons.iter().enumerate().find_map(|(i, c)| {
        let d = match &wanted {
            Some(k) => c.differences.iter().find(|d| d.key == *k && d.known.is_none()),
            None => c.differences.iter().find(|d| d.known.is_none()),
        }?;
        Some((i + 1, d.key.clone()))
    });
    let Some((other, key)) = found else {
        let keys: Vec<String> = first
            .comparisons
            .iter()
            .flat_map(|c| c.differences.iter().map(|d| format!("{}: {}{}", c.right, d.key, if d.known.is_some() { " (known)" } else { "" })))
            .collect();
        return Err(match wanted {
            Some(k) => format!(
                "`{k}` is not among the differences of {} the policy leaves unexplained ({})",
                options.case.display(),
                keys.join(", ")
            ),
            None => format!("the linkers agree on {} (known bugs aside): nothing to reduce", options.case.display()),
        });
    };
    let pair = vec![linkers[0].clone(), linkers[other].clone()];
    let outcome = |i: usize| &first.linkers[i].outcome;
    let target = Target {
        key: key.clone(),
        outcomes: [outcome(0).kind(), outcome(other).kind()],
        errors: [rejection_reasons(outcome(0)), rejection_reasons(outcome(other))],
    };
    let check_options = options_for(&key);
    let before_report = check_case(&case, &pair, &runner, &check_options, &policy)?;
    let divergence_before = target
        .holds(&before_report)
        .ok_or_else(|| format!("`{key}` does not show again when {} is linked a second time", options.case.display()))?;
    let before = sizes(&case);
    let mut checks = 0usize;
    let reduced = reduce_with_progress(
        case.clone(),
        |candidate| {
            checks += 1;
            check_case(candidate, &pair, &runner, &check_options, &policy).is_ok_and(|r| target.holds(&r).is_some())
        },
        progress,
    );
    let after_report = check_case(&reduced, &pair, &runner, &check_options, &policy)?;
    let divergence_after = target.holds(&after_report).ok_or("the reduced case lost the divergence (a flaky linker?)")?;
    let names = [pair[0].name().to_string(), pair[1].name().to_string()];
    let out_dir = options.out_dir.clone().unwrap_or_else(|| default_out_dir(&options.case));
    let original = case.description.trim_start_matches("reduced: ");
    let saved = GeneratedCase {
        description: format!("reduced: {original}"),
        divergence: Some(RecordedDivergence { key: key.to_string(), linkers: names.to_vec() }),
        ..reduced.clone()
    };
    write_case(&out_dir, &saved).map_err(|e| e.to_string())?;
    Ok(ReduceReport {
        case: options.case.clone(),
        out_dir,
        linkers: names,
        before,
        after: sizes(&reduced),
        divergence_before,
        divergence_after,
        checks,
    })
}

/// The text report: the kept divergence, sizes before and after, where
/// the case went.
pub fn render_text(r: &ReduceReport) -> String {
    let mut s = String::new();
    let [left, right] = &r.linkers;
    let _ = writeln!(s, "divergence {} ({left} vs {right}):", r.divergence_after.key);
    for (when, d) in [("before", &r.divergence_before), ("after", &r.divergence_after)] {
        let _ = writeln!(s, "  {when:<6} {left}: {}  {right}: {}", d.left, d.right);
    }
    let _ = writeln!(s, "{:<8} {:>6} {:>10} {:>12} {:>8} {:>8}", "", "files", "functions", "relocations", "symbols", "bytes");
    for (when, z) in [("before", r.before), ("after", r.after)] {
        let _ = writeln!(
            s,
            "{when:<8} {:>6} {:>10} {:>12} {:>8} {:>8}",
            z.files, z.functions, z.relocations, z.symbols, z.bytes
        );
    }
    let _ = writeln!(s, "{} candidates linked; reduced case written to {}", r.checks, r.out_dir.display());
    s
}

/// The report as pretty-printed JSON.
pub fn render_json(r: &ReduceReport) -> String {
    serde_json::to_string_pretty(r).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// The whole command, for the `linkcheck` binary: reduces, prints the
/// report (text or `json`) to stdout and progress to stderr (a spinner on
/// a terminal, else a line per pass that kept something). Exit status 0;
/// errors come back as one message (the binary exits 2).
pub fn run_command(options: &ReduceOptions, json: bool) -> Result<u8, String> {
    let terminal = std::io::stderr().is_terminal();
    let bar = if terminal { indicatif::ProgressBar::new_spinner() } else { indicatif::ProgressBar::hidden() };
    let (mut kept, mut last) = (0usize, None::<(String, usize, Sizes)>);
    let flush = |last: &mut Option<(String, usize, Sizes)>, kept: &mut usize| {
        if let Some((pass, round, z)) = last.take() {
            if *kept > 0 && !terminal {
                eprintln!(
                    "reduce: round {round} {pass}: kept {kept}; now {} files, {} functions, {} relocations, {} bytes",
                    z.files, z.functions, z.relocations, z.bytes
                );
            }
        }
        *kept = 0;
    };
    let (mut round_now, mut pass_now) = (0, String::new());
    let report = reduce_case(options, |p| match p {
        Progress::Pass { name, round } => {
            flush(&mut last, &mut kept);
            (round_now, pass_now) = (round, name.to_string());
            bar.set_message(format!("round {round}: {name}"));
            bar.tick();
        }
        Progress::Kept { pass, sizes: z } => {
            kept += 1;
            last = Some((pass_now.clone(), round_now, z));
            bar.set_message(format!("round {round_now}: {pass}: {} files, {} bytes", z.files, z.bytes));
            bar.tick();
        }
    });
    flush(&mut last, &mut kept);
    bar.finish_and_clear();
    let report = report?;
    print!("{}", if json { render_json(&report) + "\n" } else { render_text(&report) });
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_survive_files_and_offsets_moving() {
        assert_eq!(normalize("m2.o: duplicate symbol name f0"), "duplicate symbol name f#");
        assert_eq!(normalize("lib.a(m1.o): bad relocation at 0x1c"), "bad relocation at #");
        assert_eq!(normalize("no input files"), "no input files");
        let rejected = |d: &[&str]| Outcome::Rejected { diagnostics: d.iter().map(|s| s.to_string()).collect() };
        let reasons = rejection_reasons(&rejected(&[
            "error: a.o: undefined symbol: f1",
            "warning: something odd",
            "error: no input files",
        ]));
        let want: BTreeSet<String> = ["diag.undefined-symbol.f1", "other:no input files"].map(String::from).into();
        assert_eq!(reasons, want);
        assert!(rejection_reasons(&Outcome::TimedOut).is_empty());
    }
}
