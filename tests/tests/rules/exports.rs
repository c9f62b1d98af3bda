//! Exports (EXP-*) and the merged custom sections (FEAT-*, PROD-1).

use crate::support::*;

fn names(v: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

#[test]
fn memory_export_rules() {
    let inputs = [("a.o", encode(&returns("run", 1, 0)))];
    // EXP-1: (flags, exports, memory imported).
    let cases: [(&[&str], &[&str], bool); 4] = [
        (&[], &["memory", "run"], false),
        (&["--import-memory"], &["run"], true),
        (&["--import-memory", "--export-memory"], &["memory", "run"], true),
        (&["--export-table"], &["__indirect_function_table", "memory", "run"], false),
    ];
    for (flags, exports, imported) in cases {
        let mut args = vec!["--no-entry", "--export=run"];
        args.extend(flags);
        let (r, lld) = both_ok(&inputs, &args);
        for bytes in [&r, &lld] {
            let s = summary(bytes);
            assert_eq!(s.export_names(), names(exports), "{flags:?}");
            let memory_import = s.imports.iter().any(|i| i == &("env".into(), "memory".into(), "memory"));
            assert_eq!(memory_import, imported, "{flags:?}");
            let kinds: Vec<(&str, &str)> = s.exports.iter().map(|e| (e.0.as_str(), e.1)).collect();
            assert!(kinds.iter().all(|(n, k)| match *n {
                "memory" => *k == "memory",
                "__indirect_function_table" => *k == "table",
                _ => *k == "func",
            }), "{kinds:?}");
        }
    }
}

/// f: EXPORTED; g: hidden; h: plain; data d (plain, holds 7) and hd (hidden).
fn export_object() -> Vec<u8> {
    let mut m = obj();
    m.define_func("f", sig_i32(), ret(1), flags::EXPORTED);
    m.define_func("g", sig_i32(), ret(2), flags::VISIBILITY_HIDDEN);
    m.define_func("h", sig_i32(), ret(3), 0);
    m.define_data("d", ".data.d", &[7, 0, 0, 0], 0);
    m.define_data("hd", ".data.hd", &[8, 0, 0, 0], flags::VISIBILITY_HIDDEN);
    encode(&m)
}

#[test]
fn export_flags() {
    let inputs = [("a.o", export_object())];
    let cases: [(&[&str], &[&str]); 4] = [
        // EXP-2: EXPORTED symbols always.
        (&[], &["memory", "f"]),
        // EXP-2: --export and --export-if-defined (silent when undefined).
        (&["--export=h", "--export-if-defined=g", "--export-if-defined=nope"], &["memory", "f", "g", "h"]),
        // EXP-4: --export-dynamic exports the non-hidden ones...
        (&["--export-dynamic"], &["memory", "f", "h", "d"]),
        // ...--export-all every one, the linker's data symbols and
        // `__wasm_call_ctors` included (SYN-2, measured).
        (&["--export-all"], &["memory", "f", "g", "h", "d", "hd", "__heap_base", "__data_end", "__wasm_call_ctors"]),
    ];
    for (flags, expected) in cases {
        let mut args = vec!["--no-entry"];
        args.extend(flags);
        let (r, lld) = both_ok(&inputs, &args);
        let (rs, ls) = (summary(&r), summary(&lld));
        for n in expected {
            assert!(rs.export_names().contains(&n.to_string()), "{flags:?}: {:?}", rs.export_names());
        }
        assert_eq!(rs.export_names(), ls.export_names(), "{flags:?}");
        // EXP-DATA: `d` is an immutable i32 global holding its address.
        for s in [&rs, &ls] {
            if let Some(e) = s.exports.iter().find(|e| e.0 == "d") {
                assert_eq!(e.1, "global");
                let (mutable, value) = s.globals[(e.2 - s.num_imported_globals) as usize];
                assert!(!mutable);
                let at = value.expect("an i32.const address") as usize;
                assert_eq!(&s.memory_image()[at..at + 4], &[7, 0, 0, 0]);
            }
        }
    }
    let (r, _) = both_ok(&inputs, &["--no-entry", "--export=h"]);
    assert_eq!(run_export(&r, "h", &[]), Ok(3));
}

#[test]
fn export_not_found() {
    // EXP-5: an error under report-all, a warning under warn.
    let inputs = [("a.o", encode(&returns("run", 1, 0)))];
    let msgs = both_fail(&inputs, &["--no-entry", "--export=nope"]);
    assert_eq!(errors(&msgs), ["symbol exported via --export not found: nope"]);
    let (r, _) = both(&inputs, &["--no-entry", "--export=nope", "--warn-unresolved-symbols"]);
    let w: Vec<String> = r.expect("a warning only").warnings.iter().map(|d| d.message.clone()).collect();
    assert_eq!(w, ["symbol exported via --export not found: nope"]);
}

#[test]
fn export_not_found_with_undefined_symbols() {
    // EXP-5, DIAG-1: the `--export` error comes in one phase with the
    // undefined symbols; an export target that is only an undefined
    // function is both (measured).
    let mut m = obj();
    let missing = m.undefined_func("missing", "env", "missing", sig_i32(), 0);
    let target = m.undefined_func("target", "env", "target", sig_i32(), 0);
    let mut b = Body::new();
    b.call(missing).call(target).i32_add();
    m.define_func("run", sig_i32(), b, 0);
    let inputs = [("a.o", encode(&m))];
    let msgs = both_fail(&inputs, &["--no-entry", "--export=run", "--export=nope", "--export=target"]);
    assert_eq!(
        errors(&msgs),
        [
            "a.o: undefined symbol: missing",
            "a.o: undefined symbol: target",
            "symbol exported via --export not found: nope",
            "symbol exported via --export not found: target",
        ]
    );
    // refld's order is wasm-ld's: the export errors first.
    let e = link(&inputs, &["--no-entry", "--export=run", "--export=nope"]).unwrap_err();
    let order: Vec<&str> = e.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(order, ["symbol exported via --export not found: nope", "a.o: undefined symbol: missing", "a.o: undefined symbol: target"]);
}

#[test]
fn export_of_weak_undefined_function() {
    // EXP-5, UND-WEAK-FUNC: an undefined weak function counts as defined
    // (silent, under report-all and warn) and is not exported; undefined
    // weak data still is `not found`.
    let mut m = obj();
    let wf = m.undefined_func("wf", "other", "wf", sig_i32(), flags::BINDING_WEAK);
    let wd = m.undefined_data("wd", flags::BINDING_WEAK);
    let mut b = Body::new();
    b.i32_const_table(wf).i32_const(0).i32_load_sym(wd, 0).i32_add();
    m.define_func("run", sig_i32(), b, 0);
    let inputs = [("a.o", encode(&m))];
    for extra in [None, Some("--warn-unresolved-symbols"), Some("--export-all")] {
        let mut args = vec!["--no-entry", "--export=run", "--export=wf"];
        args.extend(extra);
        let out = both_ok(&inputs, &args);
        assert_eq!(run_both(&out, "run"), Ok(0), "{args:?}");
        for bytes in [&out.0, &out.1] {
            assert!(!summary(bytes).export_names().contains(&"wf".to_string()), "{args:?}");
        }
    }
    let msgs = both_fail(&inputs, &["--no-entry", "--export=run", "--export=wd"]);
    assert_eq!(errors(&msgs), ["symbol exported via --export not found: wd"]);
}

#[test]
fn entry_missing() {
    // EXP-6: `_start` by default, `--entry` names another.
    let inputs = [("a.o", encode(&returns("run", 1, 0)))];
    let msgs = both_fail(&inputs, &[]);
    assert_eq!(errors(&msgs), ["entry symbol not defined (pass --no-entry to suppress): _start"]);
    let msgs = both_fail(&inputs, &["--entry=main"]);
    assert_eq!(errors(&msgs), ["entry symbol not defined (pass --no-entry to suppress): main"]);
    // A defined entry is exported (EXP-2).
    let (r, lld) = both_ok(&inputs, &["--entry=run"]);
    assert!(summary(&r).export_names().contains(&"run".into()) && summary(&lld).export_names().contains(&"run".into()));
}

#[test]
fn export_name_attribute() {
    // EXP-NAME: `foo` is EXPORTED and named `bar` in a.o's export section.
    let mut m = obj();
    let foo = m.define_func("foo", sig_i32(), ret(42), flags::EXPORTED);
    let index = m.symbols[foo as usize].index;
    let bytes = with_export_section(&encode(&m), &[("bar", index)]);
    let out = both_ok(&[("a.o", bytes)], &["--no-entry"]);
    assert_eq!(run_both(&out, "bar"), Ok(42));
    for bytes in [&out.0, &out.1] {
        assert_eq!(summary(bytes).export_names(), names(&["bar", "memory"]));
    }
}

fn feature(prefix: char, name: &str) -> FeatureModel {
    FeatureModel { prefix, name: name.into() }
}

fn producers(fields: &[(&str, &[(&str, &str)])]) -> Vec<ProducerField> {
    fields
        .iter()
        .map(|(f, v)| ProducerField { name: f.to_string(), values: v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect() })
        .collect()
}

/// The `+`/`-`/`=` entries of a `target_features` payload, sorted.
fn parse_features(payload: &[u8]) -> Vec<String> {
    let mut r = wasmparser::BinaryReader::new(payload, 0);
    let n = r.read_var_u32().unwrap();
    let mut v: Vec<String> = (0..n).map(|_| {
        let prefix = r.read_u8().unwrap() as char;
        format!("{prefix}{}", r.read_string().unwrap())
    }).collect();
    v.sort();
    v
}

/// (field, name, version) triples of a `producers` payload.
fn parse_producers(payload: &[u8]) -> Vec<(String, String, String)> {
    let reader = wasmparser::ProducersSectionReader::new(wasmparser::BinaryReader::new(payload, 0)).unwrap();
    let mut v = Vec::new();
    for f in reader {
        let f = f.unwrap();
        for x in f.values {
            let x = x.unwrap();
            v.push((f.name.to_string(), x.name.to_string(), x.version.to_string()));
        }
    }
    v
}

#[test]
fn target_features_merged() {
    let mut a = returns("run", 1, 0);
    a.features = vec![feature('+', "mutable-globals"), feature('+', "sign-ext")];
    a.producers = producers(&[("language", &[("C11", "")]), ("processed-by", &[("clang", "19.1.0")])]);
    let mut b = returns("run2", 2, 0);
    b.features = vec![feature('+', "bulk-memory"), feature('+', "sign-ext")];
    b.producers = producers(&[("processed-by", &[("clang", "20.0.0"), ("rustc", "1.95")]), ("language", &[("Rust", "")])]);
    let inputs = [("a.o", encode(&a)), ("b.o", encode(&b))];
    let (r, lld) = both_ok(&inputs, &["--no-entry", "--export=run", "--export=run2"]);
    for bytes in [&r, &lld] {
        let s = summary(bytes);
        // FEAT-1: every feature some input uses.
        let f = parse_features(s.custom("target_features").expect("a target_features section"));
        assert_eq!(f, ["+bulk-memory", "+mutable-globals", "+sign-ext"]);
        // PROD-1: each (field, name) once, the first version kept.
        let mut p = parse_producers(s.custom("producers").expect("a producers section"));
        p.sort();
        let t = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
        assert_eq!(p, [t("language", "C11", ""), t("language", "Rust", ""), t("processed-by", "clang", "19.1.0"), t("processed-by", "rustc", "1.95")]);
    }
}

#[test]
fn disallowed_feature_is_error() {
    let with = |name: &str, f: Vec<FeatureModel>| {
        let mut m = returns(name, 1, 0);
        m.features = f;
        encode(&m)
    };
    let args = ["--no-entry", "--export=run", "--export=run2"];
    // FEAT-2: used by a.o, disallowed by b.o.
    let inputs = [("a.o", with("run", vec![feature('+', "atomics")])), ("b.o", with("run2", vec![feature('-', "atomics")]))];
    let msgs = both_fail(&inputs, &args);
    assert_eq!(errors(&msgs), ["Target feature 'atomics' used in a.o is disallowed by b.o. Use --no-check-features to suppress."]);
    let mut off = args.to_vec();
    off.push("--no-check-features");
    both_ok(&inputs, &off);
    // FEAT-3 (measured): the `=` (required) prefix is unknown to wasm-ld 22.
    let inputs = [("a.o", with("run", vec![feature('=', "bulk-memory")])), ("b.o", with("run2", vec![feature('+', "sign-ext")]))];
    let lld = rust_lld(&inputs, &args);
    assert_eq!(errors(&lld.messages), ["a.o: unknown feature policy prefix"]);
    let e = link(&inputs, &args).expect_err("`=` is an error").to_string();
    assert!(e.contains("a.o") && e.contains("unknown feature policy prefix"), "{e}");
}
