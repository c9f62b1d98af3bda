use testkit::inputs::*;
use linkcheck_core::linker::{Linker, Outcome};
use std::time::{Duration, Instant};

fn fake(dir: &std::path::Path, body: &str) -> Linker {
    Linker::External { name: "fake".into(), program: script(dir, "fake-ld", body), leading_args: vec![] }
}

#[test]
fn hanging_linker_times_out() {
    let dir = tempfile::tempdir().unwrap();
    // The shell waits for its child: killing only the shell would leave
    // `sleep` holding the pipes; the whole group must go.
    let linker = fake(dir.path(), "sleep 30\necho late");
    let start = Instant::now();
    let outcome = linker.link_with_timeout(&strings(&["a.o"]), dir.path(), Duration::from_millis(300));
    assert_eq!(outcome, Outcome::TimedOut);
    assert!(start.elapsed() < Duration::from_secs(10), "took {:?}", start.elapsed());
}

#[test]
fn segfaulting_linker_crashed() {
    let dir = tempfile::tempdir().unwrap();
    let outcome = fake(dir.path(), "echo dying >&2\nkill -SEGV $$").link(&strings(&["a.o"]), dir.path());
    match outcome {
        Outcome::Crashed { status, stderr } => {
            assert!(status.starts_with("signal 11"), "{status}");
            assert_eq!(stderr, "dying\n");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn odd_exits_are_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let o = fake(dir.path(), "exit 3").link(&[], dir.path());
    assert!(matches!(&o, Outcome::Crashed { status, .. } if status == "exit status 3"), "{o:?}");
    let o = fake(dir.path(), "exit 0").link(&[], dir.path());
    assert!(matches!(&o, Outcome::Crashed { status, .. } if status.contains("without an output")), "{o:?}");
    let missing = Linker::External { name: "x".into(), program: dir.path().join("nope"), leading_args: vec![] };
    assert!(matches!(missing.link(&[], dir.path()), Outcome::Crashed { .. }));
}

#[test]
fn rejection_diagnostics_are_parsed() {
    let dir = tempfile::tempdir().unwrap();
    let body = "echo \"$0: warning: w1\" >&2\necho \"$0: error: a.o: undefined symbol: f\" >&2\n\
                echo '>>> referenced by a.o' >&2\nexit 1";
    let o = fake(dir.path(), body).link(&strings(&["a.o"]), dir.path());
    assert_eq!(
        o,
        Outcome::Rejected {
            diagnostics: strings(&["warning: w1", "error: a.o: undefined symbol: f\n>>> referenced by a.o"])
        }
    );
}

#[test]
fn output_goes_to_a_temporary_file_and_inputs_resolve_against_cwd() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.bin"), b"payload").unwrap();
    // Copies its first argument to the value after the last -o; prints
    // all arguments on stderr as a warning.
    let body = "out=\nprev=\nfor a in \"$@\"; do [ \"$prev\" = -o ] && out=$a; prev=$a; done\n\
                echo \"fake: warning: args $*\" >&2\ncp \"$1\" \"$out\"";
    let args = strings(&["in.bin", "-o", "user.wasm", "--export=x"]);
    let o = fake(dir.path(), body).link(&args, dir.path());
    let Outcome::Linked { bytes, warnings } = o else { panic!("{o:?}") };
    assert_eq!(bytes, b"payload");
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].starts_with("warning: args in.bin --export=x -o /"), "{warnings:?}");
    // The temporary file keeps the caller's file name (the name section's
    // module name comes from it).
    assert!(warnings[0].ends_with("/user.wasm"), "{warnings:?}");
    assert!(!dir.path().join("user.wasm").exists(), "the user's -o is not written");
}

#[test]
fn spec_parsing() {
    let l = Linker::from_spec("lld=rust-lld -flavor wasm").unwrap();
    assert_eq!(
        l,
        Linker::External { name: "lld".into(), program: "rust-lld".into(), leading_args: strings(&["-flavor", "wasm"]) }
    );
    assert!(Linker::from_spec("nothing").is_err());
    assert!(Linker::from_spec("=x").is_err());
    assert_eq!(Linker::Reference.name(), "refld");
}

#[test]
fn rust_lld_links_an_encoded_object() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("exit5.o"), object_calling_proc_exit(5, true)).unwrap();
    let lld = Linker::rust_lld().expect("rust-lld of the active toolchain");
    assert_eq!(lld.name(), "rust-lld");
    let o = lld.link(&strings(&["exit5.o", "-o", "exit5.wasm"]), dir.path());
    let Outcome::Linked { bytes, warnings } = &o else { panic!("{o:?}") };
    assert!(warnings.is_empty(), "{warnings:?}");
    let summary = linkcheck_core::describe::describe(bytes).unwrap();
    assert_eq!(summary.invalid, None);
    let imports: Vec<_> = summary.imports.iter().map(|i| format!("{}.{}: {}", i.module, i.name, i.ty)).collect();
    assert_eq!(imports, ["wasi_snapshot_preview1.proc_exit: func (i32)"]);
    let exports: Vec<_> = summary.exports.iter().map(|e| format!("{}: {}", e.name, e.ty)).collect();
    assert_eq!(exports, ["memory: memory", "_start: func ()"]);
    let run = linkcheck_core::run::run_wasi_command(bytes, &Default::default());
    assert_eq!(run.exit_code, Some(5), "{run:?}");
}

#[test]
fn rust_lld_rejects_an_undefined_symbol() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("u.o"), object_calling_proc_exit(5, false)).unwrap();
    let o = Linker::rust_lld().unwrap().link(&strings(&["u.o"]), dir.path());
    let Outcome::Rejected { diagnostics } = &o else { panic!("{o:?}") };
    assert!(diagnostics.iter().any(|d| d.starts_with("error: ") && d.contains("undefined symbol: proc_exit")), "{diagnostics:?}");
}
