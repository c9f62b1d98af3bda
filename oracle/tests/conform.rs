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
