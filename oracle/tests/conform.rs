//! The corpus (`corpus/` at the workspace root) through `linkcheck conform`'s
//! library API: every case must be prepared, linked alike by refld
//! (in-process) and rust-lld, and meet its `expect` (outcome, exit code,
//! imports). Needs clang-19 and llvm-mc-19 (scripts/setup.sh installs them)
//! and the toolchain's rust-lld; a missing tool fails the test, never skips it.

use linkcheck::check::CheckOptions;
use linkcheck::conform::render::render_matrix;
use linkcheck::conform::run_cases;
use linkcheck::corpus::find_cases;
use linkcheck::linker::Linker;
use linkcheck::run::Runner;
use std::path::Path;

#[test]
fn every_corpus_case_agrees_and_meets_its_expectation() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace root").join("corpus");
    let dirs = find_cases(std::slice::from_ref(&corpus)).expect("the corpus can be searched");
    assert!(dirs.len() >= 8, "expected at least 8 cases under {}, found {}", corpus.display(), dirs.len());
    let linkers = [Linker::Reference, Linker::rust_lld().expect("rust-lld of the active toolchain")];
    let runner = Runner::new().expect("wasmtime runner");
    let report = run_cases(&dirs, &linkers, &runner, &CheckOptions::default(), &mut |_| {});
    let failing: Vec<String> = report
        .cases
        .iter()
        .filter(|c| !(c.agrees() && c.meets_expectation()))
        .map(|c| c.dir.display().to_string())
        .collect();
    assert!(failing.is_empty(), "failing cases: {failing:?}\n{}", render_matrix(&report));
    assert_eq!(report.summary().agree, dirs.len());
}

fn basic_corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace root").join("corpus").join("basic")
}

/// The acceptance: two runs give the same result (the JSON records
/// of `conform --json`; timings are not part of them).
#[test]
fn two_runs_of_the_basic_corpus_give_the_same_json() {
    use linkcheck::conform::render::render_json_lines;
    let dirs = find_cases(&[basic_corpus()]).expect("the corpus can be searched");
    assert!(!dirs.is_empty());
    let linkers = [Linker::Reference, Linker::rust_lld().expect("rust-lld of the active toolchain")];
    let runner = Runner::new().expect("wasmtime runner");
    let run = || render_json_lines(&run_cases(&dirs, &linkers, &runner, &CheckOptions::default(), &mut |_| {}));
    let (first, second) = (run(), run());
    assert_eq!(first.lines().count(), dirs.len() * linkers.len());
    assert_eq!(first, second);
}

/// `linkcheck conform --html FILE --timings corpus/basic`: the page names
/// every case and every linker; the timings name every case.
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
    assert!(html.contains("refld") && html.contains("rust-lld"));
    for dir in &dirs {
        let name = dir.file_name().expect("a case folder").to_string_lossy();
        assert!(html.contains(&*name), "the page lacks {name}");
        assert!(stderr.contains(&*name), "the timings lack {name}");
    }
    assert!(stderr.contains("median"), "{stderr}");
}
