//! The real programs through every linker (`refld_tests::real::conform`,
//! what `cargo run -p refld-tests --bin real-conform` prints as a matrix).
//!
//! For each program, one `linkcheck_core::check` with refld first
//! and every linker `linkcheck_core::discover` expects (rust-lld, wasm-ld-14/16/19/22,
//! Wild; a missing one fails the test, naming scripts/setup.sh):
//! - the report covers every linker, in order, one report each;
//! - refld, rust-lld and wasm-ld-22 link it, and refld agrees with rust-lld
//!   and with wasm-ld-22: no difference at all (structural ones included);
//! - every difference any linker shows is localized: its key names a
//!   function, data, global, table or tag symbol (or a diagnostic's
//!   symbol), or is a whole-module key (`outcome`, `import.*`, `export.*`,
//!   `run.*`, `layout.*`, ...); a key of no known shape fails.
//!
//! Programs are cached (tests/src/real); the costly part is running and
//! canonicalizing seven outputs per program (about a minute for SQLite).

use anyhow::{ensure, Result};
use linkcheck_core::CheckReport;
use refld_tests::real::{self, conform};

/// Names of the linkers every report must cover, refld first.
fn expected_names() -> Result<Vec<String>> {
    let (linkers, _) = conform::all_linkers(Vec::new())?;
    Ok(linkers.iter().map(|l| l.name().to_string()).collect())
}

fn check(name: &str) -> Result<CheckReport> {
    let program = real::build(name)?;
    let (linkers, _) = conform::all_linkers(Vec::new())?;
    let runner = linkcheck_core::Runner::new().map_err(anyhow::Error::msg)?;
    Ok(conform::check_program(&program, &linkers, &runner))
}

fn every_linker_reported(name: &str, report: &CheckReport) -> Result<()> {
    let names: Vec<&str> = report.linkers.iter().map(|l| l.name.as_str()).collect();
    let expected = expected_names()?;
    ensure!(names == expected, "{name}: reports for {names:?}, expected {expected:?}");
    let right: Vec<&str> = report.comparisons.iter().map(|c| c.right.as_str()).collect();
    ensure!(right == names[1..], "{name}: comparisons with {right:?}, expected {:?}", &names[1..]);
    ensure!(
        report.comparisons.iter().all(|c| c.left == "refld"),
        "{name}: every comparison must be with refld"
    );
    for wanted in ["refld", "rust-lld", "wasm-ld-22"] {
        let l = report.linkers.iter().find(|l| l.name == wanted);
        let kind = l.map(|l| l.outcome.kind());
        ensure!(kind == Some("linked"), "{name}: {wanted} did not link it: {kind:?}");
    }
    Ok(())
}

fn refld_agrees_with_wasm_ld(name: &str, report: &CheckReport) -> Result<()> {
    for other in ["rust-lld", "wasm-ld-22"] {
        let c = report.comparisons.iter().find(|c| c.right == other);
        let Some(c) = c else { anyhow::bail!("{name}: no comparison with {other}") };
        let keys: Vec<String> =
            c.differences.iter().map(|d| format!("{}: {} / {}", d.key, d.left, d.right)).collect();
        ensure!(keys.is_empty(), "{name}: refld differs from {other}:\n{}", keys.join("\n"));
    }
    Ok(())
}

fn every_difference_localized(name: &str, report: &CheckReport) -> Result<()> {
    let located = conform::located(name, report);
    let unplaced: Vec<String> = located
        .iter()
        .filter(|d| matches!(d.locus, conform::Locus::Unknown(_)))
        .map(|d| format!("{} vs refld: {}", d.linker, d.difference.key))
        .collect();
    ensure!(unplaced.is_empty(), "{name}: differences without a symbol or module key:\n{}", unplaced.join("\n"));
    // A symbol locus must name something.
    for d in &located {
        ensure!(
            d.locus.symbol() != Some(""),
            "{name}: {} vs refld: {} names an empty symbol",
            d.linker,
            d.difference.key
        );
    }
    Ok(())
}

fn program(name: &str) -> Result<()> {
    let report = check(name)?;
    every_linker_reported(name, &report)?;
    refld_agrees_with_wasm_ld(name, &report)?;
    every_difference_localized(name, &report)?;
    // What the matrix shows, with --nocapture.
    let cells: Vec<String> = report
        .linkers
        .iter()
        .zip(conform::cells(&report))
        .map(|(l, c)| format!("{}={}", l.name, c.text()))
        .collect();
    println!("{name}: {}", cells.join("  "));
    Ok(())
}

#[test]
fn sqlite() -> Result<()> {
    program("sqlite")
}

#[test]
fn lua() -> Result<()> {
    program("lua")
}

#[test]
fn zlib() -> Result<()> {
    program("zlib")
}

#[test]
fn cpp() -> Result<()> {
    program("cpp")
}

#[test]
fn multi() -> Result<()> {
    program("multi")
}

#[test]
fn zlib64() -> Result<()> {
    program("zlib64")
}

#[test]
fn zlib_threads() -> Result<()> {
    program("zlib_threads")
}

/// Debian's rustc 1.63 std program, with rustc's own link line less
/// `--fatal-warnings` (tests/src/real/rust.rs says why).
#[test]
fn rust_std() -> Result<()> {
    program("rust_std")
}

#[test]
fn every_program_is_checked() {
    assert_eq!(real::NAMES, ["sqlite", "lua", "zlib", "cpp", "multi", "zlib64", "zlib_threads", "rust_std"], "add a test above for the new program");
}

#[test]
fn the_tool_rejects_unknown_arguments() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_real-conform"))
        .arg("--frobnicate")
        .output()
        .expect("real-conform runs");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown argument `--frobnicate`") && stderr.contains("usage"), "{stderr}");
}
