//! Dynamic links: side modules (`-shared`) linked first, then the main
//! module (`-pie`) against them, each linker in a working folder of its
//! own (its side modules are files there, so the main link and NEEDED name
//! them), then the main module run under the loader
//! ([`crate::run::loader`]) with that linker's side modules. Every module
//! is compared as a static link's output is ([`crate::check::compare`]:
//! the side modules' keys under `side[NAME].KEY`).
//!
//! Two-step links go the same way: `-r` links first (REL-OUT), whose
//! outputs are input objects of a static main link, run as one.

use crate::allow::AllowList;
use crate::check::{add_structural, add_structural_with_parts, each_linker_at_once, CheckOptions, CheckReport, LinkerReport};
use crate::diff::Difference;
use crate::key::DiffKey;
use crate::linker::{Linker, Outcome};
use crate::run::{Library, Runner};
use std::path::Path;
use std::time::{Duration, Instant};

/// One side module of a dynamic link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SideLink {
    /// Its file name in the working folder (`libside.so`): what the main
    /// module's command line and NEEDED entries call it.
    pub name: String,
    /// wasm-ld's arguments of its link (its `-o` is replaced).
    pub args: Vec<String>,
    /// Whether the loader loads it at start even when nothing needs it
    /// (like Emscripten's `dynamicLibraries`); `false`: only through NEEDED.
    pub preload: bool,
}

impl SideLink {
    /// A `-r` link (REL-OUT): its output is an input object of the main
    /// link, not a library the loader loads.
    pub fn is_relocatable(&self) -> bool {
        self.args.iter().any(|a| a == "-r" || a == "--relocatable")
    }
}

/// [`crate::check::check_timed`] for a dynamic link: `sides` linked in
/// order, then `args` (the main module), by every linker at once; the
/// times are each linker's links together.
pub fn check_dynamic_timed(
    linkers: &[Linker],
    sides: &[SideLink],
    args: &[String],
    cwd: &Path,
    runner: &Runner,
    options: &CheckOptions,
) -> (CheckReport, Vec<Duration>) {
    let done = each_linker_at_once(linkers, |linker| link_all(linker, &[], sides, args, cwd, runner, options));
    let (reports, times): (Vec<LinkerReport>, Vec<Duration>) = done.into_iter().unzip();
    let mut report = CheckReport::from_reports(args, reports, &options.allow);
    if options.structural {
        let parts: Vec<String> = sides.iter().filter(|s| s.is_relocatable()).map(|s| s.name.clone()).collect();
        add_structural_with_parts(&mut report, args, cwd, &options.allow, None, &parts);
        for side in sides {
            add_side_structural(&mut report, side, cwd, &options.allow);
        }
    }
    (report, times)
}

/// One linker's links of the side modules and the main module, and the
/// main module's run with its side modules.
fn link_all(
    linker: &Linker,
    prefix: &[String],
    sides: &[SideLink],
    args: &[String],
    cwd: &Path,
    runner: &Runner,
    options: &CheckOptions,
) -> (LinkerReport, Duration) {
    let mut link_time = Duration::ZERO;
    let no_run = CheckOptions { run: false, ..options.clone() };
    let work = match working_folder(cwd) {
        Ok(w) => w,
        Err(e) => {
            let outcome = Outcome::Crashed { status: format!("could not start: working folder: {e}"), stderr: String::new() };
            return (LinkerReport::from_outcome(linker.name(), outcome, runner, &no_run), link_time);
        }
    };
    let mut side_reports = Vec::new();
    for side in sides {
        let start = Instant::now();
        let outcome = linker.link_with_timeout(&with_prefix(prefix, &side.args), work.path(), options.timeout);
        link_time += start.elapsed();
        if let Some(bytes) = outcome.bytes() {
            // A write that fails leaves the main link without its input:
            // the main link's own outcome then says so.
            let _ = std::fs::write(work.path().join(&side.name), bytes);
        }
        side_reports.push(LinkerReport::from_outcome(&side.name, outcome, runner, &no_run));
    }
    // A side link the linker cannot express leaves nothing to link against.
    let unsupported = side_reports.iter().find_map(|r| match &r.outcome {
        Outcome::Unsupported { reason } => Some(reason.clone()),
        _ => None,
    });
    let start = Instant::now();
    let outcome = match unsupported {
        Some(reason) => Outcome::Unsupported { reason },
        None => linker.link_with_timeout(&with_prefix(prefix, args), work.path(), options.timeout),
    };
    link_time += start.elapsed();
    // Only `-r` links before it: a static link of their outputs, run as one.
    if sides.iter().all(SideLink::is_relocatable) {
        let mut report = LinkerReport::from_outcome(linker.name(), outcome, runner, options);
        report.side_modules = side_reports;
        return (report, link_time);
    }
    let mut report = LinkerReport::from_outcome(linker.name(), outcome, runner, &no_run);
    if options.run {
        if let Some(main) = report.outcome.bytes() {
            let libraries: Vec<Library<'_>> = sides
                .iter()
                .zip(&side_reports)
                .filter(|(side, _)| !side.is_relocatable())
                .filter_map(|(side, r)| r.outcome.bytes().map(|bytes| Library { name: &side.name, bytes, preload: side.preload }))
                .collect();
            report.run = Some(runner.run_dynamic_missing(main, &libraries, options.missing_functions, &options.limits));
        }
    }
    report.side_modules = side_reports;
    (report, link_time)
}

fn with_prefix(prefix: &[String], args: &[String]) -> Vec<String> {
    prefix.iter().chain(args).cloned().collect()
}

/// [`crate::check::compare_under_quirks`] for a link with `sides` before
/// it: refld makes every link under `quirks` (its own side modules or
/// `-r` parts), and its report is compared with `other`'s.
pub fn compare_under_quirks_with_sides(
    sides: &[SideLink],
    args: &[String],
    cwd: &Path,
    quirks: &[&str],
    other: &LinkerReport,
    runner: &Runner,
    options: &CheckOptions,
) -> crate::check::Comparison {
    let quirked: Vec<String> = quirks.iter().flat_map(|q| ["--quirk".to_string(), q.to_string()]).collect();
    let (refld, _) = link_all(&Linker::Reference, &quirked, sides, args, cwd, runner, options);
    let mut report = CheckReport::from_reports(args, vec![refld, other.clone()], &options.allow);
    if options.structural {
        let parts: Vec<String> = sides.iter().filter(|s| s.is_relocatable()).map(|s| s.name.clone()).collect();
        add_structural_with_parts(&mut report, args, cwd, &options.allow, None, &parts);
        for side in sides {
            add_side_structural(&mut report, side, cwd, &options.allow);
        }
    }
    report.comparisons.pop().expect("two reports give one comparison")
}

/// A temporary folder holding a link to every entry of `cwd`.
fn working_folder(cwd: &Path) -> std::io::Result<tempfile::TempDir> {
    let work = tempfile::Builder::new().prefix("linkcheck-dyn-").tempdir()?;
    let cwd = std::fs::canonicalize(cwd)?;
    for entry in std::fs::read_dir(&cwd)? {
        let entry = entry?;
        std::os::unix::fs::symlink(entry.path(), work.path().join(entry.file_name()))?;
    }
    Ok(work)
}

/// The structural comparison of one side module's outputs, its keys under
/// `side[NAME]`, added to the main report's comparisons.
fn add_side_structural(report: &mut CheckReport, side: &SideLink, cwd: &Path, allow: &AllowList) {
    let reports: Vec<LinkerReport> = report
        .linkers
        .iter()
        .map(|l| {
            // Named by linker: the explanations name both sides so.
            let found = l.side_modules.iter().find(|s| s.name == side.name).cloned();
            let unlinked = || LinkerReport {
                name: String::new(),
                outcome: Outcome::Rejected { diagnostics: Vec::new() },
                module: None,
                module_error: None,
                run: None,
                side_modules: Vec::new(),
            };
            LinkerReport { name: l.name.clone(), ..found.unwrap_or_else(unlinked) }
        })
        .collect();
    let empty = AllowList::default();
    let mut side_report = CheckReport::from_reports(&side.args, reports, &empty);
    let before: Vec<Vec<DiffKey>> = side_report.comparisons.iter().map(|c| c.differences.iter().map(|d| d.key.clone()).collect()).collect();
    add_structural(&mut side_report, &side.args, cwd, &empty, None);
    for (i, cmp) in side_report.comparisons.into_iter().enumerate() {
        let found: Vec<Difference> = cmp
            .differences
            .into_iter()
            .filter(|d| !before[i].contains(&d.key))
            .map(|d| Difference { key: DiffKey::Side { name: side.name.clone(), key: Box::new(d.key.clone()) }, ..d })
            .collect();
        if let Some(main) = report.comparisons.get_mut(i) {
            main.extend(found, allow);
        }
    }
    report.agree = report.comparisons.iter().all(|c| c.differences.is_empty());
}
