//! `reference/SPEC.md` and the code agree: every rule of the SPEC's tables
//! (`| ID | Rule | Source | Tests |`) names at least one test, every named
//! test exists, every rule ID cited in a comment of `reference/src` is a
//! rule of the SPEC, and every rule of the SPEC is cited by some comment of
//! `reference/src`. All problems are reported at once.
//!
//! Test names are `file::function`:
//!
//! | file | where `fn function(` must be |
//! |---|---|
//! | `rules` | `tests/tests/rules.rs` or `tests/tests/rules/**/*.rs` |
//! | `bad` | `tests/tests/bad_inputs.rs` |
//! | `real` | the program must be listed in `program_tests!(...)` of `tests/tests/real_programs.rs` |
//! | any other `X` | `tests/tests/X.rs` (an integration test) or else the module `X` of `reference/src` at any depth (its unit tests: `args`, `object/reloc_types.rs`, ...) |
//!
//! Rule IDs are `PREFIX-[A-Z0-9-]+`. Citations in comments are looked for
//! with the prefixes of [`PREFIXES`] and those of the SPEC's own rows (a
//! new family of rules is checked as soon as the SPEC has a row of it).
//!
//! The checker works on a [`Tree`] of file contents, so the self-tests at the
//! end can give it made-up trees with each kind of problem.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The rule-ID prefixes (the `regex` of the SPEC's convention:
/// `\b(OBJ|AR|...)-[A-Z0-9-]+`).
const PREFIXES: &[&str] = &[
    "OBJ", "AR", "SYM", "SYN", "COMDAT", "GC", "UND", "LAY", "MEM", "REL", "EXP", "INIT", "CTOR",
    "FEAT", "PROD", "OUT", "CLI", "DIAG",
];

/// The files the checker reads, as text.
#[derive(Debug, Default, Clone)]
struct Tree {
    spec: String,
    /// `tests/tests/rules.rs` and `tests/tests/rules/**/*.rs`: (path, text).
    rules: Vec<(String, String)>,
    /// `tests/tests/*.rs` (not `rules/`), by file stem: `bad_inputs`,
    /// `real_programs`, `undefined`, ...
    integration: BTreeMap<String, String>,
    /// Every `.rs` file under `reference/src`: (path relative to the
    /// workspace, text).
    reference_src: Vec<(String, String)>,
}

impl Tree {
    fn integration(&self, stem: &str) -> Option<&str> {
        self.integration.get(stem).map(String::as_str)
    }
    /// The module `<stem>` of `reference/src`, at any depth:
    /// `reference/src/<stem>.rs`, `reference/src/**/<stem>.rs` or
    /// `.../<stem>/mod.rs` (`object/reloc_types.rs` is `reloc_types`).
    fn reference_module(&self, stem: &str) -> Option<&str> {
        let file = format!("/{stem}.rs");
        let dir = format!("/{stem}/mod.rs");
        self.reference_src
            .iter()
            .find(|(p, _)| p.ends_with(&file) || p.ends_with(&dir))
            .map(|(_, t)| t.as_str())
    }
}

/// One row of a SPEC table.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    id: String,
    line: usize,
    tests: Vec<String>,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lies in the workspace")
        .to_path_buf()
}

fn read(path: &Path) -> Option<String> {
    match std::fs::read_to_string(path) {
        Ok(s) => Some(s),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => panic!("cannot read {}: {e}", path.display()),
    }
}

/// Every `.rs` file under `dir` (recursively), sorted, as (path relative to
/// `root`, text).
fn rust_files(root: &Path, dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix(root).unwrap_or(&p).display().to_string();
                out.push((rel, read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn load(root: &Path) -> Tree {
    let spec = read(&root.join("reference/SPEC.md")).expect("reference/SPEC.md exists");
    let mut rules = Vec::new();
    if let Some(text) = read(&root.join("tests/tests/rules.rs")) {
        rules.push(("tests/tests/rules.rs".to_string(), text));
    }
    rules.extend(rust_files(root, &root.join("tests/tests/rules")));
    let reference_src = rust_files(root, &root.join("reference/src"));
    assert!(
        !reference_src.is_empty(),
        "no .rs files under {}/reference/src",
        root.display()
    );
    let mut integration = BTreeMap::new();
    for e in std::fs::read_dir(root.join("tests/tests")).expect("tests/tests exists") {
        let p = e.unwrap().path();
        if p.is_file() && p.extension().is_some_and(|x| x == "rs") {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            integration.insert(stem, read(&p).unwrap());
        }
    }
    Tree {
        spec,
        rules,
        integration,
        reference_src,
    }
}

/// Every rule ID in `text`: one of `prefixes` at a word start, `-`, then
/// `[A-Z0-9-]+` (a trailing `-` is not part of the ID).
fn rule_ids<S: AsRef<str>>(text: &str, prefixes: &[S]) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let word_start = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        let prefix = prefixes.iter().map(AsRef::as_ref).find(|p| {
            bytes[i..].starts_with(p.as_bytes()) && bytes.get(i + p.len()) == Some(&b'-')
        });
        match prefix {
            Some(p) if word_start => {
                let mut end = i + p.len() + 1;
                while end < bytes.len()
                    && (bytes[end].is_ascii_uppercase()
                        || bytes[end].is_ascii_digit()
                        || bytes[end] == b'-')
                {
                    end += 1;
                }
                let id = text[i..end].trim_end_matches('-');
                if id.len() > p.len() + 1 {
                    out.push(id.to_string());
                }
                i = end.max(i + 1);
            }
            _ => i += 1,
        }
    }
    out
}

/// The text of every comment of Rust source `src` (line comments, doc
/// comments, block comments), one per line; string and character literals
/// are skipped so that IDs in messages do not count as citations.
fn comments(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = src[i..].find('\n').map_or(b.len(), |n| i + n);
                out.push_str(&src[i + 2..end]);
                out.push('\n');
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                // Block comments nest in Rust.
                let (mut depth, mut j) = (1, i + 2);
                while j < b.len() && depth > 0 {
                    if b[j..].starts_with(b"/*") {
                        depth += 1;
                        j += 2;
                    } else if b[j..].starts_with(b"*/") {
                        depth -= 1;
                        j += 2;
                    } else {
                        j += 1;
                    }
                }
                out.push_str(&src[i + 2..j.saturating_sub(2).max(i + 2)]);
                out.push('\n');
                i = j;
            }
            b'r' if !(i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
                && matches!(b.get(i + 1), Some(b'"') | Some(b'#')) =>
            {
                // A raw string r"..." or r#"..."#.
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                if b.get(i + 1 + hashes) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let close = format!("\"{}", "#".repeat(hashes));
                let start = i + 2 + hashes;
                i = src[start..]
                    .find(&close)
                    .map_or(b.len(), |n| start + n + close.len());
            }
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                i = j + 1;
            }
            b'\'' => {
                // A character literal ('x', '\n', '\u{..}') or a lifetime ('a).
                if b.get(i + 1) == Some(&b'\\') {
                    i = src[i + 2..].find('\'').map_or(b.len(), |n| i + 2 + n + 1);
                } else if b.get(i + 2) == Some(&b'\'') {
                    i += 3;
                } else {
                    // A lifetime, or a multi-byte character: skip the quote only.
                    let ch_len = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                    i += if b.get(i + 1 + ch_len) == Some(&b'\'') {
                        ch_len + 2
                    } else {
                        1
                    };
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// The rows of every SPEC table; malformed rows are problems.
fn spec_rules(spec: &str, problems: &mut Vec<String>) -> Vec<Rule> {
    let mut rules = Vec::new();
    for (n, line) in spec.lines().enumerate() {
        let line_no = n + 1;
        let t = line.trim();
        if !t.starts_with('|') {
            continue;
        }
        let cells: Vec<&str> = t.trim_matches('|').split('|').map(str::trim).collect();
        if cells
            .first()
            .is_some_and(|c| *c == "ID" || c.starts_with("---"))
        {
            continue;
        }
        if cells.len() != 4 {
            problems.push(format!("SPEC.md:{line_no}: a table row needs 4 cells (ID | rule | source | tests), it has {}: {t}", cells.len()));
            continue;
        }
        let id = cells[0].to_string();
        let prefix = id.split('-').next().unwrap_or("");
        let well_formed = !prefix.is_empty() && prefix.bytes().all(|b| b.is_ascii_uppercase());
        if !well_formed || rule_ids(&id, &[prefix]) != [id.clone()] {
            problems.push(format!(
                "SPEC.md:{line_no}: `{id}` is not a rule ID (PREFIX-[A-Z0-9-]+)"
            ));
            continue;
        }
        let tests = cells[3]
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        rules.push(Rule {
            id,
            line: line_no,
            tests,
        });
    }
    rules
}

/// Whether `fn name(` occurs in `text`.
fn has_fn(text: &str, name: &str) -> bool {
    let needle = format!("fn {name}(");
    text.match_indices(&needle).any(|(at, _)| {
        at == 0
            || !text.as_bytes()[at - 1].is_ascii_alphanumeric() && text.as_bytes()[at - 1] != b'_'
    })
}

/// The program names of `program_tests!(a, b, ...)`.
fn real_programs(text: &str) -> Option<Vec<String>> {
    let at = text.find("program_tests!(")? + "program_tests!(".len();
    let end = text[at..].find(')')? + at;
    Some(
        text[at..end]
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

/// Every problem of `tree`, in a stable order.
fn problems(tree: &Tree) -> Vec<String> {
    let mut problems = Vec::new();
    let rules = spec_rules(&tree.spec, &mut problems);
    if rules.is_empty() {
        problems.push("SPEC.md has no rule tables".to_string());
    }

    // Rule IDs are unique.
    let mut first_line: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &rules {
        if let Some(l) = first_line.insert(&r.id, r.line) {
            problems.push(format!(
                "SPEC.md:{}: rule {} is also in line {l}",
                r.line, r.id
            ));
        }
    }

    // (a) and (b): every rule names tests, and they exist.
    let programs = tree.integration("real_programs").and_then(real_programs);
    for r in &rules {
        if r.tests.is_empty() {
            problems.push(format!("SPEC.md:{}: rule {} names no test", r.line, r.id));
        }
        for t in &r.tests {
            let missing = |where_: &str| {
                format!(
                    "SPEC.md:{}: rule {} names `{t}`, but there is no `fn {}(` in {where_}",
                    r.line,
                    r.id,
                    t.split_once("::").map_or("", |p| p.1)
                )
            };
            let Some((file, name)) = t.split_once("::") else {
                problems.push(format!(
                    "SPEC.md:{}: rule {} names `{t}`, which is not `file::function`",
                    r.line, r.id
                ));
                continue;
            };
            let name = name.trim_matches('`');
            let file_text = |text: Option<&str>, path: &str| -> Option<String> {
                match text {
                    None => Some(format!(
                        "SPEC.md:{}: rule {} names `{t}`, but {path} does not exist",
                        r.line, r.id
                    )),
                    Some(text) if !has_fn(text, name) => Some(missing(path)),
                    Some(_) => None,
                }
            };
            let problem = match file {
                "rules" => {
                    if tree.rules.is_empty() {
                        Some(format!("SPEC.md:{}: rule {} names `{t}`, but tests/tests/rules.rs does not exist", r.line, r.id))
                    } else if !tree.rules.iter().any(|(_, text)| has_fn(text, name)) {
                        Some(missing("tests/tests/rules.rs or tests/tests/rules/*.rs"))
                    } else {
                        None
                    }
                }
                "bad" => file_text(tree.integration("bad_inputs"), "tests/tests/bad_inputs.rs"),
                "real" => match &programs {
                    None => Some(format!("SPEC.md:{}: rule {} names `{t}`, but tests/tests/real_programs.rs has no `program_tests!(...)` list", r.line, r.id)),
                    Some(p) if !p.iter().any(|p| p == name) => Some(format!("SPEC.md:{}: rule {} names `{t}`, but `{name}` is not in program_tests!({})", r.line, r.id, p.join(", "))),
                    Some(_) => None,
                },
                other if !other.is_empty() && other.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') => {
                    match (tree.integration(other), tree.reference_module(other)) {
                        (Some(text), _) => file_text(Some(text), &format!("tests/tests/{other}.rs")),
                        (None, Some(text)) => file_text(Some(text), &format!("reference/src/{other}.rs")),
                        (None, None) => Some(format!(
                            "SPEC.md:{}: rule {} names `{t}`: unknown test file `{other}` (neither tests/tests/{other}.rs nor reference/src/{other}.rs exists)",
                            r.line, r.id
                        )),
                    }
                }
                other => Some(format!("SPEC.md:{}: rule {} names `{t}`: `{other}` is not a file name", r.line, r.id)),
            };
            problems.extend(problem);
        }
    }

    // (c) and (d): citations in the comments of reference/src.
    let spec_ids: BTreeSet<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    let mut prefixes: BTreeSet<&str> = PREFIXES.iter().copied().collect();
    prefixes.extend(rules.iter().filter_map(|r| r.id.split('-').next()));
    let prefixes: Vec<&str> = prefixes.into_iter().collect();
    let mut cited: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (path, text) in &tree.reference_src {
        for id in rule_ids(&comments(text), &prefixes) {
            let files = cited.entry(id).or_default();
            if !files.contains(path) {
                files.push(path.clone());
            }
        }
    }
    for (id, files) in &cited {
        if !spec_ids.contains(id.as_str()) {
            problems.push(format!(
                "{id} is cited in {} but is not a rule of SPEC.md",
                files.join(", ")
            ));
        }
    }
    for r in &rules {
        if !cited.contains_key(&r.id) {
            problems.push(format!(
                "SPEC.md:{}: rule {} is cited by no comment in reference/src",
                r.line, r.id
            ));
        }
    }
    problems
}

#[test]
fn spec_names_existing_tests_and_the_code_cites_its_rules() {
    let tree = load(&workspace_root());
    let problems = problems(&tree);
    assert!(
        problems.is_empty(),
        "reference/SPEC.md and the code disagree ({} problems):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

// ---------------------------------------------------------------------------
// Self-tests of the checker on made-up trees.

const FAKE_SPEC: &str = "\
# rules
| ID | Rule | Source | Tests |
|---|---|---|---|
| OBJ-1 | objects | L | bad::not_wasm, rules::in_main_file |
| UND-WEAK-FUNC | weak | W | rules::in_sub_file, real::multi |
| CLI-1 | options | W | args::parses, reloc_types::widths |
| NEW-1 | a new family | M | extra::integration_test |
";

fn fake_tree() -> Tree {
    let integration = [
        ("bad_inputs", "#[test]\nfn not_wasm() {}\n"),
        (
            "real_programs",
            "macro_rules! program_tests { () => {} }\nprogram_tests!(sqlite, multi);\n",
        ),
        ("extra", "#[test]\nfn integration_test() {}\n"),
    ];
    Tree {
        spec: FAKE_SPEC.to_string(),
        rules: vec![
            (
                "tests/tests/rules.rs".into(),
                "#[test]\nfn in_main_file() {}\n".into(),
            ),
            (
                "tests/tests/rules/sub.rs".into(),
                "#[test]\npub fn in_sub_file() {}\n".into(),
            ),
        ],
        integration: integration
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        reference_src: vec![
            (
                "reference/src/a.rs".into(),
                "// OBJ-1: objects.\nfn f() {}\n".into(),
            ),
            (
                "reference/src/b.rs".into(),
                "/// UND-WEAK-FUNC and CLI-1 (see OBJ-*), NEW-1.\nfn g() {}\n".into(),
            ),
            (
                "reference/src/args.rs".into(),
                "mod tests {\n    #[test]\n    fn parses() {}\n}\n".into(),
            ),
            (
                "reference/src/object/reloc_types.rs".into(),
                "#[test]\nfn widths() {}\n".into(),
            ),
        ],
    }
}

#[test]
fn checker_accepts_a_consistent_tree() {
    assert_eq!(problems(&fake_tree()), Vec::<String>::new());
}

#[test]
fn checker_reports_every_kind_of_problem_at_once() {
    let mut t = fake_tree();
    t.spec = t.spec.replace(
        "| CLI-1 | options | W | args::parses, reloc_types::widths |",
        "| CLI-1 | options | W |  |",
    );
    t.spec.push_str("| OBJ-2 | more | W | bad::gone, rules::nowhere, real::lua, args::parses, nope::x, plain |\n");
    t.spec.push_str("| OBJ-1 | again | W | bad::not_wasm |\n");
    t.spec
        .push_str("| obj-3 | lower case | W | bad::not_wasm |\n");
    t.reference_src.push((
        "reference/src/c.rs".into(),
        "// GC-9 is new; OBJ-2 too; NEW-2 also.\n".into(),
    ));
    t.reference_src[1].1 = "/// UND-WEAK-FUNC and NEW-1 only.\nfn g() {}\n".into();
    let p = problems(&t);
    let expect = [
        "rule CLI-1 names no test",
        "rule OBJ-2 names `bad::gone`, but there is no `fn gone(` in tests/tests/bad_inputs.rs",
        "rule OBJ-2 names `rules::nowhere`, but there is no `fn nowhere(` in tests/tests/rules.rs or tests/tests/rules/*.rs",
        "`lua` is not in program_tests!(sqlite, multi)",
        "unknown test file `nope`",
        "`plain`, which is not `file::function`",
        "rule OBJ-1 is also in line",
        "GC-9 is cited in reference/src/c.rs but is not a rule of SPEC.md",
        "NEW-2 is cited in reference/src/c.rs but is not a rule of SPEC.md",
        "rule CLI-1 is cited by no comment in reference/src",
        "`obj-3` is not a rule ID",
    ];
    for e in expect {
        assert!(
            p.iter().any(|x| x.contains(e)),
            "no problem containing `{e}` in:\n{}",
            p.join("\n")
        );
    }
    assert_eq!(
        p.len(),
        expect.len(),
        "exactly these problems:\n{}",
        p.join("\n")
    );
}

#[test]
fn checker_reports_missing_files() {
    let mut t = fake_tree();
    t.rules.clear();
    t.integration.remove("bad_inputs");
    t.integration
        .insert("real_programs".into(), "no list here".into());
    t.integration.remove("extra");
    t.reference_src
        .retain(|(p, _)| p != "reference/src/object/reloc_types.rs");
    let p = problems(&t);
    let expect = [
        "names `rules::in_main_file`, but tests/tests/rules.rs does not exist",
        "names `rules::in_sub_file`, but tests/tests/rules.rs does not exist",
        "names `bad::not_wasm`, but tests/tests/bad_inputs.rs does not exist",
        "names `real::multi`, but tests/tests/real_programs.rs has no `program_tests!(...)` list",
        "names `extra::integration_test`: unknown test file `extra`",
        "names `reloc_types::widths`: unknown test file `reloc_types`",
    ];
    for e in expect {
        assert!(
            p.iter().any(|x| x.contains(e)),
            "no problem containing `{e}` in:\n{}",
            p.join("\n")
        );
    }
    assert_eq!(p.len(), expect.len(), "{}", p.join("\n"));
}

#[test]
fn rule_ids_follow_the_pattern() {
    let ids = rule_ids("OBJ-1, UND-WEAK-FUNC; (MEM-STACK-FIRST) xOBJ-3 OBJ-* CLI-FATAL- REL-FIT. FOO-1 OBJ-2..OBJ-6", PREFIXES);
    assert_eq!(
        ids,
        [
            "OBJ-1",
            "UND-WEAK-FUNC",
            "MEM-STACK-FIRST",
            "CLI-FATAL",
            "REL-FIT",
            "OBJ-2",
            "OBJ-6"
        ]
    );
}

#[test]
fn only_comments_cite_rules() {
    let src = r##"
//! OBJ-1 in a module doc comment.
/// SYM-1 in a doc comment.
fn f<'a>(x: &'a str) -> char {
    let s = "GC-1 in a string // AR-1 not a comment either";
    let r = r#"GC-2 in a raw "string""#;
    let c = '"'; // SYM-2 after a quote character
    /* SYM-3 in a block /* nested GC-3 */ comment */
    let e = "escaped \" GC-4 quote";
    'x'
}
"##;
    let ids = rule_ids(&comments(src), PREFIXES);
    assert_eq!(ids, ["OBJ-1", "SYM-1", "SYM-2", "SYM-3", "GC-3"]);
}

#[test]
fn has_fn_matches_whole_names() {
    assert!(has_fn("fn foo() {}", "foo"));
    assert!(has_fn("    pub fn foo(x: u32) {}", "foo"));
    assert!(!has_fn("fn foo_bar() {}", "foo"));
    assert!(!has_fn("fn xfoo() {}", "foo"));
    assert!(!has_fn("fn foo_x() {}", "foo"));
}
