//! Undefined symbols (UND-*), `--fatal-warnings`, error phases (DIAG-1).

use crate::support::*;

/// An object whose `run` calls each of `callees` (`() -> i32`, undefined,
/// reference `flags`) and sums the results.
fn calling(run: &str, callees: &[&str], flags: u32) -> ObjectModel {
    let mut m = obj();
    let mut b = Body::new();
    b.i32_const(0);
    for c in callees {
        let f = m.undefined_func(c, "env", c, sig_i32(), flags);
        b.call(f).i32_add();
    }
    m.define_func(run, sig_i32(), b, 0);
    m
}

fn import_names(bytes: &[u8]) -> Vec<(String, String, &'static str)> {
    let mut v = summary(bytes).imports;
    v.sort();
    v
}

#[test]
fn undefined_symbol_error() {
    // a.o calls `missing` twice, b.o once, lib.a(m.o) (pulled in by a.o's
    // call of `mfun`) once.
    let mut a = calling("run_a", &["missing", "mfun"], 0);
    let again = a.symbol_index("missing").unwrap();
    let mut b2 = Body::new();
    b2.call(again);
    a.define_func("run_a2", sig_i32(), b2, 0);
    let b = calling("run_b", &["missing"], 0);
    let m = calling("mfun", &["missing"], 0);
    let inputs = [("a.o", encode(&a)), ("b.o", encode(&b)), ("lib.a", archive(&[("m.o", &encode(&m))]))];
    let args = ["--no-entry", "--export=run_a", "--export=run_a2", "--export=run_b"];
    // UND-REPORT: once per live relocation (measured: a.o's two calls are
    // two errors), members as `lib.a(m.o)`.
    let msgs = both_fail(&inputs, &args);
    assert_eq!(
        errors(&msgs),
        [
            "a.o: undefined symbol: missing",
            "a.o: undefined symbol: missing",
            "b.o: undefined symbol: missing",
            "lib.a(m.o): undefined symbol: missing"
        ]
    );
    // The same messages as warnings under --warn-unresolved-symbols.
    let mut warn = args.to_vec();
    warn.push("--warn-unresolved-symbols");
    let (r, _) = both(&inputs, &warn);
    let w: Vec<String> = r.expect("warnings only").warnings.iter().map(|d| d.message.clone()).collect();
    assert_eq!(w.len(), 4, "{w:?}");
    // Silent under ignore-all.
    let mut ignore = args.to_vec();
    ignore.push("--unresolved-symbols=ignore-all");
    let (r, _) = both(&inputs, &ignore);
    assert!(r.expect("silent").warnings.is_empty());
}

#[test]
fn undefined_in_dead_code_is_fine() {
    // UND-REPORT: only live references count.
    let mut m = calling("dead", &["missing"], 0);
    m.define_func("run", sig_i32(), ret(1), 0);
    let inputs = [("a.o", encode(&m))];
    let out = both_ok(&inputs, &["--no-entry", "--export=run"]);
    assert_eq!(run_both(&out, "run"), Ok(1));
    let msgs = both_fail(&inputs, &["--no-entry", "--export=run", "--no-gc-sections"]);
    assert_eq!(errors(&msgs), ["a.o: undefined symbol: missing"]);
}

#[test]
fn explicit_import_name_is_an_import() {
    // UND-EXPLICIT: `foo` imports `env.real_foo` and `bar` imports
    // `mymod.real_bar` by design: no error, and they are imported.
    let mut m = obj();
    let foo = m.undefined_func("foo", "env", "real_foo", sig_i32(), 0);
    let bar = m.undefined_func("bar", "mymod", "real_bar", sig_i32(), 0);
    let mut b = Body::new();
    b.call(foo).call(bar).i32_add();
    m.define_func("run", sig_i32(), b, 0);
    let (r, lld) = both_ok(&[("a.o", encode(&m))], &["--no-entry", "--export=run"]);
    let expected = vec![("env".into(), "real_foo".into(), "func"), ("mymod".into(), "real_bar".into(), "func")];
    assert_eq!(import_names(&r), expected);
    assert_eq!(import_names(&lld), expected);
    assert_eq!(run_export(&r, "run", &[]), Err("import called: env.real_foo".into()));
}

#[test]
fn import_module_alone_is_still_undefined() {
    // UND-EXPLICIT (measured): an import module without an import name
    // does not make `foo` an import.
    let mut m = obj();
    let foo = m.undefined_func("foo", "mymod", "foo", sig_i32(), 0);
    m.define_func("run", sig_i32(), calls(foo), 0);
    let msgs = both_fail(&[("a.o", encode(&m))], &["--no-entry", "--export=run"]);
    assert_eq!(errors(&msgs), ["a.o: undefined symbol: foo"]);
}

/// `run` calls `foo` (env), `bar` (module `mymod`), `baz` (explicit name
/// `baz_field`) and reads global `gimp`.
fn importing_object() -> Vec<u8> {
    let mut m = obj();
    let foo_sym = m.undefined_func("foo", "env", "foo", sig_i32(), 0);
    let bar = m.undefined_func("bar", "mymod", "bar", sig_i32(), 0);
    let baz_sym = m.undefined_func("baz", "env", "baz_field", sig_i32(), 0);
    let g = m.undefined_global("gimp", "env", "gimp", ValTypeModel::I32, false, 0);
    let mut b = Body::new();
    b.call(foo_sym).call(bar).i32_add().call(baz_sym).i32_add().global_get(g).i32_add();
    m.define_func("run", sig_i32(), b, 0);
    encode(&m)
}

#[test]
fn allow_undefined_imports() {
    // UND-IMPORT: (import module or env, import name or symbol name).
    let expected: Vec<(String, String, &str)> = vec![
        ("env".into(), "baz_field".into(), "func"),
        ("env".into(), "foo".into(), "func"),
        ("env".into(), "gimp".into(), "global"),
        ("mymod".into(), "bar".into(), "func"),
    ];
    let inputs = [("a.o", importing_object())];
    for flags in [&["--allow-undefined"][..], &["--import-undefined", "--warn-unresolved-symbols"]] {
        let mut args = vec!["--no-entry", "--export=run"];
        args.extend(flags);
        let (r, lld) = both(&inputs, &args);
        assert_eq!(import_names(&r.expect("imports").bytes), expected, "{flags:?}");
        assert_eq!(import_names(&lld.bytes.unwrap()), expected, "{flags:?}");
    }
    // `--import-undefined` excuses functions only (measured): the
    // undefined global is still reported.
    let msgs = both_fail(&inputs, &["--no-entry", "--export=run", "--import-undefined"]);
    assert_eq!(errors(&msgs), ["a.o: undefined symbol: gimp"]);
}

#[test]
fn imports_deduplicated() {
    // UND-DEDUP: `f1`, `f2` (a.o) and `f3` (b.o) all import `env.x` with
    // one type: one import.
    let mut a = obj();
    let f1 = a.undefined_func("f1", "env", "x", sig_i32(), 0);
    let f2 = a.undefined_func("f2", "env", "x", sig_i32(), 0);
    let mut b = Body::new();
    b.call(f1).call(f2).i32_add();
    a.define_func("run", sig_i32(), b, 0);
    let mut c = obj();
    let f3 = c.undefined_func("f3", "env", "x", sig_i32(), 0);
    c.define_func("run2", sig_i32(), calls(f3), 0);
    let inputs = [("a.o", encode(&a)), ("b.o", encode(&c))];
    let (r, lld) = both_ok(&inputs, &["--no-entry", "--export=run", "--export=run2"]);
    let expected: Vec<(String, String, &str)> = vec![("env".into(), "x".into(), "func")];
    assert_eq!(import_names(&r), expected);
    assert_eq!(import_names(&lld), expected);
}

#[test]
fn undefined_weak_function_traps() {
    // UND-WEAK, UND-WEAK-FUNC: `foo` is weakly referenced only: no error,
    // no import; calls reach a trapping `undefined_weak:foo`; its table
    // index is 0.
    let mut m = obj();
    m.import_table();
    let foo = m.undefined_func("foo", "env", "foo", sig_i32(), flags::BINDING_WEAK);
    m.define_func("run", sig_i32(), calls(foo), 0);
    let mut b = Body::new();
    b.i32_const_table(foo);
    m.define_func("addr", sig_i32(), b, 0);
    let out = both_ok(&[("a.o", encode(&m))], &["--no-entry", "--export=run", "--export=addr"]);
    assert_eq!(run_both(&out, "run"), Err("unreachable".into()));
    assert_eq!(run_both(&out, "addr"), Ok(0));
    for bytes in [&out.0, &out.1] {
        let s = summary(bytes);
        assert!(s.imports.iter().all(|i| i.1 != "foo"), "{:?}", s.imports);
        let stub = s.func("undefined_weak:foo").expect("a stub named undefined_weak:foo");
        assert!(s.elements.iter().all(|e| !e.1.contains(&stub)));
    }
}

#[test]
fn undefined_weak_data_is_zero() {
    // UND-WEAK-DATA, REL-MEM: address 0, the addend dropped (measured).
    let mut m = obj();
    let d = m.undefined_data("d", flags::BINDING_WEAK);
    let mut b = Body::new();
    b.i32_const_addr(d, 8);
    m.define_func("run", sig_i32(), b, 0);
    let out = both_ok(&[("a.o", encode(&m))], &["--no-entry", "--export=run"]);
    assert_eq!(run_both(&out, "run"), Ok(0));
}

#[test]
fn ignore_all_stubs_undefined_functions() {
    // UND-STUB: `foo` and `bar` (same signature) become one trapping stub:
    // no import, table index 0.
    let mut m = calling("run", &["foo"], 0);
    m.import_table();
    let bar = m.undefined_func("bar", "env", "bar", sig_i32(), 0);
    m.define_func("run2", sig_i32(), calls(bar), 0);
    let foo = m.symbol_index("foo").unwrap();
    let mut b = Body::new();
    b.i32_const_table(foo);
    m.define_func("addr", sig_i32(), b, 0);
    let args = ["--no-entry", "--export=run", "--export=run2", "--export=addr", "--unresolved-symbols=ignore-all"];
    let out = both_ok(&[("a.o", encode(&m))], &args);
    assert_eq!(run_both(&out, "run"), Err("unreachable".into()));
    assert_eq!(run_both(&out, "run2"), Err("unreachable".into()));
    assert_eq!(run_both(&out, "addr"), Ok(0));
    for bytes in [&out.0, &out.1] {
        let s = summary(bytes);
        assert!(s.imports.iter().all(|i| i.2 != "func"), "{:?}", s.imports);
        // run, run2, addr and a single stub for both.
        let others: Vec<String> = s.names().into_iter().filter(|n| !["run", "run2", "addr"].contains(&n.as_str())).collect();
        assert_eq!(others.len(), 1, "{others:?}");
        assert_eq!(s.num_functions, 4, "{:?}", s.names());
    }
}

#[test]
fn undefined_data_with_import_undefined_is_error() {
    // UND-DATA-ZERO: data cannot be imported.
    let mut m = obj();
    let d = m.undefined_data("d", 0);
    let mut b = Body::new();
    b.i32_const_addr(d, 4);
    m.define_func("run", sig_i32(), b, 0);
    let inputs = [("a.o", encode(&m))];
    let msgs = both_fail(&inputs, &["--no-entry", "--export=run", "--import-undefined"]);
    assert_eq!(errors(&msgs), ["a.o: undefined symbol: d"]);
    // Under warn: address 0, the addend dropped (measured).
    let (r, lld) = both(&inputs, &["--no-entry", "--export=run", "--warn-unresolved-symbols"]);
    assert_eq!(run_export(&r.expect("a warning only").bytes, "run", &[]), Ok(0));
    assert_eq!(run_export(&lld.bytes.unwrap(), "run", &[]), Ok(0));
}

#[test]
fn fatal_warnings() {
    // CLI-FATAL: the undefined-symbol warning becomes an error.
    let inputs = [("a.o", encode(&calling("run", &["missing"], 0)))];
    let msgs = both_fail(&inputs, &["--no-entry", "--export=run", "--warn-unresolved-symbols", "--fatal-warnings"]);
    assert_eq!(errors(&msgs), ["a.o: undefined symbol: missing"]);
}

#[test]
fn all_undefined_reported() {
    // DIAG-1: every undefined symbol of the phase is reported...
    let inputs = [("a.o", encode(&calling("run", &["m1", "m2"], 0))), ("b.o", encode(&calling("run2", &["m3"], 0)))];
    let args = ["--no-entry", "--export=run", "--export=run2"];
    let msgs = both_fail(&inputs, &args);
    assert_eq!(errors(&msgs), ["a.o: undefined symbol: m1", "a.o: undefined symbol: m2", "b.o: undefined symbol: m3"]);
    // ...but a resolution error stops the link before undefined symbols.
    let mut with_dup = inputs.to_vec();
    with_dup.push(("c.o", encode(&returns("run", 2, 0))));
    let msgs = both_fail(&with_dup, &args);
    assert_eq!(errors(&msgs), ["duplicate symbol: run\n>>> defined in a.o\n>>> defined in c.o"]);
}

#[test]
fn stubbed_function_has_a_slot_when_its_address_comes_first() {
    // UND-STUB-SLOT (measured): under warn or ignore-all, `addr` (first in
    // the file) takes the addresses of `f0` and `f1`, then `run` calls
    // them: each symbol gets its own slot, both holding the shared stub,
    // so an indirect call through either traps in the stub. With `run`
    // first the stub comes first and the addresses are 0.
    for address_first in [true, false] {
        let mut m = obj();
        m.import_table();
        let f0 = m.undefined_func("f0", "env", "f0", sig_i32(), 0);
        let f1 = m.undefined_func("f1", "env", "f1", sig_i32(), 0);
        let mut addr = Body::new();
        addr.i32_const_table(f0).i32_const(100).i32_mul().i32_const_table(f1).i32_add();
        let mut run = Body::new();
        run.call(f0).call(f1).i32_add();
        let ty = m.add_type(sig_i32());
        let mut via = Body::new();
        via.i32_const_table(f1).call_indirect(ty, None);
        let order = if address_first { [("addr", addr), ("run", run), ("via", via)] } else { [("run", run), ("addr", addr), ("via", via)] };
        for (name, body) in order {
            m.define_func(name, sig_i32(), body, 0);
        }
        let inputs = [("a.o", encode(&m))];
        for policy in ["--warn-unresolved-symbols", "--unresolved-symbols=ignore-all"] {
            let out = both_ok(&inputs, &["--no-entry", "--export=addr", "--export=run", "--export=via", policy]);
            let (addr, via) = (run_both(&out, "addr"), run_both(&out, "via"));
            if address_first {
                assert_eq!(addr, Ok(102), "{policy}: slots 1 and 2");
                assert_eq!(via, Err("unreachable".into()), "{policy}: the slot holds the stub");
                let s = summary(&out.0);
                let stub = s.func("undefined_stub").expect("the shared stub");
                assert_eq!(s.elements, [(1, vec![stub, stub])], "{policy}");
            } else {
                assert_eq!(addr, Ok(0), "{policy}: no slots");
                assert!(via.as_ref().is_err_and(|e| e != "unreachable"), "{policy}: an indirect call of null: {via:?}");
            }
        }
    }
}
