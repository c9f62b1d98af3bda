//! The corpus (`corpus/` at the workspace root) through `linkcheck conform`'s
//! library API: every case must be prepared, linked alike by refld
//! (in-process) and rust-lld (or diverge only as `corpus/policy.toml` explains:
//! wasm-ld's own bugs, found/wasm_ld_*), and meet its `expect` (outcome, exit
//! code, imports); with conform's default linkers (refld, rust-lld, wasm-ld-19,
//! wasm-ld-22, Wild) every divergence must be allowed or known, and two runs
//! must give the same records. Needs clang-19 and llvm-mc-19, Debian's
//! wasm-ld-19/22 and Wild (scripts/setup.sh installs them) and the
//! toolchain's rust-lld; a missing tool fails the test, never skips it.

use linkcheck_core::check::CheckOptions;
use linkcheck::conform::render::render_matrix;
use linkcheck::conform::run_cases;
use linkcheck::corpus::find_cases;
use linkcheck_core::linker::Linker;
use linkcheck_core::key::DiffKey;
use linkcheck_core::run::Runner;
use std::path::Path;

#[test]
fn every_corpus_case_agrees_and_meets_its_expectation() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace root").join("corpus");
    let dirs = find_cases(std::slice::from_ref(&corpus)).expect("the corpus can be searched");
    assert!(dirs.len() >= 8, "expected at least 8 cases under {}, found {}", corpus.display(), dirs.len());
    let linkers = [Linker::Reference, Linker::rust_lld().expect("rust-lld of the active toolchain")];
    let runner = Runner::new().expect("wasmtime runner");
    // A divergence passes only when the policy explains it: a bug of wasm-ld
    // itself that refld does not copy (SIG-LAZY), explained in found/.
    let report = run_default(&dirs, &linkers, &runner);
    let failing: Vec<String> = report.cases.iter().filter(|c| !c.passes()).map(|c| c.dir.display().to_string()).collect();
    assert!(failing.is_empty(), "failing cases: {failing:?}\n{}", render_matrix(&report));
    let s = report.summary();
    assert_eq!(s.agree + s.known, dirs.len());
    let known: Vec<String> = report.cases.iter().filter(|c| !c.agrees()).map(|c| c.dir.display().to_string()).collect();
    assert!(known.iter().all(|d| d.contains("/found/wasm_ld_")), "rust-lld diverges outside found/wasm_ld_*: {known:?}");
}

fn basic_corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace root").join("corpus").join("basic")
}

/// The default linkers of conform (refld, rust-lld, wasm-ld-19, wasm-ld-22,
/// Wild); missing ones fail the test naming scripts/setup.sh.
fn default_linkers() -> Vec<Linker> {
    linkcheck::conform::default_linkers(false).unwrap_or_else(|e| panic!("{e}")).0
}

/// Runs `dirs` through `linkers`, the known divergences marked by
/// `corpus/policy.toml` (quirks and `[[known]]` entries).
fn run_default(dirs: &[std::path::PathBuf], linkers: &[Linker], runner: &Runner) -> linkcheck::conform::ConformReport {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace root").join("corpus/policy.toml");
    let policy = linkcheck_core::policy::Policy::load(&file).expect("corpus/policy.toml loads");
    run_cases(dirs, linkers, runner, &CheckOptions::default(), &policy, &mut |_| {})
}

/// The acceptance: two runs give the same result (the JSON records
/// of `conform --json`; timings are not part of them), with the default
/// linkers, on all of corpus/basic and a slice of corpus/undefined.
#[test]
fn two_runs_of_a_corpus_subset_give_the_same_json() {
    use linkcheck::conform::render::render_json_lines;
    let mut dirs = find_cases(&[basic_corpus()]).expect("the corpus can be searched");
    let undefined = find_cases(&[basic_corpus().with_file_name("undefined")]).expect("the corpus can be searched");
    assert!(undefined.len() >= 30, "corpus/undefined has {} cases", undefined.len());
    dirs.extend(undefined.into_iter().take(30));
    let linkers = default_linkers();
    assert_eq!(linkers.iter().map(Linker::name).collect::<Vec<_>>(), linkcheck::conform::DEFAULT_LINKERS);
    let runner = Runner::new().expect("wasmtime runner");
    let first = render_json_lines(&run_default(&dirs, &linkers, &runner));
    let second = render_json_lines(&run_default(&dirs, &linkers, &runner));
    assert_eq!(first.lines().count(), dirs.len() * linkers.len());
    assert!(first.contains("\"verdict\":\"known\""), "Wild's known divergences are marked");
    assert_eq!(first, second);
}

/// `linkcheck conform corpus` passes: every divergence of the default
/// linkers on the whole corpus is allowed or known (corpus/policy.toml),
/// every expectation is met, no known entry is stale.
#[test]
fn the_whole_corpus_passes_with_the_default_linkers() {
    let corpus = basic_corpus().parent().expect("corpus/").to_path_buf();
    let dirs = find_cases(std::slice::from_ref(&corpus)).expect("the corpus can be searched");
    let runner = Runner::new().expect("wasmtime runner");
    let report = run_default(&dirs, &default_linkers(), &runner);
    assert!(report.passed(), "{}", render_matrix(&report));
    assert!(report.stale.is_empty(), "stale known entries: {:?}", report.stale);
    let summary = report.summary();
    assert_eq!((summary.diverge, summary.mismatches, summary.errors), (0, 0, 0));
    check_snapshot(&report, &corpus);
    keys_read_back(&report);
}

/// Every difference key the comparisons made reads back from its text as
/// the same key (what the policy's globs, case files and `reduce --key`
/// rely on).
fn keys_read_back(report: &linkcheck::conform::ConformReport) {
    let keys = report
        .cases
        .iter()
        .filter_map(|c| c.report.as_ref())
        .flat_map(|r| &r.comparisons)
        .flat_map(|c| c.differences.iter().chain(&c.allowed))
        .map(|d| &d.key);
    let mut n = 0;
    for key in keys {
        n += 1;
        assert_eq!(DiffKey::parse(&key.to_string()).as_ref(), Some(key), "{key}");
    }
    assert!(n > 100, "the corpus gives differences of many keys ({n})");
}

/// Behaviour is preserved across refactorings: the JSON records of
/// `conform --json corpus` (cells, differences, allowed and known keys,
/// expectations) equal `corpus/conform.snapshot.jsonl`, line for line
/// (case paths relative to the workspace). After a deliberate change
/// (a new case, a fixed bug), `UPDATE_CONFORM_SNAPSHOT=1 cargo test -p
/// linkcheck --test conform the_whole_corpus` writes the new snapshot.
fn check_snapshot(report: &linkcheck::conform::ConformReport, corpus: &Path) {
    use linkcheck::conform::render::render_json_lines;
    let root = corpus.parent().expect("the workspace root");
    let prefix = format!("\"case\":\"{}/", root.display());
    let mut lines: Vec<String> = render_json_lines(report).lines().map(|l| l.replace(&prefix, "\"case\":\"")).collect();
    lines.sort();
    let file = corpus.join("conform.snapshot.jsonl");
    if std::env::var_os("UPDATE_CONFORM_SNAPSHOT").is_some() {
        std::fs::write(&file, lines.join("\n") + "\n").expect("writing the snapshot");
        return;
    }
    let text = std::fs::read_to_string(&file).expect("corpus/conform.snapshot.jsonl is readable");
    let mut want: Vec<&str> = text.lines().collect();
    want.sort();
    let missing: Vec<&&str> = want.iter().filter(|l| !lines.iter().any(|x| x == **l)).collect();
    let extra: Vec<&String> = lines.iter().filter(|l| !want.contains(&l.as_str())).collect();
    assert!(missing.is_empty() && extra.is_empty(), "conform's records differ from the snapshot\nonly in the snapshot:\n{missing:#?}\nonly now:\n{extra:#?}");
}

/// `linkcheck conform --html FILE --timings corpus/basic`: exit status 0
/// (Wild's divergences there are known), the page names every case and
/// every default linker; the timings name every case.
#[test]
fn conform_html_writes_a_page_naming_every_case() {
    let corpus = basic_corpus();
    let dirs = find_cases(std::slice::from_ref(&corpus)).expect("the corpus can be searched");
    let out = tempfile::tempdir().expect("a temporary folder");
    let page = out.path().join("conform.html");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_linkcheck"))
        .arg("conform")
        .arg("--html")
        .arg(&page)
        .arg("--timings")
        .arg(&corpus)
        .output()
        .expect("linkcheck runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "stdout:\n{}\nstderr:\n{stderr}", String::from_utf8_lossy(&output.stdout));
    let html = std::fs::read_to_string(&page).expect("the page was written");
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    assert!(html.contains("<style>") && !html.contains("<link") && !html.contains("<script"));
    for linker in linkcheck::conform::DEFAULT_LINKERS {
        assert!(html.contains(linker), "the page lacks the default linker {linker}");
    }
    for dir in &dirs {
        let name = dir.file_name().expect("a case folder").to_string_lossy();
        assert!(html.contains(&*name), "the page lacks {name}");
        assert!(stderr.contains(&*name), "the timings lack {name}");
    }
    assert!(stderr.contains("median"), "{stderr}");
}
