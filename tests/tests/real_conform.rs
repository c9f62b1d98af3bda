//! The real programs through every linker (`refld_tests::real::conform`,
//! what `cargo run -p refld-tests --bin real-conform` prints as a matrix).
//!
//! For each program, one `linkcheck_core::check` with refld first
//! and every linker `linkcheck_core::discover` expects (rust-lld, wasm-ld-14/16/19/22,
//! Wild, Zig; a missing one fails the test, naming scripts/setup.sh):
//! - the report covers every linker, in order, one report each;
//! - refld, rust-lld and wasm-ld-22 link it, and refld agrees with rust-lld
//!   and with wasm-ld-22: no difference at all (structural ones included);
//! - every difference any linker shows is localized: its key names a
//!   function, data, global, table or tag symbol (or a diagnostic's
//!   symbol), or is a whole-module key (`outcome`, `import.*`, `export.*`,
//!   `run.*`, `layout.*`, ...); a key of no known shape fails.
//!
//! For each program that links wasi-libc, the same with Zig's own libc
//! (`NAME+zig-libc`: compiled against Zig's headers, linked with Zig's
//! crt1, libc.a, libzigc.a and compiler-rt; tests/src/real/zig_libc.rs),
//! with refld, rust-lld, wasm-ld-22 and Zig:
//! - refld, rust-lld and wasm-ld-22 link it and agree: no difference;
//! - each of their runs exits 0 and prints the program's expected lines
//!   (`refld_tests::real::expected_lines`), none of its forbidden text;
//! - Zig's result is reported (its outcome and cell printed) and every
//!   difference of Zig's is localized as above. Zig is not required to
//!   agree: its known bugs (corpus/found/zig_*) show here.
//!
//! Programs are cached (tests/src/real); the costly part is running and
//! canonicalizing seven outputs per program (about a minute for SQLite).
//! A missing tool (Zig included) fails the test with what installs it.

use anyhow::{ensure, Context, Result};
use linkcheck_core::{CheckReport, Linker};
use refld_tests::real::{self, conform, Libc};

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

/// refld, rust-lld, wasm-ld-22 and Zig, by name (each required).
fn zig_libc_linkers() -> Result<Vec<Linker>> {
    ["refld", "rust-lld", "wasm-ld-22", "zig"]
        .iter()
        .map(|n| linkcheck_core::discover::by_name(n).map_err(anyhow::Error::msg).with_context(|| format!("{n} (scripts/setup.sh installs it)")))
        .collect()
}

/// A linker's run exited 0 and printed `name`'s expected lines in order,
/// none of its forbidden text.
fn run_prints_expected_lines(name: &str, report: &CheckReport, linker: &str) -> Result<()> {
    let l = report.linkers.iter().find(|l| l.name == linker).with_context(|| format!("{name}: no report for {linker}"))?;
    let run = l.run.as_ref().with_context(|| format!("{name}: {linker}'s output was not run"))?;
    let stdout = String::from_utf8_lossy(&run.stdout);
    let context = || format!("{name} linked by {linker}: exit {:?}, trap {:?}\nstdout:\n{stdout}", run.exit_code, run.trap);
    ensure!(run.exit_code == Some(real::expected_exit(name)) && run.trap.is_none(), "{}", context());
    let mut lines = stdout.lines();
    for want in real::expected_lines(name) {
        ensure!(lines.any(|line| line.contains(want)), "expected line `{want}` missing (or out of order): {}", context());
    }
    for bad in real::forbidden_text(name) {
        ensure!(!stdout.contains(bad), "forbidden text `{bad}` printed: {}", context());
    }
    Ok(())
}

fn zig_libc_program(name: &str) -> Result<()> {
    let program = real::build_with(name, Libc::Zig)?;
    let label = program.label();
    ensure!(
        program.inputs().iter().any(|a| a.contains("zig-libc-")) && !program.inputs().iter().any(|a| a.contains("/usr/lib/wasm32-wasi")),
        "{label}: the link line must name Zig's libc and not Debian's: {:?}",
        program.inputs()
    );
    let linkers = zig_libc_linkers()?;
    let runner = linkcheck_core::Runner::new().map_err(anyhow::Error::msg)?;
    let report = conform::check_program(&program, &linkers, &runner);
    let names: Vec<&str> = report.linkers.iter().map(|l| l.name.as_str()).collect();
    ensure!(names == ["refld", "rust-lld", "wasm-ld-22", "zig"], "{label}: reports for {names:?}");
    refld_agrees_with_wasm_ld(&label, &report)?;
    for linker in ["refld", "rust-lld", "wasm-ld-22"] {
        run_prints_expected_lines(name, &report, linker)?;
    }
    every_difference_localized(&label, &report)?;
    let cells = conform::cells(&report);
    let zig = &report.linkers[3];
    println!(
        "{label}: zig {} ({}), {} difference(s) from refld",
        zig.outcome.kind(),
        cells[3].text(),
        report.comparisons[2].differences.len()
    );
    Ok(())
}

#[test]
fn sqlite_zig_libc() -> Result<()> {
    zig_libc_program("sqlite")
}

#[test]
fn lua_zig_libc() -> Result<()> {
    zig_libc_program("lua")
}

#[test]
fn zlib_zig_libc() -> Result<()> {
    zig_libc_program("zlib")
}

#[test]
fn multi_zig_libc() -> Result<()> {
    zig_libc_program("multi")
}

#[test]
fn every_zig_libc_program_is_checked() {
    assert_eq!(real::ZIG_LIBC_NAMES, ["sqlite", "lua", "zlib", "multi"], "add a test above for the new program");
}

#[test]
fn zig_libc_refuses_other_programs() {
    for name in ["cpp", "zlib64", "zlib_threads", "rust_std"] {
        let err = real::build_with(name, Libc::Zig).expect_err(name).to_string();
        assert!(err.contains("does not link with Zig's libc"), "{name}: {err}");
    }
}

#[test]
fn every_program_is_checked() {
    assert_eq!(real::NAMES, ["sqlite", "lua", "zlib", "cpp", "multi", "zlib64", "zlib_threads", "rust_std"], "add a test above for the new program");
}

#[test]
fn the_tool_rejects_zig_libc_rows_without_zig() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_real-conform"))
        .args(["--program", "zlib+zig-libc"])
        .output()
        .expect("real-conform runs");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("needs Zig among the linkers"), "{stderr}");
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
