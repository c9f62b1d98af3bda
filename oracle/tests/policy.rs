//! The policy (`corpus/policy.toml`, `linkcheck_core::policy`): parsing
//! (allow-lists, quirks, known bugs, unsupported options, preconditions),
//! matching (linker pairs, key and value patterns, case patterns), how
//! conform's verdicts and summary use it, stale entries; and the project's
//! own file.

use linkcheck_core::allow::{AllowList, Allowance};
use linkcheck_core::check::{CheckReport, Comparison, LinkerReport};
use linkcheck_core::policy::{KnownBug, LinkFacts, Policy};
use linkcheck::conform::render::{render_json_lines, render_matrix};
use linkcheck::conform::{CaseResult, CaseTiming, ConformReport, ExpectCheck, Verdict};
use linkcheck_core::diff::Difference;
use linkcheck_core::linker::Outcome;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace root").to_path_buf()
}

const ALLOW: &str = r#"
[[allow]]
left = "*"
right = "*"
key = "layout.memory.*"
reason = "sizes follow the layout"

[[allow]]
left = "refld"
right = "wasm-ld-19"
key = "export.__wasm_apply_data_relocs"
reason = "empty in LLVM 19"

[[allow]]
right = "wasm-ld-16"
key = "func.__wasm_*"
reason = "left defaults to any"
"#;

#[test]
fn allow_entries_match_pairs_with_wildcards_and_keys_with_prefixes() {
    let list = Policy::parse(ALLOW, "test.toml", None).expect("parses").allow;
    assert_eq!(list.entries.len(), 3);
    // Any pair, prefix key.
    assert_eq!(list.reason("refld", "wild", "layout.memory.initial"), Some("sizes follow the layout"));
    assert_eq!(list.reason("a", "b", "layout.memory"), None, "the prefix is `layout.memory.`");
    // One pair only, in that order, exact key.
    assert_eq!(list.reason("refld", "wasm-ld-19", "export.__wasm_apply_data_relocs"), Some("empty in LLVM 19"));
    assert_eq!(list.reason("wasm-ld-19", "refld", "export.__wasm_apply_data_relocs"), None);
    assert_eq!(list.reason("refld", "wasm-ld-22", "export.__wasm_apply_data_relocs"), None);
    assert_eq!(list.reason("refld", "wasm-ld-19", "export.__wasm_apply_data_relocs2"), None);
    // A missing `left` is `*`.
    assert_eq!(list.reason("rust-lld", "wasm-ld-16", "func.__wasm_apply_data_relocs"), Some("left defaults to any"));
    assert_eq!(list.any_pair().len(), 1);
    assert!(list.entries[0].is_any_pair() && !list.entries[1].is_any_pair());
}

#[test]
fn bad_allow_lists_are_errors_naming_the_file() {
    let cases = [
        ("[[allow]]\nkey = \"a*b\"\nreason = \"x\"\n", "prefix"),
        ("[[allow]]\nkey = \"a\"\nreason = \" \"\n", "reason"),
        ("[[allow]]\nkey = \"a\"\n", "reason"),
        ("[[allow]]\nkey = \"a\"\nreason = \"x\"\nwhy = 1\n", "why"),
        ("[[allow]]\nleft = \"\"\nkey = \"a\"\nreason = \"x\"\n", "left"),
    ];
    for (text, word) in cases {
        let e = Policy::parse(text, "bad.toml", None).expect_err(text).to_string();
        assert!(e.starts_with("bad.toml") && e.contains(word), "{text}: {e}");
    }
}

#[test]
fn the_embedded_allow_list_holds_the_layout_values_for_every_pair() {
    let list = AllowList::embedded();
    for key in ["layout.__stack_pointer", "layout.__heap_base", "layout.__data_end", "layout.memory.initial", "layout.table.t.initial"] {
        assert!(list.reason("x", "y", key).is_some(), "{key} is allowed for any pair");
    }
    // No bug is allowed: the outcome and the program's behaviour never are.
    for key in ["outcome", "run.exit_code", "run.trap", "module.valid", "global.__stack_pointer"] {
        assert_eq!(list.reason("refld", "wild", key), None, "{key}");
    }
    // Every entry has a reason that says something.
    assert!(list.entries.iter().all(|a| a.reason.len() > 20), "{:?}", list.entries);
    // The file on disk is the one embedded.
    let disk = Policy::load(&workspace().join("corpus/policy.toml")).expect("corpus/policy.toml");
    assert_eq!(&disk.allow, list);
    assert_eq!(&Policy::embedded().allow, list);
}

#[test]
fn canon_compare_drops_only_the_any_pair_entries() {
    use linkcheck_core::canon::{compare_canon, compare_canon_all, Canon, Item, Value};
    let layout = |v: &str| Item { summary: String::new(), fields: [("__heap_base".to_string(), Value::Text(v.into()))].into() };
    let (mut l, mut r) = (Canon::default(), Canon::default());
    l.items.insert("layout".into(), layout("1"));
    r.items.insert("layout".into(), layout("2"));
    assert!(compare_canon(&l, &r).is_empty());
    let all = compare_canon_all(&l, &r, &[]);
    assert_eq!(all.len(), 1);
    assert!(all[0].allowed.is_none());
    let allowed = compare_canon_all(&l, &r, &[Allowance::any_pair("layout.*", "why")]);
    assert_eq!(allowed[0].allowed.as_deref(), Some("why"));
}

fn entry(linker: &str, key: &str, cases: &[&str], note: &str) -> KnownBug {
    KnownBug {
        linker: linker.into(),
        key: key.into(),
        left: "*".into(),
        right: "*".into(),
        cases: Some(cases.iter().map(|c| c.to_string()).collect()),
        message: None,
        args: None,
        note: note.into(),
    }
}

#[test]
fn known_entries_match_linker_key_values_and_case_patterns() {
    let e = entry("wild", "run.*", &["undefined/close_*", "basic/a"], "found/x");
    let covers = |e: &KnownBug, linker, case, key| e.covers(linker, Some(case), key, "a", "b");
    assert!(covers(&e, "wild", "undefined/close_env_then_test", "run.exit_code"));
    assert!(covers(&e, "wild", "basic/a", "run.trap"));
    assert!(!covers(&e, "rust-lld", "basic/a", "run.trap"), "another linker");
    assert!(!covers(&e, "wild", "basic/ab", "run.trap"), "a pattern matches the whole path");
    assert!(!covers(&e, "wild", "basic/a", "outcome"), "another key");
    assert!(!e.covers("wild", None, "run.trap", "a", "b"), "entries with cases hold on those cases only");
    let exact = entry("wild", "outcome", &["*"], "found/x");
    assert!(covers(&exact, "wild", "any/case/at/all", "outcome") && !covers(&exact, "wild", "x", "outcome.y"));
    // Without cases: anywhere, generated sets too; values are patterns.
    let values = KnownBug { cases: None, left: "rejected".into(), right: "cr*".into(), ..entry("wild", "out*", &[], "found/x") };
    assert!(values.covers("wild", None, "outcome", "rejected", "crashed"));
    assert!(values.covers("wild", Some("basic/a"), "outcome", "rejected", "crashed"));
    assert!(!values.covers("wild", None, "outcome", "linked", "crashed"));
    assert!(!values.covers("wild", None, "outcome", "rejected", "linked"));
    // A message pattern: only when the other linker said it.
    let said = KnownBug { message: Some("*MissingFeatures*".into()), ..values.clone() };
    let words = ["error: failed to parse object: MissingFeatures".to_string()];
    let other = ["error: other".to_string()];
    assert!(said.covers_on(&LinkFacts { messages: &words, args: &[] }, "wild", None, "outcome", "rejected", "crashed"));
    assert!(!said.covers_on(&LinkFacts { messages: &other, args: &[] }, "wild", None, "outcome", "rejected", "crashed"));
    assert!(!said.covers("wild", None, "outcome", "rejected", "crashed"), "no messages, no match");
    // Arguments: only on a link whose command line has them all.
    let on = KnownBug { args: Some(vec!["--allow-undefined".into()]), ..values.clone() };
    let line = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let on_line = |a: &[&str]| on.covers_on(&LinkFacts { messages: &[], args: &line(a) }, "wild", None, "outcome", "rejected", "crashed");
    assert!(on_line(&["-o", "x", "--allow-undefined", "a.o"]));
    assert!(!on_line(&["-o", "x", "a.o"]));
    assert!(!on_line(&["--allow-undefined-file=u.txt"]), "whole arguments");
    assert!(!on.covers("wild", None, "outcome", "rejected", "crashed"), "no command line, no match");
}

#[test]
fn bad_policies_are_errors_naming_the_file_and_entry() {
    for (text, word) in [
        ("[[known]]\nlinker = \"wild\"\nkey = \"k\"\ncases = []\nnote = \"n\"\n", "cases"),
        ("[[known]]\nlinker = \"wild\"\nkey = \"k\"\ncases = [\"*\"]\n", "note"),
        ("[[known]]\nlinker = \"wild\"\nkey = \"k\"\ncases = [\"*\"]\nnote = \"n\"\nbug = 1\n", "bug"),
        ("[[quirk]]\nlinker = \"rust-lld\"\nquirk = \"no-such-quirk\"\nnote = \"n\"\n", "lazy-signature-unchecked"),
        ("[[quirk]]\nlinker = \"\"\nquirk = \"lazy-kind-unchecked\"\nnote = \"n\"\n", "linker"),
        ("[[unsupported]]\nlinker = \"wild\"\noption = \"--x\"\nnote = \"\"\n", "note"),
        ("[[nonsense]]\n", "nonsense"),
    ] {
        let e = Policy::parse(text, "policy.toml", None).expect_err(text).to_string();
        assert!(e.starts_with("policy.toml") && e.contains(word), "{text}: {e}");
    }
    // A note must name a case folder with a NOTE.md.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("policy.toml");
    std::fs::write(&file, "[[known]]\nlinker = \"wild\"\nkey = \"k\"\ncases = [\"*\"]\nnote = \"found/none\"\n").unwrap();
    let e = Policy::load(&file).expect_err("no such note").to_string();
    assert!(e.contains("found/none") && e.contains("NOTE.md"), "{e}");
}

fn linked() -> Outcome {
    Outcome::Linked { bytes: vec![0, 97, 115, 109], warnings: vec![] }
}

fn linker(name: &str, outcome: Outcome) -> LinkerReport {
    LinkerReport { name: name.into(), outcome, module: None, module_error: None, run: None, side_modules: Vec::new() }
}

/// A case at `dir` linked by refld, then by each `(name, outcome,
/// difference keys)`.
fn case(dir: &Path, others: &[(&str, Outcome, &[&str])]) -> CaseResult {
    let mut linkers = vec![linker("refld", linked())];
    let mut comparisons = Vec::new();
    for (name, outcome, keys) in others {
        linkers.push(linker(name, outcome.clone()));
        let differences = keys.iter().map(|k| Difference::explained(linkcheck_core::key::DiffKey::parse(k).unwrap(), "a", "b", "refld", name)).collect();
        comparisons.push(Comparison { left: "refld".into(), right: name.to_string(), differences, allowed: vec![] });
    }
    let agree = comparisons.iter().all(|c| c.differences.is_empty());
    CaseResult {
        dir: dir.to_path_buf(),
        case: None,
        error: None,
        report: Some(CheckReport { args: vec![], linkers, comparisons, agree }),
        expect: ExpectCheck::Met,
        timing: CaseTiming::default(),
    }
}

#[test]
fn known_divergences_make_known_cells_and_stale_entries_are_reported() {
    let root = tempfile::tempdir().unwrap();
    let dirs: Vec<PathBuf> = ["basic/a", "basic/b", "undefined/c", "undefined/d"].iter().map(|d| root.path().join(d)).collect();
    for d in &dirs {
        std::fs::create_dir_all(d).unwrap();
    }
    let crashed = || Outcome::Crashed { status: "exit status 255".into(), stderr: "wild: error: unrecognized option(s): -u".into() };
    let cases = vec![
        // Every divergence known: `known:KEY` of the first one.
        case(&dirs[0], &[("rust-lld", linked(), &[]), ("wild", linked(), &["global.__stack_pointer", "run.exit_code"])]),
        // One of two known: `diverge:` the unknown one.
        case(&dirs[1], &[("rust-lld", linked(), &[]), ("wild", linked(), &["global.__stack_pointer", "func.f.body"])]),
        // A crash whose outcome is known is known.
        case(&dirs[2], &[("rust-lld", linked(), &[]), ("wild", crashed(), &["outcome"])]),
        // A crash whose outcome is not known stays a crash.
        case(&dirs[3], &[("rust-lld", linked(), &[]), ("wild", crashed(), &["outcome"])]),
    ];
    let mut report = ConformReport { linkers: vec!["refld".into(), "rust-lld".into(), "wild".into()], cases, stale: vec![] };
    let known = Policy {
        root: Some(root.path().to_path_buf()),
        known: vec![
            entry("wild", "global.__stack_pointer", &["*"], "found/sp"),
            entry("wild", "run.*", &["basic/a"], "found/addend"),
            entry("wild", "outcome", &["undefined/c"], "found/options"),
            // Stale: wild and undefined/d ran, but nothing under this key.
            entry("wild", "hostcall.*", &["undefined/d"], "found/fixed"),
            // Not stale: its linker did not run.
            entry("wasm-ld-14", "outcome", &["*"], "found/old"),
            // Not stale: none of its cases ran.
            entry("wild", "outcome", &["other/*"], "found/elsewhere"),
        ],
        ..Policy::default()
    };
    report.apply_known(&known);
    let names = report.linkers.clone();
    let cells: Vec<Vec<String>> = report.cases.iter().map(|c| c.verdicts(&names).iter().map(Verdict::cell).collect()).collect();
    assert_eq!(cells[0], ["linked", "agree", "known:global.__stack_pointer"]);
    assert_eq!(cells[1], ["linked", "agree", "diverge:func.f.body"]);
    assert_eq!(cells[2], ["linked", "agree", "known:outcome"]);
    assert_eq!(cells[3], ["linked", "agree", "crash"]);
    let notes: Vec<Option<&str>> =
        report.cases[0].report.as_ref().unwrap().comparisons[1].differences.iter().map(|d| d.known.as_deref()).collect();
    assert_eq!(notes, [Some("found/sp"), Some("found/addend")]);
    assert_eq!(report.stale, [known.known[3].clone()]);

    let summary = report.summary();
    assert_eq!((summary.cases, summary.agree, summary.known, summary.diverge, summary.stale), (4, 0, 2, 2, 1));
    assert!(!report.passed());
    let text = render_matrix(&report);
    assert!(text.contains("warning: stale known divergence: wild `hostcall.*`"), "{text}");
    assert!(text.contains("known: found/sp (wild, 2 cases)"), "{text}");
    assert!(text.contains("4 cases: 0 agree, 2 known, 2 diverge"), "{text}");
    // The failing details show the unknown divergence with its explanation,
    // and the crash that is not known; not the known crash.
    assert!(text.contains("wild: func.f.body: refld a / wild b") && text.contains("func.f.body differs: refld a, wild b"), "{text}");
    assert_eq!(text.matches("unrecognized option").count(), 1, "{text}");
    let json = render_json_lines(&report);
    let records: Vec<serde_json::Value> = json.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let wild_a = &records[2];
    assert_eq!(wild_a["verdict"], "known");
    assert_eq!(wild_a["known"], serde_json::json!(["global.__stack_pointer", "run.exit_code"]));
    assert_eq!(wild_a["notes"], serde_json::json!(["found/addend", "found/sp"]));
    assert_eq!(records.last().unwrap()["stale_known"]["note"], "found/fixed");

    // Without the failing cases the run passes: known divergences do not fail it.
    report.cases.truncate(1);
    report.cases.push(case(&dirs[2], &[("rust-lld", linked(), &[]), ("wild", crashed(), &["outcome"])]));
    report.apply_known(&known);
    assert!(report.passed(), "{}", render_matrix(&report));
}

#[test]
fn the_corpus_policy_loads_and_names_existing_notes_quirks_and_cases() {
    let file = workspace().join("corpus/policy.toml");
    let policy = Policy::load(&file).expect("corpus/policy.toml loads (every note has a NOTE.md)");
    assert!(!policy.known.is_empty() && !policy.quirks.is_empty() && !policy.allow.entries.is_empty());
    assert_eq!(Policy::find(&workspace().join("corpus/basic")), Some(std::fs::canonicalize(&file).unwrap()));
    assert!(policy.notes().all(|n| n.starts_with("found/")));
    for k in &policy.known {
        // Each explicit case pattern names a case folder that exists.
        for pattern in k.cases.iter().flatten().filter(|p| !p.contains('*')) {
            assert!(workspace().join("corpus").join(pattern).join("case.toml").is_file(), "{pattern} of {k:?}");
        }
    }
    // Every quirk refld has is given to some linker, and wasm-ld's to every
    // release conform compares.
    for q in refld::quirks::QUIRKS {
        assert!(policy.quirks.iter().any(|e| e.quirk == q.name), "no linker has quirk {}", q.name);
    }
    // The generator knows every precondition's shape.
    for p in &policy.precondition {
        linkcheck_gen::diff_linkers::Condition::from_name(&p.condition).expect("a known shape");
    }
}

/// The cell of `linker` for one corpus case linked by refld and `linkers`
/// under `policy`, and the notes of its known divergences.
fn cell_under(case: &str, linkers: Vec<linkcheck_core::Linker>, policy: &Policy) -> (String, Vec<String>) {
    use linkcheck_core::check::CheckOptions;
    let dir = workspace().join("corpus").join(case);
    let runner = linkcheck_core::Runner::new().expect("wasmtime runner");
    let mut all = vec![linkcheck_core::Linker::Reference];
    all.extend(linkers);
    let names: Vec<String> = all.iter().map(|l| l.name().to_string()).collect();
    let result = linkcheck::conform::run_case(&dir, &all, &runner, &CheckOptions::default(), policy);
    let cell = result.verdicts(&names)[1].cell();
    let notes = result.report.iter().flat_map(|r| &r.comparisons[0].differences).filter_map(|d| d.known.clone()).collect();
    (cell, notes)
}

/// A divergence is rust-lld's known bug when refld under rust-lld's quirks
/// no longer shows it: the found case of wasm-ld's unchecked lazy
/// signature (an invalid output, a different run, a function kept alive,
/// a missing stub, a missing warning: none of it keyed in the policy) is
/// known with the quirk's note; without quirks, or with a quirk that does
/// not model it, it diverges.
#[test]
fn a_divergence_is_known_when_the_linkers_quirks_remove_it() {
    let case = "found/wasm_ld_lazy_signature_unchecked";
    let lld = || vec![linkcheck_core::Linker::rust_lld().expect("rust-lld (scripts/setup.sh)")];
    let policy = Policy::embedded();
    assert!(policy.known.iter().all(|k| k.linker != "rust-lld" || !k.cases.iter().flatten().any(|c| c == case)), "no key pattern helps");
    let (cell, notes) = cell_under(case, lld(), policy);
    assert_eq!(cell, "known:warn.signature-mismatch.f0");
    assert!(notes.len() >= 5 && notes.iter().all(|n| n == "found/wasm_ld_lazy_signature_unchecked"), "{notes:?}");

    let without = Policy { quirks: vec![], ..policy.clone() };
    assert_eq!(cell_under(case, lld(), &without).0, "diverge:warn.signature-mismatch.f0");
    let wrong = Policy { quirks: policy.quirks.iter().filter(|q| q.quirk != "lazy-signature-unchecked").cloned().collect(), ..policy.clone() };
    assert_eq!(cell_under(case, lld(), &wrong).0, "diverge:warn.signature-mismatch.f0", "the other quirks do not model it");
}

/// Wild's bugs on a case need several of its quirks at once: the policy
/// names, for each divergence, the quirk that removes it alone or those it
/// needs together; the whole set links as Wild does.
#[test]
fn wild_divergences_are_explained_by_its_quirks_together() {
    let wild = linkcheck_core::discover::discover_all()
        .into_iter()
        .find_map(|f| f.ok().filter(|f| f.name == "wild"))
        .expect("Wild 0.10 (scripts/setup.sh installs it)")
        .linker();
    let (cell, notes) = cell_under("found/wild_comdat_copy_kept", vec![wild.clone()], Policy::embedded());
    assert!(cell.starts_with("known:"), "{cell}");
    assert!(notes.iter().any(|n| n.contains("found/wild_comdat_copy_kept")), "{notes:?}");
    let without = Policy { quirks: vec![], ..Policy::embedded().clone() };
    assert!(cell_under("found/wild_comdat_copy_kept", vec![wild], &without).0.starts_with("diverge:"));
}
