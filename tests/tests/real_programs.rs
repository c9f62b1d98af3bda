//! Real programs end to end: each of the programs of
//! `refld_tests::real` is linked by rust-lld (a subprocess) and by refld (in
//! process), both outputs are validated, run under wasmtime with WASI
//! preview 1, and must print the same stdout and exit the same way.
//!
//! `NAME::rust_lld` tests check the program itself (its build, its expected
//! output) with the reference toolchain alone, so a broken program is never
//! mistaken for a linker bug. `NAME::refld_matches_rust_lld` tests are the
//! linker tests proper. Runs use the oracle's runner
//! (`linkcheck_core::run::run_wasi_command`): deterministic clocks and random.

use anyhow::{bail, ensure, Context, Result};
use refld_tests::real::{self, RealProgram};
use std::path::Path;
use std::process::Command;

use linkcheck_core::run::{RunLimits, RunResult};

/// Runs a linked program with the oracle's deterministic WASI runner.
fn run(bytes: &[u8]) -> RunResult {
    // The default fuel (2·10⁹) is ample: the costliest run (zlib) needs
    // about 2.5·10⁸.
    linkcheck_core::run::run_wasi_command(bytes, &RunLimits::default())
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Links `p` with rust-lld into `<dir>/<file>` and returns the bytes.
fn link_rust_lld(p: &RealProgram, file: &str) -> Result<Vec<u8>> {
    let out = p.dir.join(file);
    let lld = testkit::rust_lld_path().map_err(anyhow::Error::msg)?;
    let mut cmd = Command::new(&lld);
    cmd.args(p.link_args_with_output(&out)).current_dir(&p.dir);
    let result = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    if !result.status.success() {
        bail!(
            "rust-lld failed to link `{}` ({}): {cmd:?}\n{}",
            p.name,
            result.status,
            String::from_utf8_lossy(&result.stderr)
        );
    }
    std::fs::read(&out).with_context(|| format!("reading rust-lld's output {}", out.display()))
}

/// Links `p` with refld in process; keeps a copy in `<dir>/refld.wasm` for
/// inspection.
fn link_refld(p: &RealProgram) -> Result<Vec<u8>> {
    let out = p.dir.join("refld.wasm");
    let args = p.link_args_with_output(&out);
    let outcome = refld::driver::link_command_line(&args, &p.dir);
    let diagnostics: Vec<String> = outcome.diagnostics.iter().map(|d| d.to_string()).collect();
    let Some(bytes) = outcome.bytes else {
        bail!(
            "refld failed to link `{}` (args: {args:?}):\n{}",
            p.name,
            diagnostics.join("\n")
        );
    };
    std::fs::write(&out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    Ok(bytes)
}

/// Validates a linked module with every feature wasmparser knows.
fn validate(bytes: &[u8], who: &str, p: &RealProgram) -> Result<()> {
    testkit::validate_all_features(bytes)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("{who}'s output for `{}` does not validate", p.name))?;
    Ok(())
}

/// Checks that a run exited with the expected code (0, or the freestanding
/// builds' computed one), printed the expected lines in order (each a
/// substring of one line) and none of the forbidden text.
fn check_semantics(run: &RunResult, p: &RealProgram, who: &str) -> Result<()> {
    let stdout = text(&run.stdout);
    let context = || {
        format!(
            "`{}` linked by {who}\nstdout:\n{stdout}\nstderr:\n{}",
            p.name,
            text(&run.stderr)
        )
    };
    ensure!(
        run.exit_code == Some(real::expected_exit(p.name)) && run.trap.is_none(),
        "exit {:?}, trap {:?} ({:?}): {}",
        run.exit_code,
        run.trap,
        run.message,
        context()
    );
    let mut lines = stdout.lines();
    for want in p.expected_lines() {
        ensure!(
            lines.any(|line| line.contains(want)),
            "expected line `{want}` missing (or out of order): {}",
            context()
        );
    }
    for bad in real::forbidden_text(p.name) {
        ensure!(
            !stdout.contains(bad),
            "forbidden text `{bad}` printed: {}",
            context()
        );
    }
    Ok(())
}

/// The first line where two outputs differ, for a short failure message.
fn first_difference(a: &str, b: &str) -> String {
    let (mut la, mut lb) = (a.lines(), b.lines());
    for n in 1.. {
        match (la.next(), lb.next()) {
            (None, None) => return "same lines (differs in line endings)".into(),
            (x, y) if x != y => return format!("line {n}: rust-lld {x:?}, refld {y:?}"),
            _ => {}
        }
    }
    unreachable!()
}

/// Builds, links with rust-lld, validates, runs: the program alone.
fn program_with_rust_lld(name: &str) -> Result<()> {
    let p = real::build(name)?;
    let bytes = link_rust_lld(&p, "rust-lld-only.wasm")?;
    validate(&bytes, "rust-lld", &p)?;
    let run = run(&bytes);
    // Shown with --nocapture: what the program prints and what it cost.
    println!(
        "`{name}` linked by rust-lld printed ({} fuel):\n{}",
        run.fuel_consumed,
        text(&run.stdout)
    );
    check_semantics(&run, &p, "rust-lld")
}

/// Links with both linkers and compares what the outputs do.
fn refld_matches_rust_lld(name: &str) -> Result<()> {
    let p = real::build(name)?;
    let expected = link_rust_lld(&p, "rust-lld.wasm")?;
    let expected_run = run(&expected);
    let actual = link_refld(&p)?;
    validate(&actual, "refld", &p)?;
    let actual_run = run(&actual);
    ensure!(
        actual_run.stdout == expected_run.stdout,
        "`{name}`: refld's stdout differs from rust-lld's: {}\nrefld stdout:\n{}\nrefld stderr:\n{}",
        first_difference(&text(&expected_run.stdout), &text(&actual_run.stdout)),
        text(&actual_run.stdout),
        text(&actual_run.stderr)
    );
    ensure!(
        (actual_run.exit_code, &actual_run.trap) == (expected_run.exit_code, &expected_run.trap),
        "`{name}`: refld's run ended with exit {:?} trap {:?} ({:?}), rust-lld's with exit {:?} trap {:?}",
        actual_run.exit_code,
        actual_run.trap,
        actual_run.message,
        expected_run.exit_code,
        expected_run.trap
    );
    // Same behaviour is not enough if both are wrong.
    check_semantics(&actual_run, &p, "refld")
}

/// `linkcheck diff -- <the program's link arguments>` (refld in process
/// against rust-lld) must print `agree` and report no difference.
fn linkcheck_diff_agrees(name: &str) -> Result<()> {
    use linkcheck_core::check::{check, CheckOptions};
    use linkcheck_core::linker::Linker;
    let p = real::build(name)?;
    let linkers = [Linker::Reference, Linker::rust_lld().map_err(|e| anyhow::anyhow!("{e:?}"))?];
    let runner = linkcheck_core::run::Runner::new().map_err(anyhow::Error::msg)?;
    let report = check(&linkers, &p.inputs(), &p.dir, &runner, &CheckOptions::default());
    let text = linkcheck_core::report::render_text(&report);
    ensure!(report.agree, "{name}: linkcheck diff found differences:\n{text}");
    ensure!(text.trim_end().ends_with("agree"), "{name}: report does not end in `agree`:\n{text}");
    ensure!(report.linkers.iter().all(|l| l.outcome.kind() == "linked"), "{name}: not every linker linked:\n{text}");
    Ok(())
}

macro_rules! program_tests {
    ($($name:ident),*) => {$(
        mod $name {
            #[test]
            fn rust_lld() -> anyhow::Result<()> {
                super::program_with_rust_lld(stringify!($name))
            }
            #[test]
            fn refld_matches_rust_lld() -> anyhow::Result<()> {
                super::refld_matches_rust_lld(stringify!($name))
            }
            #[test]
            fn linkcheck_diff_agrees() -> anyhow::Result<()> {
                super::linkcheck_diff_agrees(stringify!($name))
            }
        }
    )*};
}

program_tests!(sqlite, lua, zlib, cpp, multi, zlib64, zlib_threads, rust_std);

#[test]
fn every_program_has_a_test_and_expectations() {
    let tested = ["sqlite", "lua", "zlib", "cpp", "multi", "zlib64", "zlib_threads", "rust_std"];
    assert_eq!(
        real::NAMES,
        tested,
        "add the new program to program_tests! above"
    );
    for name in real::NAMES {
        assert!(
            !real::expected_lines(name).is_empty() || real::expected_exit(name) != 0,
            "{name} has no expected lines and no expected exit code"
        );
    }
}

#[test]
fn link_args_are_absolute_and_name_their_output() -> Result<()> {
    let p = real::build("multi")?;
    let out = Path::new("/tmp/x.wasm");
    let args = p.link_args_with_output(out);
    ensure!(
        args.ends_with(&["-o".to_string(), "/tmp/x.wasm".to_string()]),
        "{args:?}"
    );
    ensure!(args.iter().filter(|a| *a == "-o").count() == 1, "{args:?}");
    ensure!(
        real::diff_args(&p).iter().all(|a| a != "-o"),
        "diff args keep -o"
    );
    for a in &args {
        if a.ends_with(".o") || a.ends_with(".a") {
            ensure!(
                Path::new(a).is_absolute() && Path::new(a).is_file(),
                "input {a} is not an absolute existing file"
            );
        }
    }
    Ok(())
}
