//! One-line explanations of differences: every key family of
//! `linkcheck_core::diff` on reports built by hand, and the structural keys of a
//! `check` run (the canonical comparison's own explanations, named by
//! linker); allowed differences are kept apart with their reasons.

use testkit::inputs::*;
use linkcheck_core::allow::{AllowList, Allowance};
use linkcheck_core::check::{check, CheckOptions, LinkerReport};
use linkcheck_core::describe::{Export, Import, ModuleSummary};
use linkcheck_core::check::compare;
use linkcheck_core::diff::{explain_difference, ordinal, Difference};
use linkcheck_core::key::{DiffKey, ItemKind};
use linkcheck_core::linker::{Linker, Outcome};
use linkcheck_core::run::{ExportCall, HostCall, RunResult, Runner};
use std::sync::Arc;
use wasm_encoder::Instruction as I;

fn report(name: &str, outcome: Outcome) -> LinkerReport {
    LinkerReport { name: name.into(), outcome, module: None, module_error: None, run: None, side_modules: Vec::new() }
}

fn linked(name: &str, warnings: &[&str]) -> LinkerReport {
    let outcome = Outcome::Linked { bytes: vec![0, 97, 115, 109], warnings: strings(warnings) };
    let module = ModuleSummary {
        imports: vec![Import { module: "env".into(), name: "f".into(), ty: "func () -> i32".into() }],
        exports: vec![Export { name: "_start".into(), kind: "func".into(), ty: "func ()".into() }],
        invalid: None,
        dylink: None,
    };
    let run = RunResult {
        stdout: b"hi\n".to_vec(),
        stderr: Vec::new(),
        exit_code: Some(3),
        trap: None,
        message: None,
        fuel_consumed: 10,
        host_calls: vec![],
        host_call_count: 0,
        calls: vec![],
    };
    LinkerReport { module: Some(module), run: Some(run), ..report(name, outcome) }
}

fn host_call(module: &str, field: &str, arg: &str) -> HostCall {
    HostCall { module: module.into(), field: field.into(), args: vec![arg.into()] }
}

/// The difference under `key`, which must be there.
fn find<'a>(d: &'a [Difference], key: &str) -> &'a Difference {
    d.iter().find(|d| d.key == key).unwrap_or_else(|| panic!("no {key} in {d:?}"))
}

#[test]
fn outcome_explanation_names_both_linkers_and_outcomes() {
    let rejected = report("refld", Outcome::Rejected { diagnostics: strings(&["error: main.o: undefined symbol: foo"]) });
    let d = compare(&rejected, &linked("wild", &[]));
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].explanation, "refld rejected the inputs, wild linked them");
    let crashed = report("wild", Outcome::Crashed { status: "exit status 255".into(), stderr: String::new() });
    let d = compare(&linked("refld", &[]), &crashed);
    assert_eq!(d[0].explanation, "refld linked the inputs, wild crashed on them");
    let timed_out = compare(&linked("refld", &[]), &report("slow", Outcome::TimedOut));
    assert!(timed_out[0].explanation.contains("slow timed out"), "{}", timed_out[0].explanation);
}

#[test]
fn diagnostic_explanations_count_per_symbol() {
    let left = report("refld", Outcome::Rejected { diagnostics: strings(&["error: main.o: undefined symbol: foo"]) });
    let right = report("rust-lld", Outcome::Rejected { diagnostics: strings(&["error: duplicate symbol: bar"]) });
    let d = compare(&left, &right);
    let undefined = find(&d, "diag.undefined-symbol.foo");
    assert_eq!(undefined.explanation, "refld reports 1 undefined-symbol error for foo, rust-lld 0");
    let duplicate = find(&d, "diag.duplicate-symbol.bar");
    assert_eq!(duplicate.explanation, "refld reports 0 duplicate-symbol errors for bar, rust-lld 1");
    let warned = linked("b", &["warning: function signature mismatch: f"]);
    let d = compare(&linked("a", &[]), &warned);
    assert_eq!(find(&d, "warn.signature-mismatch.f").explanation, "a reports 0 signature-mismatch warnings for f, b 1");
}

#[test]
fn module_import_and_export_explanations() {
    let a = linked("refld", &[]);
    let mut b = linked("wild", &[]);
    let m = b.module.as_mut().unwrap();
    m.invalid = Some("type mismatch".into());
    m.imports.clear();
    m.exports[0].ty = "func (i32)".into();
    m.exports.push(Export { name: "extra".into(), kind: "global".into(), ty: "global i32".into() });
    let d = compare(&a, &b);
    assert_eq!(find(&d, "module.valid").explanation, "refld's output validates, wild's does not validate");
    assert_eq!(find(&d, "import.env.f").explanation, "import env.f is only in refld's output");
    assert_eq!(find(&d, "export.extra").explanation, "export extra is only in wild's output");
    let changed = &find(&d, "export._start").explanation;
    assert!(changed.contains("func ()") && changed.contains("func (i32)") && changed.contains("refld"), "{changed}");
    let mut unreadable = linked("wild", &[]);
    unreadable.module = None;
    unreadable.module_error = Some("unexpected end of section".into());
    let d = compare(&a, &unreadable);
    let why = &find(&d, "module.readable").explanation;
    assert!(why.starts_with("refld's output can be read, wild's cannot be read") && why.contains("unexpected end"), "{why}");
}

#[test]
fn run_explanations_say_how_each_run_ended() {
    let a = linked("refld", &[]);
    let mut b = linked("wild", &[]);
    let run = b.run.as_mut().unwrap();
    run.exit_code = None;
    run.trap = Some("unreachable".into());
    run.stdout.clear();
    run.stderr = b"oops".to_vec();
    let d = compare(&a, &b);
    assert_eq!(find(&d, "run.exit_code").explanation, "refld's run exits with code 3, wild's does not exit normally");
    assert_eq!(find(&d, "run.trap").explanation, "refld's run does not trap, wild's traps (unreachable)");
    let stdout = &find(&d, "run.stdout").explanation;
    assert!(stdout.starts_with("the runs' stdout differs") && stdout.contains("\"hi\\n\""), "{stdout}");
    assert!(find(&d, "run.stderr").explanation.contains("\"oops\""));
}

#[test]
fn host_call_and_export_call_explanations() {
    let mut a = linked("refld", &[]);
    let mut b = linked("wild", &[]);
    let (ra, rb) = (a.run.as_mut().unwrap(), b.run.as_mut().unwrap());
    ra.host_calls = vec![host_call("env", "f", "1"), host_call("env", "g", "2"), host_call("env", "h", "3")];
    rb.host_calls = vec![host_call("env", "f", "1"), host_call("env", "g", "2"), host_call("env", "h", "4")];
    rb.host_calls.push(host_call("env", "i", "5"));
    (ra.host_call_count, rb.host_call_count) = (3, 4);
    ra.calls = vec![ExportCall { name: "add".into(), args: strings(&["1", "2"]), result: "(3)".into() }];
    rb.calls = vec![ExportCall { name: "add".into(), args: strings(&["1", "2"]), result: "(4)".into() }];
    let d = compare(&a, &b);
    assert_eq!(find(&d, "hostcall.2").explanation, "the 3rd non-WASI host call differs: refld env.h(3), wild env.h(4)");
    assert_eq!(find(&d, "hostcall.3").explanation, "the 4th non-WASI host call differs: refld (no such call), wild env.i(5)");
    assert_eq!(find(&d, "hostcall.count").explanation, "refld's run makes 3 non-WASI host calls, wild's 4");
    assert_eq!(find(&d, "call.add").explanation, "calling export add gives (3) with refld's output, (4) with wild's");
    assert_eq!([ordinal(1), ordinal(2), ordinal(11), ordinal(12), ordinal(13), ordinal(22)], ["1st", "2nd", "11th", "12th", "13th", "22nd"]);
}

#[test]
fn every_difference_of_a_report_comparison_is_explained() {
    // Whatever the key, the explanation is one non-empty line naming a side.
    let mut b = linked("wild", &["warning: function signature mismatch: f"]);
    b.module.as_mut().unwrap().imports[0].ty = "func (i32) -> i32".into();
    b.run.as_mut().unwrap().exit_code = Some(4);
    for d in compare(&linked("refld", &[]), &b) {
        assert!(!d.explanation.is_empty() && !d.explanation.contains('\n'), "{d:?}");
        assert!(d.explanation.contains("refld") || d.explanation.contains("wild"), "{d:?}");
    }
    // A key without an explanation of its own still gets a line with both values.
    let other = explain_difference(&DiffKey::field(ItemKind::Global, "g", "frobnicate"), "1", "2", "refld", "wild");
    assert_eq!(other, "global.g.frobnicate differs: refld 1, wild 2");
}

/// A "linker" whose output is the module given as its first argument.
fn copy_linkers(dir: &std::path::Path) -> (Linker, Linker) {
    let copy = "out=\nprev=\nfor a in \"$@\"; do [ \"$prev\" = -o ] && out=$a; prev=$a; done\ncp \"$1\" \"$out\"";
    let cp = script(dir, "cp-ld", copy);
    let good = script(dir, "good-ld", &format!("shift; exec {} good.wasm \"$@\"", cp.display()));
    (
        Linker::External { name: "one".into(), program: cp, leading_args: vec![] },
        Linker::External { name: "two".into(), program: good, leading_args: vec![] },
    )
}

#[test]
fn structural_differences_keep_their_explanations() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.wasm"), wasi_command(&write_hi())).unwrap();
    std::fs::write(dir.path().join("bad.wasm"), wasi_command(&[I::Unreachable])).unwrap();
    let (one, two) = copy_linkers(dir.path());
    let runner = Runner::new().unwrap();
    let r = check(&[one, two], &strings(&["bad.wasm"]), dir.path(), &runner, &CheckOptions::default());
    let structural: Vec<&Difference> = r.comparisons[0].differences.iter().filter(|d| d.key.to_string().starts_with("func.")).collect();
    assert!(!structural.is_empty(), "{:?}", r.comparisons[0]);
    for d in structural {
        // canon's own words (`function NAME: instruction #I differs ...`),
        // not the generic fallback of `diff::explain_difference`.
        assert!(d.explanation.starts_with("function ") && !d.explanation.contains(" differs: one "), "{d:?}");
    }
    let text = linkcheck_core::report::render_text(&r);
    assert!(text.contains("one's run does not exit normally"), "explanations are in the text report:\n{text}");
}

#[test]
fn allowed_differences_are_kept_apart_with_their_reasons() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.wasm"), wasi_command(&write_hi())).unwrap();
    std::fs::write(dir.path().join("bad.wasm"), wasi_command(&[I::Unreachable])).unwrap();
    let (one, two) = copy_linkers(dir.path());
    let runner = Runner::new().unwrap();
    let allow = |right: &str| {
        let entries = vec![
            Allowance { left: "one".into(), right: right.into(), key: "run.*".into(), reason: "runs may differ".into() },
            Allowance::any_pair("func.*", "bodies may differ"),
        ];
        CheckOptions { allow: Arc::new(AllowList { entries }), ..CheckOptions::default() }
    };
    let args = strings(&["bad.wasm"]);
    let r = check(&[one.clone(), two.clone()], &args, dir.path(), &runner, &allow("two"));
    let c = &r.comparisons[0];
    assert!(c.differences.is_empty() && r.agree, "everything is allowed: {c:?}");
    assert!(c.allowed.iter().any(|d| d.key == "run.exit_code" && d.allowed.as_deref() == Some("runs may differ")));
    assert!(c.allowed.iter().any(|d| d.key.to_string().starts_with("func.") && d.allowed.as_deref() == Some("bodies may differ")));
    // The same entry for another pair does not cover `two`.
    let r = check(&[one, two], &args, dir.path(), &runner, &allow("three"));
    assert!(!r.agree && r.comparisons[0].differences.iter().any(|d| d.key == "run.exit_code"));
    assert!(r.comparisons[0].allowed.iter().all(|d| d.key.to_string().starts_with("func.")));
    let json = linkcheck_core::report::render_json(&r);
    assert!(json.contains("\"allowed\": \"bodies may differ\"") && json.contains("\"explanation\""), "{json}");
}
