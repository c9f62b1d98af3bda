//! Options of wasm-ld's command line that change the output or write
//! other files (WRAP-*, ...), each held to rust-lld (wasm-ld 22).

use crate::support::*;


/// Links with both; both must succeed with the same diagnostics and write
/// the same sections (name, producers, target_features aside) and the same
/// function names. Returns (refld's, rust-lld's) modules.
pub fn same_sections(inputs: &[Input<'_>], args: &[&str]) -> (Vec<u8>, Vec<u8>) {
    let out = both_ok(inputs, args);
    let (a, b) = (sections(&out.0), sections(&out.1));
    let ids = |s: &[(u8, String, Vec<u8>)]| s.iter().map(|(i, n, _)| format!("{i}{n}")).collect::<Vec<_>>();
    assert_eq!(ids(&a), ids(&b), "section order, {args:?}");
    for (x, y) in a.iter().zip(&b) {
        assert!(x.2 == y.2, "section {} {} differs for {args:?}:\nrefld    {:02x?}\nrust-lld {:02x?}", x.0, x.1, x.2, y.2);
    }
    assert_eq!(summary(&out.0).func_names, summary(&out.1).func_names, "function names, {args:?}");
    out
}

/// `NAME: () -> i32` returning `callee() + add` (callee undefined here).
fn adds(name: &str, callee: &str, add: i32) -> ObjectModel {
    let mut m = obj();
    let f = m.undefined_func(callee, "env", callee, sig_i32(), 0);
    let mut b = Body::new();
    b.call(f).i32_const(add).raw(&[0x6a]);
    m.define_func(name, sig_i32(), b, 0);
    m
}

/// WRAP-1: `_start` calls foo, `call_real` calls `__real_foo`, `__wrap_foo`
/// calls `__real_foo` + 100; in either spelling of the option.
#[test]
fn wrap_redirects_references() {
    let mut main = obj();
    let real = main.undefined_func("__real_foo", "env", "__real_foo", sig_i32(), 0);
    let mut b = Body::new();
    b.call(real).i32_const(100).raw(&[0x6a]);
    main.define_func("__wrap_foo", sig_i32(), b, 0);
    let foo = main.undefined_func("foo", "env", "foo", sig_i32(), 0);
    main.define_func("_start", sig_i32(), calls(foo), 0);
    main.define_func("call_real", sig_i32(), calls(real), 0);
    let inputs = [("main.o", encode(&main)), ("foo.o", encode(&returns("foo", 1, 0)))];
    for wrap in [&["--wrap=foo"][..], &["-wrap", "foo"], &["--wrap=foo", "--wrap=foo"]] {
        let mut args = wrap.to_vec();
        args.push("--export=call_real");
        let out = same_sections(&inputs, &args);
        assert_eq!(run_both(&out, "_start"), Ok(101));
        assert_eq!(run_both(&out, "call_real"), Ok(1));
        // The wrapped definition keeps its name.
        assert!(summary(&out.0).func("foo").is_some());
    }
    // `--export=foo` marks what a lookup of foo finds: `__wrap_foo`,
    // exported under its own name; `--export=__real_foo` the definition.
    let e = same_sections(&inputs, &["--wrap=foo", "--export=foo"]);
    assert_eq!(summary(&e.0).export_names(), ["__wrap_foo", "_start", "memory"]);
    let e = same_sections(&inputs, &["--wrap=foo", "--export=__real_foo"]);
    assert_eq!(summary(&e.0).export_names(), ["_start", "foo", "memory"]);
}

/// WRAP-1: a definition's own calls are wrapped too; `__wrap_foo` in an
/// archive is extracted; a missing `__wrap_foo` is an undefined symbol of
/// the referencing file (imported under `--allow-undefined`, a stub under
/// `--warn-unresolved-symbols`); wrapping data gives type mismatches.
#[test]
fn wrap_extracts_reports_and_checks_kinds() {
    let mut own = obj();
    let foo = own.define_func("foo", sig_i32(), ret(1), 0);
    let mut b = Body::new();
    b.call(foo).i32_const(1000).raw(&[0x6a]);
    own.define_func("_start", sig_i32(), b, 0);
    let wrapper = ("wrap.o", encode(&adds("__wrap_foo", "__real_foo", 100)));
    let out = same_sections(&[("own.o", encode(&own)), wrapper.clone()], &["--wrap=foo"]);
    assert_eq!(run_both(&out, "_start"), Ok(1101));

    let start = ("start.o", encode(&adds("_start", "foo", 0)));
    let libw = ("libw.a", archive(&[("wrap.o", &wrapper.1)]));
    let libf = ("libf.a", archive(&[("foo.o", &encode(&returns("foo", 1, 0)))]));
    let out = same_sections(&[start.clone(), libf.clone(), libw], &["--wrap=foo"]);
    assert_eq!(run_both(&out, "_start"), Ok(101));

    // A name no input knows changes nothing.
    let plain = same_sections(&[start.clone(), libf.clone()], &[]);
    assert_eq!(same_sections(&[start.clone(), libf.clone()], &["--wrap=bar"]).0, plain.0);
    let msgs = both_fail(&[start.clone(), libf.clone()], &["--wrap=foo"]);
    assert_eq!(errors(&msgs), ["start.o: undefined symbol: __wrap_foo"]);
    let out = same_sections(std::slice::from_ref(&start), &["--wrap=foo", "--allow-undefined"]);
    assert_eq!(summary(&out.0).imports, [("env".to_string(), "__wrap_foo".to_string(), "func")]);
    same_sections(&[start, libf], &["--wrap=foo", "--warn-unresolved-symbols"]);

    let mut data = obj();
    for (name, v) in [("dv", 5u8), ("__real_dv", 6), ("__wrap_dv", 7)] {
        data.define_data(name, &format!(".data.{name}"), &[v, 0, 0, 0], 0);
    }
    data.define_func("_start", sig_i32(), ret(0), 0);
    let msgs = both_fail(&[("data.o", encode(&data))], &["--wrap=dv"]);
    assert_eq!(errors(&msgs).len(), 2, "{msgs:?}");
    assert!(errors(&msgs)[0].starts_with("symbol type mismatch: __real_dv\n>>> defined as WASM_SYMBOL_TYPE_DATA in data.o\n>>> defined as WASM_SYMBOL_TYPE_FUNCTION in <internal>"));
}

/// WHY-1: `--why-extract=-` prints what rust-lld prints: the header, then
/// one line per extracted member once it and what it extracted are read,
/// naming the reference (a file, `<internal>` for `-u` and `--wrap`,
/// `--export`, `--entry`), the member and the symbol; written when the
/// link then fails on an undefined symbol, not when it stops earlier.
#[test]
fn why_extract_lists_extracted_members() {
    let start = ("start.o", encode(&adds("_start", "foo", 0)));
    let s0 = ("s0.o", encode(&returns("_start", 0, 0)));
    let f2 = encode(&adds("foo", "g", 0));
    let g = encode(&returns("g", 3, 0));
    let libx = ("libx.a", archive(&[("f2.o", &f2), ("g.o", &g)]));
    let libw = ("libw.a", archive(&[("wrap.o", &encode(&adds("__wrap_foo", "__real_foo", 100)))]));
    let cases: Vec<(Vec<Input<'_>>, Vec<&str>)> = vec![
        (vec![start.clone(), libx.clone()], vec![]),
        (vec![s0.clone(), libx.clone()], vec!["-u", "foo"]),
        (vec![s0.clone(), libx.clone()], vec!["--export=foo"]),
        (vec![s0.clone(), libx.clone()], vec!["--export-if-defined=foo"]),
        (vec![libx.clone()], vec!["--entry=foo"]),
        (vec![s0.clone(), libx.clone()], vec!["--whole-archive", "libx.a"]),
        (vec![start.clone(), libx.clone(), libw], vec!["--wrap=foo"]),
        (vec![start.clone(), ("f2.o", f2.clone()), ("g.o", g.clone())], vec!["--start-lib", "f2.o", "g.o", "--end-lib"]),
        // Written although the link fails on the undefined symbol.
        (vec![start.clone()], vec![]),
        // Not written: the entry check stops the link first.
        (vec![s0.clone(), libx.clone()], vec!["-u", "foo", "--entry=nothere"]),
        // The last --why-extract counts.
        (vec![start.clone(), libx.clone()], vec!["--why-extract=ignored.txt"]),
    ];
    for (inputs, mut args) in cases {
        args.push("--why-extract=-");
        let (ours, reports) = link_reporting(&inputs, &args);
        let lld = rust_lld(&inputs, &args);
        assert_eq!(ours.is_ok(), lld.ok, "{args:?}");
        let text = reports.why_extract.map(|(path, text)| {
            assert_eq!(path, "-");
            text
        });
        assert_eq!(text.unwrap_or_default(), lld.stdout, "{args:?}");
    }
}

/// EXP-MEMORY-NAME: `--export-memory=NAME` exports the memory as NAME (the
/// last NAME; a plain `--export-memory` keeps it), an imported one too.
/// CLI-LIB: `nested --start-lib`, `stray --end-lib`.
#[test]
fn export_memory_with_a_name() {
    let s0 = [("s0.o", encode(&returns("_start", 0, 0)))];
    for args in [&["--export-memory=mem"][..], &["--export-memory=mem", "--export-memory=m2"], &["--export-memory=mem", "--export-memory"], &["--import-memory", "--export-memory=mem"]] {
        let out = same_sections(&s0, args);
        let s = summary(&out.0);
        let want = if args.contains(&"--export-memory=m2") { "m2" } else { "mem" };
        assert!(s.exports.iter().any(|e| e.0 == want && e.1 == "memory"), "{args:?}: {:?}", s.exports);
    }
    let lld = rust_lld(&s0, &["--start-lib", "--start-lib"]);
    assert_eq!(errors(&lld.messages), ["nested --start-lib"]);
    let lld = rust_lld(&s0, &["--end-lib"]);
    assert_eq!(errors(&lld.messages), ["stray --end-lib"]);
}
