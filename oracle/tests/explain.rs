//! The `linkcheck explain` command: failing symbols first, dead-code-only
//! references in one line unless `--all`, `--json` with every symbol, and
//! its exit status.

use linkcheck_object::{encode, Body, FuncSig, ObjectModel, ValTypeModel};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_linkcheck");

fn linkcheck(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN).args(args).current_dir(dir).output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

/// `run` (exported) calls `weak_hook` (weak) and `host_fn`; `unused` (not
/// exported, so garbage collection removes it) calls the legacy-mangled
/// `_ZN4dead4gone17h0123456789abcdefE`.
fn object() -> Vec<u8> {
    let sig = FuncSig::new(&[], &[ValTypeModel::I32]);
    let mut m = ObjectModel::new();
    m.import_memory();
    let weak = m.undefined_func("weak_hook", "env", "weak_hook", sig.clone(), linkcheck_object::flags::BINDING_WEAK);
    let host = m.undefined_func("host_fn", "env", "host_fn", sig.clone(), 0);
    let dead = m.undefined_func("_ZN4dead4gone17h0123456789abcdefE", "env", "_ZN4dead4gone17h0123456789abcdefE", sig.clone(), 0);
    let mut body = Body::new();
    body.call(weak).call(host).i32_add();
    m.define_func("run", sig.clone(), body, 0);
    let mut body = Body::new();
    body.call(dead);
    m.define_func("unused", sig, body, 0);
    encode(&m)
}

#[test]
fn failing_first_dead_code_summed_up_unless_all() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.o"), object()).unwrap();
    let (code, out, err) = linkcheck(dir.path(), &["explain", "--", "--no-entry", "--export=run", "a.o"]);
    assert_eq!(code, 1, "something is undefined: {err}");
    assert!(out.starts_with("1 undefined symbol fails the link, 1 more does not, 1 is referenced only from dead code\n"), "{out}");
    let host = out.find("undefined function host_fn: fails the link").expect(&out);
    let weak = out.find("undefined function weak_hook\n").expect(&out);
    assert!(host < weak, "failing first:\n{out}");
    assert!(out.contains("fix: Rust: -C link-arg=--import-undefined (or -C link-arg=--allow-undefined); C: -Wl,--import-undefined (or -Wl,--allow-undefined) — "), "no language known: both spellings\n{out}");
    assert!(out.contains("(--all shows it): dead::gone (_ZN4dead4gone17h0123456789abcdefE)"), "{out}");
    assert!(!out.contains("undefined function dead::gone"), "{out}");

    let (code, all, _) = linkcheck(dir.path(), &["explain", "--all", "--", "--no-entry", "--export=run", "a.o"]);
    assert_eq!(code, 1);
    assert!(all.contains("undefined function dead::gone (_ZN4dead4gone17h0123456789abcdefE)  (only dead code refers to it)"), "{all}");
    assert!(all.contains("referenced by a.o in unused (call, dead)"), "{all}");

    let (code, json, _) = linkcheck(dir.path(), &["explain", "--json", "--", "--no-entry", "--export=run", "a.o"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let groups: Vec<(&str, &str)> = v["undefined"].as_array().unwrap().iter().map(|u| (u["name"].as_str().unwrap(), u["group"].as_str().unwrap())).collect();
    assert_eq!(groups, [("host_fn", "failing"), ("weak_hook", "other"), ("_ZN4dead4gone17h0123456789abcdefE", "dead")]);
    assert_eq!(v["undefined"][2]["demangled"], "dead::gone");
    assert_eq!(v["undefined"][0]["fixes"][0]["kind"], "import-attribute");
    assert_eq!(v["undefined"][0]["fixes"][0]["checked"], true);
    assert_eq!(v["summary"], serde_json::json!({ "failing": 1, "other": 1, "dead": 1 }));
}

#[test]
fn nothing_undefined_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = ObjectModel::new();
    m.import_memory();
    let mut body = Body::new();
    body.i32_const(1);
    m.define_func("run", FuncSig::new(&[], &[ValTypeModel::I32]), body, 0);
    std::fs::write(dir.path().join("a.o"), encode(&m)).unwrap();
    let (code, out, err) = linkcheck(dir.path(), &["explain", "--", "--no-entry", "--export=run", "a.o"]);
    assert_eq!((code, out.as_str()), (0, "no undefined symbols\n"), "{err}");
}
