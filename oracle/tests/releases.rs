//! `linkcheck releases`: the table and the marker replacement on fixed
//! inputs, then one run of the binary on corpus/basic with Debian's
//! wasm-ld-22 (baseline) and wasm-ld-19. Needs the packages lld-22 and lld-19
//! (and clang-19, llvm-19 for the cases); scripts/setup.sh installs them. A
//! missing program fails the test with the package to install, never skips.

use linkcheck::releases::{
    case_names, natural_cmp, outcome_detail, render_block, render_json, render_markdown, replace_block, row_differs,
    shell_words, shorten, sort_rows, what_differs, LinkerInfo, Release, ReleasesReport, Row, BEGIN_MARKER,
    END_MARKER,
};
use linkcheck_core::diff::Difference;
use linkcheck_core::discover::{DebianLinker, BASELINE, RELEASES};
use linkcheck_core::linker::Outcome;
use std::cmp::Ordering;
use std::path::{Path, PathBuf};
use std::process::Command;

fn diff(key: &str, left: &str, right: &str) -> Difference {
    Difference::explained(linkcheck_core::key::DiffKey::parse(key).unwrap(), left, right, "wasm-ld-22", "release")
}

fn info(name: &str, version: &str) -> LinkerInfo {
    LinkerInfo { name: name.into(), version: version.into() }
}

fn row(case: &str, release: &str, differences: Vec<Difference>) -> Row {
    Row { case: case.into(), release: release.into(), differences, outcome_detail: None }
}

fn fixed_report() -> ReleasesReport {
    let mut rows = vec![
        row("b_case", "wasm-ld-19", vec![diff("run.exit_code", "3", "4")]),
        row(
            "a_case",
            "wasm-ld-14",
            vec![diff("outcome", "rejected", "linked"), diff("diag.import-module-mismatch.close", "(absent)", "1")],
        ),
        row("b_case", "wasm-ld-14", vec![diff("export.x|y", "func () -> i32", "(absent)")]),
        row("a_case", "wasm-ld-9", vec![diff("run.stdout", "\"hi\\n\"", &format!("\"{}\"", "z".repeat(100)))]),
    ];
    sort_rows(&mut rows);
    ReleasesReport {
        baseline: info("wasm-ld-22", "Debian LLD 22.1.8"),
        releases: vec![
            info("wasm-ld-9", "LLD 9"),
            info("wasm-ld-14", "Debian LLD 14.0.6"),
            info("wasm-ld-19", "Debian LLD 19.1.7"),
        ],
        cases: vec!["a_case".into(), "b_case".into(), "c_case".into()],
        rows,
        errors: Vec::new(),
    }
}

#[test]
fn the_table_lists_rows_by_case_then_release() {
    let text = render_markdown(&fixed_report());
    let expected = "\
3 cases run with wasm-ld-22 (`Debian LLD 22.1.8`) as the baseline and 3 releases wasm-ld-9 (`LLD 9`), \
wasm-ld-14 (`Debian LLD 14.0.6`), wasm-ld-19 (`Debian LLD 19.1.7`): 4 of 9 (case, release) pairs differ from the baseline.

Each cell lists the difference keys (see `oracle/core/src/diff.rs`) as `KEY: wasm-ld-22 vs RELEASE`; \
`outcome` values also say why (the first error, the crash status).

| case | release | what differs |
|---|---|---|
| a_case | wasm-ld-9 | run.stdout: \"hi\\\\n\" vs \"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz… |
| a_case | wasm-ld-14 | outcome: rejected vs linked; diag.import-module-mismatch.close: (absent) vs 1 |
| b_case | wasm-ld-14 | export.x\\|y: func () -> i32 vs (absent) |
| b_case | wasm-ld-19 | run.exit_code: 3 vs 4 |
";
    assert_eq!(text, expected);
}

#[test]
fn an_empty_table_keeps_its_header() {
    let mut report = fixed_report();
    report.rows.clear();
    let text = render_markdown(&report);
    assert!(text.contains("0 of 9 (case, release) pairs differ"), "{text}");
    assert!(text.ends_with("| case | release | what differs |\n|---|---|---|\n"), "{text}");
}

#[test]
fn cells_are_shortened_and_capped() {
    assert_eq!(shorten("short"), "short");
    assert_eq!(shorten("a\nb"), "a\\nb");
    let long = shorten(&"x".repeat(41));
    assert_eq!(long.chars().count(), 40);
    assert!(long.ends_with('…'));
    let many: Vec<Difference> = (0..10).map(|i| diff(&format!("export.e{i}"), "(absent)", "func")).collect();
    let text = what_differs(&many);
    assert!(text.starts_with("export.e0: (absent) vs func; export.e1:"), "{text}");
    assert!(text.ends_with("export.e7: (absent) vs func; … and 2 more"), "{text}");
}

#[test]
fn outcome_differences_say_why() {
    let mut r = row("c", "wasm-ld-16", vec![diff("outcome", "linked", "crashed")]);
    assert_eq!(row_differs(&r), "outcome: linked vs crashed");
    r.outcome_detail = Some(("linked".into(), "crashed: signal 11 (SIGSEGV)".into()));
    assert_eq!(row_differs(&r), "outcome: linked vs crashed: signal 11 (SIGSEGV)");
    let crashed = Outcome::Crashed { status: "signal 11 (SIGSEGV)".into(), stderr: "backtrace".into() };
    assert_eq!(outcome_detail(&crashed), "crashed: signal 11 (SIGSEGV)");
    let rejected = Outcome::Rejected {
        diagnostics: vec!["warning: w".into(), "error: main.o: undefined symbol: f\n>>> referenced by main.o".into()],
    };
    assert_eq!(outcome_detail(&rejected), "rejected: main.o: undefined symbol: f");
    assert_eq!(outcome_detail(&Outcome::Rejected { diagnostics: vec![] }), "rejected");
    assert_eq!(outcome_detail(&Outcome::TimedOut), "timed out");
    let json: serde_json::Value = serde_json::to_value(&r).unwrap();
    assert_eq!(json["outcome_detail"][1], "crashed: signal 11 (SIGSEGV)");
}

#[test]
fn releases_sort_by_number() {
    assert_eq!(natural_cmp("wasm-ld-9", "wasm-ld-14"), Ordering::Less);
    assert_eq!(natural_cmp("wasm-ld-19", "wasm-ld-16"), Ordering::Greater);
    assert_eq!(natural_cmp("a", "a"), Ordering::Equal);
    assert_eq!(natural_cmp("case2", "case10"), Ordering::Less);
}

#[test]
fn case_names_are_relative_to_the_common_folder() {
    let dirs = [PathBuf::from("corpus/undefined/a"), PathBuf::from("corpus/undefined/b")];
    assert_eq!(case_names(&dirs), ["a", "b"]);
    let dirs = [PathBuf::from("corpus/basic/a"), PathBuf::from("corpus/undefined/b")];
    assert_eq!(case_names(&dirs), ["basic/a", "undefined/b"]);
    assert_eq!(case_names(&[PathBuf::from("corpus/basic/one")]), ["one"]);
    let nested = [PathBuf::from("c/x"), PathBuf::from("c/x/y")];
    assert_eq!(case_names(&nested), ["x", "x/y"]);
}

#[test]
fn markers_are_added_at_the_end_when_absent() {
    let out = replace_block("# Title\n\ntext", "TABLE\n").unwrap();
    assert_eq!(out, format!("# Title\n\ntext\n\n{BEGIN_MARKER}\nTABLE\n{END_MARKER}\n"));
    // Idempotent: replacing again changes nothing.
    assert_eq!(replace_block(&out, "TABLE\n").unwrap(), out);
    assert_eq!(replace_block("", "T").unwrap(), format!("{BEGIN_MARKER}\nT\n{END_MARKER}\n"));
}

#[test]
fn only_the_part_between_the_markers_is_replaced() {
    let text = format!("before\n{BEGIN_MARKER}\nold 1\nold 2\n{END_MARKER}\nafter\n");
    let out = replace_block(&text, "new\n").unwrap();
    assert_eq!(out, format!("before\n{BEGIN_MARKER}\nnew\n{END_MARKER}\nafter\n"));
    // A marker quoted inside a line is not a marker.
    let quoted = format!("see `{BEGIN_MARKER}` below\n");
    assert_eq!(replace_block(&quoted, "x\n").unwrap(), format!("{quoted}\n{BEGIN_MARKER}\nx\n{END_MARKER}\n"));
}

#[test]
fn bad_markers_are_errors() {
    for text in [
        format!("{BEGIN_MARKER}\nno end\n"),
        format!("no begin\n{END_MARKER}\n"),
        format!("{END_MARKER}\n{BEGIN_MARKER}\n"),
        format!("{BEGIN_MARKER}\n{END_MARKER}\n{BEGIN_MARKER}\n{END_MARKER}\n"),
    ] {
        assert!(replace_block(&text, "x").is_err(), "{text}");
    }
}

#[test]
fn the_block_names_its_command_and_ends_with_an_empty_line() {
    let block = render_block(&fixed_report(), "cargo run -p linkcheck -- releases corpus/x");
    assert!(block.starts_with("<!-- Made by `cargo run -p linkcheck -- releases corpus/x`"), "{block}");
    assert!(block.ends_with("|\n\n"), "{block}");
    assert_eq!(shell_words(&["releases", "--update", "a b.md", "it's"]), "releases --update 'a b.md' 'it'\\''s'");
}

#[test]
fn json_has_the_rows() {
    let json: serde_json::Value = serde_json::from_str(&render_json(&fixed_report())).unwrap();
    assert_eq!(json["baseline"]["version"], "Debian LLD 22.1.8");
    assert_eq!(json["rows"].as_array().unwrap().len(), 4);
    assert_eq!(json["rows"][1]["case"], "a_case");
    assert_eq!(json["rows"][1]["release"], "wasm-ld-14");
    assert_eq!(json["rows"][1]["differences"][0]["key"], "outcome");
    assert_eq!(json["rows"][1]["differences"][0]["left"], "rejected");
}

#[test]
fn a_missing_linker_names_its_package() {
    let err = Release::debian(&DebianLinker { program: "wasm-ld-no-such-release", package: "lld-none" }).unwrap_err();
    assert!(err.contains("apt-get install lld-none"), "{err}");
    assert_eq!(BASELINE.package, "lld-22");
    let packages: Vec<&str> = RELEASES.iter().map(|d| d.package).collect();
    assert_eq!(packages, ["lld", "lld-16", "lld-19"]);
}

/// Debian's program, or a failure naming the package to install.
fn debian(d: &DebianLinker) -> PathBuf {
    d.find().unwrap_or_else(|| {
        panic!("{} is not installed: apt-get install {} (scripts/setup.sh installs it)", d.program, d.package)
    })
}

#[test]
fn wasm_ld_19_against_22_on_corpus_basic() {
    debian(&BASELINE);
    let wasm_ld_19 = RELEASES.iter().find(|d| d.program == "wasm-ld-19").expect("wasm-ld-19 is a default release");
    let program = debian(wasm_ld_19);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace root").to_path_buf();
    let basic = root.join("corpus/basic");
    let dir = tempfile::tempdir().unwrap();
    let readme = dir.path().join("README.md");
    std::fs::write(&readme, "# notes\n\nkept as is\n").unwrap();

    let out = Command::new(env!("CARGO_BIN_EXE_linkcheck"))
        .args(["releases", "--release"])
        .arg(format!("wasm-ld-19={}", program.display()))
        .arg("--update")
        .arg(&readme)
        .arg(&basic)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");

    let text = std::fs::read_to_string(&readme).unwrap();
    assert!(text.starts_with("# notes\n\nkept as is\n\n"), "{text}");
    let inside = text
        .split_once(&format!("{BEGIN_MARKER}\n"))
        .and_then(|(_, rest)| rest.split_once(&format!("{END_MARKER}\n")))
        .map(|(inside, after)| {
            assert_eq!(after, "", "nothing after the end marker");
            inside
        })
        .unwrap_or_else(|| panic!("no markers in\n{text}"));
    assert!(inside.contains("<!-- Made by `cargo run -p linkcheck -- releases --release wasm-ld-19="), "{inside}");
    let cases =
        std::fs::read_dir(&basic).unwrap().filter(|e| e.as_ref().unwrap().path().join("case.toml").is_file()).count();
    assert!(cases >= 8, "{cases} cases in corpus/basic");
    assert!(
        inside.contains(&format!("{cases} cases run with wasm-ld-22 (`Debian LLD 22.")),
        "the summary line names the case count and wasm-ld-22's version:\n{inside}"
    );
    assert!(inside.contains("1 release wasm-ld-19 (`Debian LLD 19."), "{inside}");

    let lines: Vec<&str> = inside.lines().collect();
    let header = lines.iter().position(|l| *l == "| case | release | what differs |").expect("the table header");
    assert_eq!(lines[header + 1], "|---|---|---|");
    for line in lines[header + 2..].iter().take_while(|l| l.starts_with('|')) {
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        assert_eq!(cells.len(), 3, "{line}");
        assert!(basic.join(cells[0]).join("case.toml").is_file(), "row names no case of corpus/basic: {line}");
        assert_eq!(cells[1], "wasm-ld-19", "{line}");
        assert!(!cells[2].is_empty(), "{line}");
    }
}

#[test]
fn a_broken_case_leaves_the_file_alone_and_bad_linkers_are_usage_errors() {
    debian(&BASELINE);
    let program = debian(&RELEASES[2]);
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("corpus/broken");
    std::fs::create_dir_all(&case).unwrap();
    std::fs::write(case.join("case.toml"), "description = \"x\"\nargs = [\"a.o\"]\nexpect = \"maybe\"\n").unwrap();
    let readme = dir.path().join("README.md");
    std::fs::write(&readme, "unchanged\n").unwrap();
    let release = format!("wasm-ld-19={}", program.display());
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_linkcheck")).args(args).current_dir(dir.path()).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (code, stderr) = run(&["releases", "--release", &release, "--update", "README.md", "corpus"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("case.toml") && stderr.contains("README.md left alone"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&readme).unwrap(), "unchanged\n");

    let (code, stderr) = run(&["releases", "--release", "gone=/nonexistent/wasm-ld", "corpus"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("/nonexistent/wasm-ld --version"), "{stderr}");
    assert_eq!(run(&["releases", "--release", "no-equals-sign", "corpus"]).0, Some(2));
    assert_eq!(run(&["releases"]).0, Some(2), "CORPUS is required");
    let (code, stderr) = run(&["releases", "--release", &release, "--release", &release, "corpus"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("two linkers are named `wasm-ld-19`"), "{stderr}");
}
