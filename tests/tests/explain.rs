//! `linkcheck explain`: for every undefined symbol, its referrers (file,
//! function, use kind), import attributes and fate under each policy, plus
//! import-module conflicts; text for people, JSON for tools.

#[path = "rules/support.rs"]
#[allow(unused_imports)]
mod support;

use support::*;

/// Writes the objects into a temporary folder and explains the link.
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
    assert!(fate(w, "(default)").contains("weak stub"), "a weak reference never errors");
    // The JSON carries the same facts for tools.
    let json: serde_json::Value = serde_json::from_str(&linkcheck::explain::render_json(&e)).unwrap();
    let entry = json["undefined"].as_array().unwrap().iter().find(|u| u["name"] == "missing_fn").unwrap();
    assert_eq!(entry["referrers"][0]["kind"], "call");
    assert_eq!(entry["import_module"], "env");
    // The text names the symbol, its referrer and each policy.
    let text = linkcheck::explain::render_text(&e);
    for needle in ["undefined function missing_fn", "referenced by a.o in run (call)", "--allow-undefined", "undefined data missing_data"] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
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
