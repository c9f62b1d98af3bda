use linkcheck_core::check::{check, check_phases, compare, CheckOptions, CheckReport, LinkerReport};
use linkcheck_core::diff::Difference;
use linkcheck_core::linker::{Linker, Outcome};
use linkcheck_core::run::Runner;
use testkit::inputs::*;
use wasm_encoder::Instruction as I;

fn linked(name: &str, body: &[I]) -> LinkerReport {
    let outcome = Outcome::Linked { bytes: wasi_command(body), warnings: vec![] };
    LinkerReport::from_outcome(name, outcome, &Runner::new().unwrap(), &CheckOptions::default())
}

fn keys(d: &[Difference]) -> Vec<String> {
    d.iter().map(|d| d.key.to_string()).collect()
}

/// Key, left and right value of each difference (explanations are checked
/// on their own).
fn triples(d: &[Difference]) -> Vec<(String, &str, &str)> {
    d.iter().map(|d| (d.key.to_string(), d.left.as_str(), d.right.as_str())).collect()
}

#[test]
fn identical_reports_agree() {
    let body = write_hi();
    assert_eq!(compare(&linked("a", &body), &linked("b", &body)), vec![]);
}

#[test]
fn different_stdout_is_run_stdout() {
    let mut quiet = write_hi();
    quiet.truncate(0);
    let d = compare(&linked("a", &write_hi()), &linked("b", &quiet));
    assert_eq!(triples(&d), [("run.stdout".to_string(), "\"hi\\n\"", "\"\"")]);
    assert!(d[0].explanation.contains("stdout") && d[0].explanation.contains("a's"), "{}", d[0].explanation);
}

#[test]
fn exit_code_and_trap_keys() {
    let d = compare(&linked("a", &[I::I32Const(1), I::Call(PROC_EXIT)]), &linked("b", &[I::Unreachable]));
    assert_eq!(keys(&d), ["run.exit_code", "run.trap"]);
    assert_eq!((d[0].left.as_str(), d[0].right.as_str()), ("1", "(none)"));
    assert_eq!((d[1].left.as_str(), d[1].right.as_str()), ("(none)", "unreachable"));
}

#[test]
fn outcome_difference_stops_there() {
    let rejected = LinkerReport::from_outcome(
        "b",
        Outcome::Rejected { diagnostics: vec!["error: x".into()] },
        &Runner::new().unwrap(),
        &CheckOptions::default(),
    );
    let d = compare(&linked("a", &[]), &rejected);
    assert_eq!(triples(&d), [("outcome".to_string(), "linked", "rejected")]);
    assert_eq!(d[0].explanation, "a linked the inputs, b rejected them");
    // Two rejections agree whatever their texts.
    let other = LinkerReport { name: "c".into(), outcome: Outcome::Rejected { diagnostics: vec![] }, ..rejected.clone() };
    assert_eq!(compare(&rejected, &other), vec![]);
}

#[test]
fn import_and_export_keys() {
    let a = linked("a", &[]);
    let mut b = a.clone();
    let m = b.module.as_mut().unwrap();
    m.imports.retain(|i| i.name != "missing");
    m.exports[1].ty = "func (i32)".into();
    let d = compare(&a, &b);
    assert_eq!(keys(&d), ["import.env.missing", "export._start"]);
    assert_eq!((d[0].left.as_str(), d[0].right.as_str()), ("func ()", "(absent)"));
}

#[test]
fn check_compares_first_with_each_other() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.wasm"), wasi_command(&write_hi())).unwrap();
    std::fs::write(dir.path().join("bad.wasm"), wasi_command(&[I::Unreachable])).unwrap();
    // `cp INPUT OUT`: a "linker" whose output is its first input.
    let copy = "out=\nprev=\nfor a in \"$@\"; do [ \"$prev\" = -o ] && out=$a; prev=$a; done\ncp \"$1\" \"$out\"";
    let cp = script(dir.path(), "cp-ld", copy);
    let first = script(dir.path(), "first-ld", &format!("shift; exec {} good.wasm \"$@\"", cp.display()));
    let linkers = [
        Linker::External { name: "one".into(), program: cp.clone(), leading_args: vec![] },
        Linker::External { name: "two".into(), program: cp.clone(), leading_args: vec![] },
        Linker::External { name: "three".into(), program: first, leading_args: vec![] },
    ];
    let runner = Runner::new().unwrap();
    let r: CheckReport = check(&linkers, &strings(&["bad.wasm"]), dir.path(), &runner, &CheckOptions::default());
    assert!(!r.agree);
    assert_eq!(r.comparisons.len(), 2);
    assert!(r.comparisons[0].differences.is_empty());
    assert_eq!((r.comparisons[1].left.as_str(), r.comparisons[1].right.as_str()), ("one", "three"));
    let k = keys(&r.comparisons[1].differences);
    assert_eq!(k[..3], ["run.exit_code", "run.trap", "run.stdout"]);
    // The structural comparison localises it: `_start`'s body differs.
    assert!(k[3..].iter().all(|k| k.starts_with("func.") && k.ends_with(".body")) && k.len() == 4, "{k:?}");
    let text = linkcheck_core::report::render_text(&r);
    assert!(text.contains("== one vs two: agree\n"), "{text}");
    assert!(text.ends_with("diverge\n"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&linkcheck_core::report::render_json(&r)).unwrap();
    assert_eq!(json["linkers"][0]["outcome"]["kind"], "linked");
    assert_eq!(json["linkers"][2]["run"]["stdout"], "hi\n");
    assert_eq!(json["comparisons"][1]["differences"][0]["key"], "run.exit_code");
}

#[test]
fn check_phases_gives_the_report_check_gives() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.wasm"), wasi_command(&write_hi())).unwrap();
    std::fs::write(dir.path().join("bad.wasm"), wasi_command(&[I::Unreachable])).unwrap();
    let copy = "out=\nprev=\nfor a in \"$@\"; do [ \"$prev\" = -o ] && out=$a; prev=$a; done\ncp \"$1\" \"$out\"";
    let cp = script(dir.path(), "cp-ld", copy);
    let linkers = [
        Linker::External { name: "good".into(), program: cp.clone(), leading_args: vec!["good.wasm".into()] },
        Linker::External { name: "bad".into(), program: cp, leading_args: vec!["bad.wasm".into()] },
    ];
    let (runner, options) = (Runner::new().unwrap(), CheckOptions::default());
    let args = strings(&["-o", "out.wasm"]);
    let (report, times) = check_phases(&linkers, &args, dir.path(), &runner, &options);
    assert_eq!(report, check(&linkers, &args, dir.path(), &runner, &options));
    assert!(!report.agree);
    assert_eq!(times.links.len(), 2);
}

fn rejected(name: &str, diagnostics: &[&str]) -> LinkerReport {
    let outcome = Outcome::Rejected { diagnostics: diagnostics.iter().map(|d| d.to_string()).collect() };
    LinkerReport::from_outcome(name, outcome, &Runner::new().unwrap(), &CheckOptions::default())
}

#[test]
fn rejections_compare_diagnostic_kinds_and_symbols() {
    // Same kinds and symbols, different files, wording of `>>>` lines and
    // `other` diagnostics: they agree.
    let a = rejected(
        "a",
        &["error: a.o: undefined symbol: f\n>>> did you mean: g (defined in b.o)", "error: too many errors", "error: b.o: undefined symbol: f"],
    );
    let b = rejected("b", &["error: lib.a(x.o): undefined symbol: f", "error: a.o: undefined symbol: f"]);
    assert_eq!(compare(&a, &b), vec![]);
    // One report fewer, another symbol, a warning instead of an error.
    let c = rejected(
        "c",
        &["error: a.o: undefined symbol: f", "error: a.o: undefined symbol: h", "warning: function signature mismatch: s"],
    );
    let d = rejected("d", &["error: a.o: undefined symbol: f", "error: a.o: undefined symbol: f", "error: function signature mismatch: s"]);
    let diffs = compare(&c, &d);
    assert_eq!(keys(&diffs), ["diag.signature-mismatch.s", "diag.undefined-symbol.f", "diag.undefined-symbol.h", "warn.signature-mismatch.s"]);
    let values: Vec<(&str, &str)> = diffs.iter().map(|d| (d.left.as_str(), d.right.as_str())).collect();
    assert_eq!(values, [("(absent)", "1"), ("1", "2"), ("1", "(absent)"), ("1", "(absent)")]);
}

#[test]
fn warnings_of_linked_outputs_are_compared_first() {
    let a = linked("a", &[]);
    let mut b = a.clone();
    if let Outcome::Linked { warnings, .. } = &mut b.outcome {
        warnings.push("warning: a.o: undefined symbol: missing".into());
        warnings.push("warning: dynamic imports are not yet stable (--unresolved-symbols=import-dynamic)".into());
    }
    b.module.as_mut().unwrap().imports.retain(|i| i.name != "missing");
    let d = compare(&a, &b);
    assert_eq!(keys(&d), ["warn.undefined-symbol.missing", "import.env.missing"]);
    assert_eq!((d[0].left.as_str(), d[0].right.as_str()), ("(absent)", "1"));
}
