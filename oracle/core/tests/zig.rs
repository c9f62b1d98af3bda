//! The Zig adapter (`linkcheck_core::zig`): wasm-ld command lines linked by
//! `zig build-exe -fno-lld`, against rust-lld, on objects clang-19 writes
//! (Zig reads only objects with a `target_features` section). Zig and
//! clang-19 are installed by scripts/setup.sh; a missing one fails the test
//! naming it.

use linkcheck_core::diagnostics::kind::{classify, Kind};
use linkcheck_core::discover::by_name;
use linkcheck_core::{check, CheckOptions, Linker, Outcome, Runner};
use std::path::Path;
use std::process::Command;

fn zig() -> Linker {
    by_name("zig").unwrap_or_else(|e| panic!("{e}"))
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

/// Compiles C `source` into `dir/name` with clang-19 (wasm32, -O1).
fn compile(dir: &Path, name: &str, source: &str) {
    let c = dir.join(name).with_extension("c");
    std::fs::write(&c, source).unwrap();
    let status = Command::new("clang-19")
        .args(["--target=wasm32", "-O1", "-c"])
        .arg(&c)
        .arg("-o")
        .arg(dir.join(name))
        .status()
        .unwrap_or_else(|e| panic!("clang-19 does not run ({e}): run scripts/setup.sh"));
    assert!(status.success(), "clang-19 failed on {name}");
}

const MAIN: &str = "__attribute__((import_module(\"wasi_snapshot_preview1\"), import_name(\"proc_exit\")))\n\
                    void proc_exit(int);\nint f1(void);\nvoid _start(void) { proc_exit(f1()); }\n";

#[test]
fn links_objects_and_an_archive_of_short_names_as_rust_lld_does() {
    let dir = tempfile::tempdir().unwrap();
    compile(dir.path(), "main.o", MAIN);
    compile(dir.path(), "m.o", "int f1(void) { return 17; }\nint f2(void) { return 3; }\n");
    // llvm-ar writes no `//` table for short names: the adapter rewrites it.
    let ar = Command::new("llvm-ar-19").args(["rcs", "libm.a", "m.o"]).current_dir(dir.path()).status();
    assert!(ar.is_ok_and(|s| s.success()), "llvm-ar-19 (scripts/setup.sh) failed");
    let runner = Runner::new().unwrap();
    let rust_lld = Linker::rust_lld().unwrap();
    for args in [strings(&["-o", "out.wasm", "main.o", "m.o"]), strings(&["-o", "out.wasm", "main.o", "-L.", "-lm"])] {
        let report = check(&[rust_lld.clone(), zig()], &args, dir.path(), &runner, &CheckOptions::default());
        let zig_report = &report.linkers[1];
        assert!(matches!(zig_report.outcome, Outcome::Linked { .. }), "{args:?}: {:?}", zig_report.outcome);
        assert_eq!(zig_report.run.as_ref().and_then(|r| r.exit_code), Some(17), "{args:?}");
        // Only Zig's known deviation remains: no __stack_pointer when unused.
        let keys: Vec<String> = report.comparisons[0].differences.iter().map(|d| d.key.to_string()).collect();
        assert!(keys.iter().all(|k| k == "global.__stack_pointer"), "{args:?}: {keys:?}");
    }
}

#[test]
fn options_without_a_zig_counterpart_are_not_run() {
    let dir = tempfile::tempdir().unwrap();
    compile(dir.path(), "main.o", MAIN);
    for option in ["-shared", "--whole-archive", "--import-undefined", "-r"] {
        let outcome = zig().link(&strings(&["-o", "out.wasm", option, "main.o"]), dir.path());
        match outcome {
            Outcome::Unsupported { reason } => assert!(reason.contains(option), "{option}: {reason}"),
            other => panic!("{option}: {other:?}"),
        }
    }
}

#[test]
fn zig_diagnostics_read_as_wasm_ld_kinds() {
    let dir = tempfile::tempdir().unwrap();
    compile(dir.path(), "main.o", MAIN);
    compile(dir.path(), "a.o", "int f1(void) { return 1; }\n");
    compile(dir.path(), "b.o", "int f1(void) { return 2; }\n");
    let duplicate = zig().link(&strings(&["-o", "out.wasm", "main.o", "a.o", "b.o"]), dir.path());
    let Outcome::Rejected { diagnostics } = &duplicate else { panic!("{duplicate:?}") };
    let kinds: Vec<(Kind, String)> = diagnostics.iter().map(|d| classify(d)).map(|c| (c.kind, c.symbol)).collect();
    assert!(kinds.contains(&(Kind::DuplicateSymbol, "f1".into())), "{diagnostics:?}");
    compile(dir.path(), "data.o", "extern int d;\nint f1(void) { return d; }\n");
    let undefined = zig().link(&strings(&["-o", "out.wasm", "main.o", "data.o"]), dir.path());
    let Outcome::Rejected { diagnostics } = &undefined else { panic!("{undefined:?}") };
    let kinds: Vec<(Kind, String)> = diagnostics.iter().map(|d| classify(d)).map(|c| (c.kind, c.symbol)).collect();
    assert!(kinds.contains(&(Kind::UndefinedSymbol, "d".into())), "{diagnostics:?}");
}
