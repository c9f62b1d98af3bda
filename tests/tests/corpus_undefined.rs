//! `corpus/undefined/` through the conform machinery (`linkcheck::conform`)
//! with refld (in-process) and rust-lld (wasm-ld 22 of the Rust toolchain).
//!
//! Every case must agree between the two linkers — outcome, classified
//! diagnostics (kind, symbol and count, warnings included: the `diag.*` /
//! `warn.*` keys of `linkcheck_core::diff`), imports, exports, validity and the
//! run (exit code, trap, output) — and both linkers must meet the case's
//! expectation (`expect`, `exit_code` or `trap`, `imports`, `diagnostics`).
//! Needs clang-19, llvm-mc-19 and rust-lld; a missing tool fails the test.
//!
//! The corpus is linked once (the first test to need it does it) and the
//! tests below look at it from several sides.

use linkcheck_core::check::CheckOptions;
use linkcheck::conform::render::render_matrix;
use linkcheck::conform::{check_expectation, run_cases, CaseResult, ConformReport, ExpectCheck};
use linkcheck::corpus::find_cases;
use linkcheck_core::casefile::Expect;
use linkcheck_core::diagnostics::kind::{classify, Kind};
use linkcheck_core::key::DiffKey;
use linkcheck_core::check::compare;
use linkcheck_core::linker::{Linker, Outcome};
use linkcheck_core::run::Runner;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace root").join("corpus/undefined")
}

/// The conform report of the whole group, made once, and how long it took.
fn report() -> &'static (ConformReport, Duration) {
    static REPORT: OnceLock<(ConformReport, Duration)> = OnceLock::new();
    REPORT.get_or_init(|| {
        let dirs = find_cases(&[corpus_dir()]).expect("corpus/undefined can be searched");
        let linkers = [Linker::Reference, Linker::rust_lld().expect("rust-lld of the active toolchain")];
        let runner = Runner::new().expect("wasmtime runner");
        let start = Instant::now();
        let report = run_cases(&dirs, &linkers, &runner, &CheckOptions::default(), &linkcheck_core::policy::Policy::default(), &mut |_| {});
        (report, start.elapsed())
    })
}

/// The result of the case folder `name`.
fn case(name: &str) -> &'static CaseResult {
    let (report, _) = report();
    report
        .cases
        .iter()
        .find(|c| c.dir.file_name().is_some_and(|n| n == name))
        .unwrap_or_else(|| panic!("no case corpus/undefined/{name}"))
}

/// The classified (non-`other`) diagnostic keys of linker `i`, sorted.
fn keys(c: &CaseResult, i: usize) -> Vec<String> {
    let report = c.report.as_ref().expect("the case was linked");
    let texts: &[String] = match &report.linkers[i].outcome {
        Outcome::Linked { warnings, .. } => warnings,
        Outcome::Rejected { diagnostics } => diagnostics,
        other => panic!("{}: {} {}", c.dir.display(), report.linkers[i].name, other.kind()),
    };
    let mut keys: Vec<String> = texts.iter().filter_map(|t| DiffKey::of_diagnostic(&classify(t))).map(|k| k.to_string()).collect();
    keys.sort();
    keys
}

/// All diagnostic texts (first lines) of linker `i`.
fn texts(c: &CaseResult, i: usize) -> Vec<String> {
    let report = c.report.as_ref().expect("the case was linked");
    match &report.linkers[i].outcome {
        Outcome::Linked { warnings, .. } => warnings.clone(),
        Outcome::Rejected { diagnostics } => diagnostics.clone(),
        _ => Vec::new(),
    }
    .iter()
    .map(|t| t.lines().next().unwrap_or("").to_string())
    .collect()
}

fn assert_passes(c: &CaseResult) {
    let (report, _) = report();
    assert!(c.error.is_none(), "{}: {:?}", c.dir.display(), c.error);
    assert!(c.agrees(), "{} diverges:\n{}", c.dir.display(), render_matrix(report));
    assert_eq!(c.expect, ExpectCheck::Met, "{}: refld misses the expectation", c.dir.display());
    let r = c.report.as_ref().unwrap();
    let case = c.case.as_ref().unwrap();
    assert_eq!(check_expectation(case, &r.linkers[1]), ExpectCheck::Met, "{}: rust-lld misses the expectation", c.dir.display());
}

#[test]
fn every_case_agrees_with_rust_lld_and_meets_its_expectation() {
    let (report, took) = report();
    let n = report.cases.len();
    assert!(n >= 30, "corpus/undefined must have at least 30 cases, has {n}");
    let failing: Vec<String> = report
        .cases
        .iter()
        .filter(|c| {
            let lld_met = match (&c.case, &c.report) {
                (Some(case), Some(r)) => check_expectation(case, &r.linkers[1]) == ExpectCheck::Met,
                _ => false,
            };
            !(c.agrees() && c.meets_expectation() && lld_met)
        })
        .map(|c| c.dir.display().to_string())
        .collect();
    assert!(failing.is_empty(), "failing cases: {failing:?}\n{}", render_matrix(report));
    eprintln!("corpus/undefined: {n} cases through refld and rust-lld in {:.1} s", took.as_secs_f64());
}

/// Each case pins its diagnostics and, when it links, what the run does;
/// its description says which rule it exercises.
#[test]
fn every_case_is_fully_specified() {
    let (report, _) = report();
    let spec = std::fs::read_to_string(corpus_dir().join("../../reference/SPEC.md")).expect("reference/SPEC.md");
    for c in &report.cases {
        let case = c.case.as_ref().expect("readable case.toml");
        let name = c.dir.display();
        assert!(case.diagnostics.is_some(), "{name}: no `diagnostics`");
        if case.expect == Expect::Link {
            assert!(case.exit_code.is_some() || case.trap.is_some(), "{name}: links but pins no exit code or trap");
        }
        let cited: Vec<&str> = case
            .description
            .split(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '-'))
            .filter(|w| w.contains('-') && w.chars().next().is_some_and(|ch| ch.is_ascii_uppercase()))
            .collect();
        assert!(!cited.is_empty(), "{name}: the description names no rule ID");
        for id in cited {
            assert!(spec.contains(&format!("| {id} |")), "{name}: rule {id} is not a row of SPEC.md");
        }
    }
}

/// rust-lang/rust#148347: `close` from module `test` (import name `close`)
/// and from `env` (libc-style), in both orders, with and without a
/// definition.
#[test]
fn rust_148347_shape() {
    let mismatch = vec!["diag.import-module-mismatch.close".to_string()];
    for name in ["close_test_then_env", "close_env_then_test", "close_definition_last", "close_definition_in_archive_last"] {
        let c = case(name);
        assert_passes(c);
        assert_eq!(c.report.as_ref().unwrap().linkers[0].outcome.kind(), "rejected", "{name}");
        assert_eq!((keys(c, 0), keys(c, 1)), (mismatch.clone(), mismatch.clone()), "{name}");
    }
    // The reference order shows in the `>>>` lines: first reference first.
    for (name, first) in [("close_test_then_env", "test"), ("close_env_then_test", "env")] {
        let report = case(name).report.as_ref().unwrap();
        for l in &report.linkers {
            let Outcome::Rejected { diagnostics } = &l.outcome else { unreachable!() };
            let d = diagnostics.iter().find(|d| d.contains("import module mismatch")).unwrap();
            assert!(d.lines().nth(1).unwrap().starts_with(&format!(">>> defined as {first} in ")), "{name} {}: {d}", l.name);
        }
    }
    for name in ["close_definition_first", "close_definition_first_env_then_test", "close_definition_between", "close_definition_in_archive_first"] {
        let c = case(name);
        assert_passes(c);
        let run = c.report.as_ref().unwrap().linkers[0].run.as_ref().unwrap();
        assert_eq!(run.exit_code, Some(83), "{name}: both calls reach the definition");
    }
}

/// Every policy and attribute of the issue appears in some case.
#[test]
fn every_policy_is_covered() {
    let (report, _) = report();
    let args: Vec<&str> =
        report.cases.iter().flat_map(|c| c.case.as_ref().unwrap().args.iter().map(String::as_str)).collect();
    for flag in [
        "--unresolved-symbols=report-all",
        "--unresolved-symbols=ignore-all",
        "--unresolved-symbols=import-dynamic",
        "--error-unresolved-symbols",
        "--warn-unresolved-symbols",
        "--allow-undefined",
        "--import-undefined",
        "--allow-undefined-file=allow.txt",
        "-u",
        "--export=nothere",
        "--export-if-defined=nothere",
        "--entry=main",
        "--fatal-warnings",
        "--no-gc-sections",
    ] {
        assert!(args.contains(&flag), "no case passes {flag}");
    }
    assert!(corpus_dir().join("imports_file_beside_archive/libq.imports").is_file());
    // Every diagnostic kind of symbol resolution but duplicates and type
    // mismatches (corpus/basic has those) is expected somewhere.
    let expected: Vec<String> =
        report.cases.iter().flat_map(|c| c.case.as_ref().unwrap().diagnostics.clone().unwrap_or_default()).collect();
    for kind in [
        Kind::UndefinedSymbol,
        Kind::ImportModuleMismatch,
        Kind::ImportNameMismatch,
        Kind::SignatureMismatch,
        Kind::EntryMissing,
        Kind::ExportMissing,
    ] {
        for prefix in ["diag", "warn"] {
            let key = format!("{prefix}.{}.", kind.as_str());
            let needed = prefix == "diag" || matches!(kind, Kind::UndefinedSymbol | Kind::SignatureMismatch | Kind::ExportMissing);
            if needed {
                assert!(expected.iter().any(|k| k.starts_with(&key)), "no case expects {key}*");
            }
        }
    }
}

/// UND-POLICY: the flag combinations, measured against wasm-ld 22.
#[test]
fn policy_flags_combine() {
    for name in [
        "report_all_explicit",
        "error_unresolved_symbols",
        "warn_unresolved_symbols_report_all_still_warns",
        "ignore_all_overrides_error_flag",
        "allow_undefined_wins_over_policy",
        "allow_undefined_wins_over_policy_data",
    ] {
        assert_passes(case(name));
    }
    assert_eq!(keys(case("warn_unresolved_symbols_report_all_still_warns"), 1), ["warn.undefined-symbol.missing"]);
    assert_eq!(keys(case("ignore_all_overrides_error_flag"), 1), Vec::<String>::new());
}

/// UND-DYNAMIC: import-dynamic without -pie links, with wasm-ld's warning
/// word for word (an `other` diagnostic, so checked here by text).
#[test]
fn import_dynamic_without_pie() {
    const WARNING: &str = "warning: dynamic imports are not yet stable (--unresolved-symbols=import-dynamic)";
    for name in [
        "import_dynamic_without_pie_imports",
        "import_dynamic_export_missing_is_silent",
        "import_dynamic_weak_function_not_imported",
        "import_dynamic_global_import",
        "import_dynamic_absolute_data_needs_pic",
        "import_dynamic_function_address_needs_pic",
        "import_dynamic_fatal_warnings",
        "import_dynamic_data_addresses_take_got_imports",
        "import_dynamic_weak_data_address_in_data",
    ] {
        let c = case(name);
        assert_passes(c);
        let (refld, lld) = (texts(c, 0), texts(c, 1));
        assert_eq!(refld, lld, "{name}: the texts differ");
        let want = if name.ends_with("fatal_warnings") { WARNING.replacen("warning", "error", 1) } else { WARNING.to_string() };
        assert_eq!(refld.first(), Some(&want), "{name}");
    }
    let texts = texts(case("import_dynamic_absolute_data_needs_pic"), 1);
    assert!(texts[1].ends_with("relocation R_WASM_MEMORY_ADDR_LEB cannot be used against symbol `value`; recompile with -fPIC"), "{texts:?}");
}

/// The comparison is sensitive to diagnostics: dropping one of rust-lld's
/// undefined-symbol errors, or turning a warning into an error, is a
/// difference under its `diag.*` / `warn.*` key.
#[test]
fn diagnostic_differences_are_seen() {
    let r = case("report_all_once_per_reference").report.as_ref().unwrap();
    let (refld, mut lld) = (r.linkers[0].clone(), r.linkers[1].clone());
    assert!(compare(&refld, &lld).is_empty());
    if let Outcome::Rejected { diagnostics } = &mut lld.outcome {
        assert_eq!(diagnostics.len(), 3);
        diagnostics.pop();
    }
    let d = compare(&refld, &lld);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].key.to_string().as_str(), d[0].left.as_str(), d[0].right.as_str()), ("diag.undefined-symbol.missing", "3", "2"));

    let r = case("warn_unresolved_symbols_stub_traps").report.as_ref().unwrap();
    let (refld, mut lld) = (r.linkers[0].clone(), r.linkers[1].clone());
    if let Outcome::Linked { warnings, .. } = &mut lld.outcome {
        warnings[0] = warnings[0].replacen("warning", "error", 1);
    }
    let keys: Vec<String> = compare(&refld, &lld).into_iter().map(|d| d.key.to_string()).collect();
    assert_eq!(keys, ["diag.undefined-symbol.missing", "warn.undefined-symbol.missing"]);
}

/// The classified diagnostics of `name`, which must pass (agree with
/// rust-lld, meet its expectation).
fn passing_keys(name: &str) -> Vec<String> {
    let c = case(name);
    assert_passes(c);
    keys(c, 0)
}

/// DIAG-1, EXP-5 (found by diff_linkers): the `--export` error does not
/// stop wasm-ld before the undefined symbols; it comes first.
#[test]
fn export_missing_and_undefined() {
    assert_eq!(passing_keys("export_missing_and_undefined"), ["diag.export-missing.f2", "diag.undefined-symbol.d1"]);
    let c = case("export_missing_and_undefined");
    assert_eq!(texts(c, 0)[0], "error: symbol exported via --export not found: f2");
    assert_eq!(texts(c, 0), texts(c, 1));
}

/// DIAG-1 (found by diff_linkers): errors among the inputs' symbols stop
/// the link before `--export` extracts a member.
#[test]
fn resolution_error_extracts_nothing() {
    assert_eq!(passing_keys("resolution_error_extracts_nothing"), ["diag.duplicate-symbol.f3"]);
    assert_eq!(passing_keys("kind_clash_stops_before_export_extracts"), ["diag.duplicate-symbol.f0", "diag.symbol-type-mismatch.f0"]);
}

/// EXP-5 (found by diff_linkers): `--export` of an undefined weak function
/// is silent and exports nothing.
#[test]
fn export_of_weak_undefined_function() {
    assert_eq!(passing_keys("export_of_weak_undefined_function"), Vec::<String>::new());
    let r = case("export_of_weak_undefined_function").report.as_ref().unwrap();
    for l in &r.linkers {
        let Outcome::Linked { bytes, .. } = &l.outcome else { panic!("{} did not link", l.name) };
        let exports: Vec<String> = wasmparser::Parser::new(0)
            .parse_all(bytes)
            .filter_map(|p| match p {
                Ok(wasmparser::Payload::ExportSection(s)) => Some(s.into_iter().map(|e| e.unwrap().name.to_string()).collect::<Vec<_>>()),
                _ => None,
            })
            .flatten()
            .collect();
        assert!(!exports.contains(&"hook".to_string()), "{}: {exports:?}", l.name);
    }
}

/// SYM-5: a data definition takes the name from a function (a second
/// function is a mismatch against it); undefined data joins an undefined
/// function silently.
#[test]
fn data_and_function_named_alike() {
    assert_eq!(
        passing_keys("data_definition_replaces_function"),
        ["diag.duplicate-symbol.f0", "diag.symbol-type-mismatch.f0", "diag.symbol-type-mismatch.f0"]
    );
    assert_eq!(passing_keys("data_and_function_named_alike"), ["diag.undefined-symbol.f0", "diag.undefined-symbol.f0"]);
}
