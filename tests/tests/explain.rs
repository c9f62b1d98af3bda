//! `linkcheck explain`: for every undefined symbol, its referrers (file,
//! function, use kind), import attributes and fate under each policy, plus
//! import-module conflicts; text for people, JSON for tools. The symbols
//! that fail the link come first, with fixes in Rust's and clang's terms,
//! each of which is checked here by linking again with refld and rust-lld
//! (`fixes_hold`); Rust names are demangled; dead-code-only references are
//! summed up. Real inputs: rustc 1.95 `#![no_core]` objects and rlibs
//! (explain/rust.rs), clang-19 objects and wasi-libc (explain/c.rs),
//! archives not on the command line (explain/libraries.rs).

#[path = "rules/support.rs"]
#[allow(unused_imports)]
mod support;

#[path = "explain/c.rs"]
mod c;
#[path = "explain/libraries.rs"]
mod libraries;
#[path = "explain/rust.rs"]
mod rust;

use linkcheck::explain::{render_json, render_text, FixKind, Group, Report};
use std::path::Path;
use support::*;

/// Writes the objects into a temporary folder and explains the link
/// (refld's facts alone).
fn explain(objs: &[(&str, Vec<u8>)], args: &[&str]) -> (refld::explain::Explanation, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut argv: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    for (name, bytes) in objs {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        argv.push(name.to_string());
    }
    let e = linkcheck::explain::explain_command_line(&argv, dir.path()).expect("explain runs");
    (e, dir)
}

/// The full report of the link of `args` in `dir`.
fn report_in(dir: &Path, args: &[&str]) -> Report {
    let argv: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    linkcheck::explain::explain_report(&argv, dir).expect("explain runs")
}

/// The names of the symbols of `group`, in the report's order.
fn names(r: &Report, group: Group) -> Vec<String> {
    r.group(group).map(|(_, u)| u.name.clone()).collect()
}

/// What refld and rust-lld say when linking `args` in `dir`: whether each
/// linked, its diagnostics, and refld's output. Names are not demangled
/// (`--no-demangle`), so that messages name the symbols as the report does.
struct Relink {
    refld: Result<Vec<u8>, String>,
    lld: Result<(), String>,
}

fn relink(dir: &Path, args: &[String]) -> Relink {
    let mut argv: Vec<String> = args.to_vec();
    argv.extend(["--no-demangle".into(), "-o".into(), "out.wasm".into()]);
    let out = refld::driver::link_command_line(&argv, dir);
    let text = out.diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n");
    let refld = out.bytes.ok_or(text);
    argv.pop();
    argv.push("out-lld.wasm".into());
    let lld = std::process::Command::new(testkit::rust_lld()).args(&argv).current_dir(dir).output().expect("rust-lld runs");
    let lld = if lld.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&lld.stderr).into_owned()) };
    Relink { refld, lld }
}

impl Relink {
    /// Whether each linker reports `undefined symbol: NAME`: (refld, rust-lld).
    fn reports(&self, name: &str) -> (bool, bool) {
        let says = |t: &str| t.lines().any(|l| l.ends_with(&format!("undefined symbol: {name}")));
        (self.refld.as_ref().err().is_some_and(|t| says(t)), self.lld.as_ref().err().is_some_and(|t| says(t)))
    }
    /// Both linked.
    fn both_ok(&self) -> bool {
        self.refld.is_ok() && self.lld.is_ok()
    }
}

/// The wasm-ld form of a checked fix as arguments (an allow-list file
/// written into `dir` for the import attribute's linker form).
fn fix_args(dir: &Path, kind: FixKind, linker: &str, name: &str) -> Vec<String> {
    match kind {
        FixKind::ImportAttribute => {
            std::fs::write(dir.join("allow.txt"), format!("{name}\n")).unwrap();
            vec!["--allow-undefined-file=allow.txt".to_string()]
        }
        _ => linker.split_whitespace().map(str::to_string).collect(),
    }
}

/// Every checked fix of every failing symbol of the link of `args` in
/// `dir` holds: both refld and rust-lld report the symbol without it (the
/// link as given must fail on it, or the default policy's: `args` without
/// `--allow-undefined`), and neither reports it with the fix's wasm-ld form
/// added. Returns how many fixes were checked.
fn fixes_hold(dir: &Path, args: &[&str], r: &Report) -> usize {
    let base: Vec<String> = args.iter().filter(|a| **a != "--allow-undefined").map(|s| s.to_string()).collect();
    let before = relink(dir, &base);
    let mut checked = 0;
    for (s, u) in r.group(Group::Failing) {
        assert_eq!(before.reports(&u.name), (true, true), "{} fails without a fix: refld {:?}, rust-lld {:?}", u.name, before.refld.as_ref().err(), before.lld);
        for f in s.fixes.iter().filter(|f| f.checked) {
            let mut argv = base.clone();
            argv.extend(fix_args(dir, f.kind, f.linker.as_deref().expect("a checked fix has a wasm-ld form"), &u.name));
            let after = relink(dir, &argv);
            assert_eq!(after.reports(&u.name), (false, false), "{argv:?} (fix {f:?}) still fails on {}: refld {:?}, rust-lld {:?}", u.name, after.refld.as_ref().err(), after.lld);
            // What the fix brings comes to be reported, by both linkers.
            for then in &f.then {
                let name = then.strip_prefix("undefined symbol: ").expect("a brought symbol");
                assert_eq!(after.reports(name), (true, true), "{argv:?} brings {name}");
            }
            checked += 1;
        }
    }
    checked
}

#[test]
fn referrers_kinds_and_fates() {
    let mut m = obj();
    let missing = m.undefined_func("missing_fn", "env", "missing_fn", sig_i32(), 0);
    let weak = m.undefined_func("maybe", "env", "maybe", sig_i32(), flags::BINDING_WEAK);
    let data = m.undefined_data("missing_data", 0);
    let mut body = Body::default();
    body.call(missing).i32_const_table(weak).i32_add().i32_const_addr(data, 0).i32_add();
    m.define_func("run", sig_i32(), body, 0);
    let (e, _dir) = explain(&[("a.o", encode(&m))], &["--no-entry", "--export=run"]);
    let get = |n: &str| e.undefined.iter().find(|u| u.name == n).unwrap_or_else(|| panic!("{n} is explained"));
    let f = get("missing_fn");
    assert!(f.live);
    assert!(f.fails_as_given && f.fails_by_default);
    assert_eq!(f.referrers.len(), 1);
    assert_eq!((f.referrers[0].file.as_str(), f.referrers[0].within.as_str(), f.referrers[0].kind.word()), ("a.o", "run", "call"));
    let fate = |u: &refld::explain::UndefinedSymbol, p: &str| u.fates.iter().find(|o| o.policy == p).unwrap().fate.clone();
    assert!(fate(f, "(default)").starts_with("error"));
    assert_eq!(fate(f, "--import-undefined"), "import env.missing_fn");
    assert_eq!(fate(f, "--allow-undefined"), "import env.missing_fn");
    assert!(fate(f, "(all references weak)").contains("weak stub"));
    let d = get("missing_data");
    assert_eq!(d.referrers[0].kind.word(), "data");
    assert!(fate(d, "--import-undefined").starts_with("error"), "undefined data is still an error");
    assert_eq!(fate(d, "--allow-undefined"), "address 0");
    let w = get("maybe");
    assert_eq!(w.referrers[0].kind.word(), "address");
    assert!(w.referrers[0].weak);
    assert!(!w.fails_as_given && !w.fails_by_default, "a weak reference never fails");
    assert!(fate(w, "(default)").contains("weak stub"), "a weak reference never errors");
    // The report: failing first (symbol-table order within), the weak one after.
    let r = report_in(_dir.path(), &["--no-entry", "--export=run", "a.o"]);
    assert_eq!(names(&r, Group::Failing), ["missing_fn", "missing_data"]);
    assert_eq!(names(&r, Group::Other), ["maybe"]);
    // The JSON carries the same facts for tools, the earlier fields kept.
    let json: serde_json::Value = serde_json::from_str(&render_json(&r)).unwrap();
    let undefined = json["undefined"].as_array().unwrap();
    let order: Vec<&str> = undefined.iter().map(|u| u["name"].as_str().unwrap()).collect();
    assert_eq!(order, ["missing_fn", "missing_data", "maybe"]);
    let entry = &undefined[0];
    for field in ["name", "kind", "live", "import_module", "import_name", "referrers", "outcomes", "did_you_mean", "group", "fixes"] {
        assert!(entry.get(field).is_some(), "field {field} in {entry}");
    }
    assert_eq!(entry["referrers"][0]["kind"], "call");
    assert_eq!(entry["import_module"], "env");
    assert_eq!(entry["group"], "failing");
    assert_eq!(undefined[2]["group"], "other");
    assert_eq!(json["summary"]["failing"], 2);
    // The text names the symbol, its referrer and each policy.
    let text = render_text(&r, false);
    for needle in ["undefined function missing_fn: fails the link", "referenced by a.o in run (call)", "--allow-undefined", "undefined data missing_data: fails the link"] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    assert!(text.find("missing_data:").unwrap() < text.find("undefined function maybe").unwrap(), "failing first:\n{text}");
}

#[test]
fn import_module_conflicts_and_hints() {
    let mut a = obj();
    let f = a.undefined_func("close", "test", "close", sig_i32(), 0);
    a.define_func("fa", sig_i32(), calls(f), 0);
    let b = caller("fb", "close", 0);
    let user = caller("run", "mylibraryinit", 0);
    let lib = returns("mylibrary_init", 1, 0);
    let (e, _dir) = explain(
        &[("a.o", encode(&a)), ("b.o", encode(&b)), ("user.o", encode(&user)), ("lib.o", encode(&lib))],
        &["--no-entry", "--export=fa", "--export=fb", "--export=run"],
    );
    assert_eq!(e.conflicts.len(), 1);
    let c = &e.conflicts[0];
    assert_eq!(c.name, "close");
    assert!(c.reported, "no definition came first: the link reports it");
    let modules: Vec<&str> = c.imports.iter().map(|(m, _, _)| m.as_str()).collect();
    assert_eq!(modules, ["test", "env"]);
    assert_eq!(c.imports[0].2, ["a.o"]);
    let hint = e.undefined.iter().find(|u| u.name == "mylibraryinit").unwrap();
    assert_eq!(hint.suggestions, [("mylibrary_init".to_string(), "lib.o".to_string())]);
    // A definition first hides the conflict, as in wasm-ld.
    let def = returns("close", 7, 0);
    let (e2, _d2) = explain(&[("def.o", encode(&def)), ("a.o", encode(&a)), ("b.o", encode(&b))], &["--no-entry", "--export=fa", "--export=fb"]);
    assert_eq!(e2.conflicts.len(), 1);
    assert!(!e2.conflicts[0].reported);
    assert!(e2.undefined.is_empty(), "close is defined");
}

/// `--allow-undefined` on the command line hides an undefined function;
/// explain still puts it first, as failing under the default policy (Rust
/// 1.96's wasm targets no longer pass `--allow-undefined`).
#[test]
fn allowed_symbols_still_fail_under_the_default_policy() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.o"), encode(&caller("run", "host_fn", 0))).unwrap();
    let args = ["--no-entry", "--export=run", "--allow-undefined", "a.o"];
    let r = report_in(dir.path(), &args);
    let (s, u) = r.symbol("host_fn").unwrap();
    assert_eq!(s.group, Group::Failing);
    assert!(!u.fails_as_given && u.fails_by_default);
    assert!(relink(dir.path(), &args.map(String::from)).both_ok(), "the link as given succeeds");
    let text = render_text(&r, false);
    assert!(text.contains("undefined function host_fn: would fail the link under the default policy"), "{text}");
    assert!(text.contains("1 undefined symbol fails the link (1 only under the default policy)"), "{text}");
    assert!(fixes_hold(dir.path(), &args, &r) >= 2, "the import attribute and --import-undefined");
}

/// Undefined data has no import fix (`--allow-undefined` only gives it
/// address 0); an undefined global needs `--allow-undefined`, as
/// `--import-undefined` imports functions alone: each fix offered is the
/// one both linkers accept.
#[test]
fn fixes_follow_the_symbol_kind() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = obj();
    let data = m.undefined_data("table_of_things", 0);
    let global = m.undefined_global("host_counter", "env", "host_counter", ValTypeModel::I32, false, 0);
    let mut body = Body::default();
    body.i32_const_addr(data, 0).global_get(global).i32_add();
    m.define_func("run", sig_i32(), body, 0);
    std::fs::write(dir.path().join("a.o"), encode(&m)).unwrap();
    let args = ["--no-entry", "--export=run", "a.o"];
    let r = report_in(dir.path(), &args);
    let kinds = |name: &str| r.symbol(name).unwrap().0.fixes.iter().map(|f| f.kind).collect::<Vec<_>>();
    assert_eq!(kinds("table_of_things"), [FixKind::AddDefinition]);
    assert!(!r.symbol("table_of_things").unwrap().0.fixes[0].checked, "nothing on this machine defines it");
    assert_eq!(kinds("host_counter"), [FixKind::AllowUndefined]);
    assert_eq!(fixes_hold(dir.path(), &args, &r), 1);
    // --import-undefined is no fix for the global: both linkers still report it.
    let mut argv: Vec<String> = args.map(String::from).to_vec();
    argv.push("--import-undefined".into());
    assert_eq!(relink(dir.path(), &argv).reports("host_counter"), (true, true));
}
