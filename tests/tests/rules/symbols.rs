//! Symbol resolution (SYM-*), synthetic symbols (SYN-*, MEM-SYN), COMDAT.

use crate::support::*;

const RUN: &[&str] = &["--no-entry", "--export=run"];

#[test]
fn definition_after_reference() {
    // SYM-1: the reference comes first, the definition replaces it; also
    // when the definition is a lazy archive member.
    let inputs = [("a.o", encode(&caller("run", "foo", 0))), ("b.o", encode(&returns("foo", 5, 0)))];
    assert_eq!(run_both(&both_ok(&inputs, RUN), "run"), Ok(5));
    let lib = archive(&[("b.o", &encode(&returns("foo", 6, 0)))]);
    let inputs = [("a.o", encode(&caller("run", "foo", 0))), ("lib.a", lib)];
    assert_eq!(run_both(&both_ok(&inputs, RUN), "run"), Ok(6));
}

#[test]
fn first_weak_definition_wins() {
    // SYM-2: among weak definitions the first in load order stays.
    let w1 = encode(&returns("foo", 1, flags::BINDING_WEAK));
    let w2 = encode(&returns("foo", 2, flags::BINDING_WEAK));
    let main = encode(&caller("run", "foo", 0));
    let inputs = [("main.o", main.clone()), ("w1.o", w1.clone()), ("w2.o", w2.clone())];
    assert_eq!(run_both(&both_ok(&inputs, RUN), "run"), Ok(1));
    let inputs = [("main.o", main), ("w2.o", w2), ("w1.o", w1)];
    assert_eq!(run_both(&both_ok(&inputs, RUN), "run"), Ok(2));
}

#[test]
fn strong_replaces_weak() {
    // SYM-3: whatever the order, the strong definition wins.
    let weak = encode(&returns("foo", 1, flags::BINDING_WEAK));
    let strong = encode(&returns("foo", 2, 0));
    let main = encode(&caller("run", "foo", 0));
    for order in [[("weak.o", &weak), ("strong.o", &strong)], [("strong.o", &strong), ("weak.o", &weak)]] {
        let inputs = [("main.o", main.clone()), (order[0].0, order[0].1.clone()), (order[1].0, order[1].1.clone())];
        assert_eq!(run_both(&both_ok(&inputs, RUN), "run"), Ok(2), "{:?}", [order[0].0, order[1].0]);
    }
}

fn two_strong_foos() -> [Input<'static>; 3] {
    [
        ("main.o", encode(&caller("run", "foo", 0))),
        ("a.o", encode(&returns("foo", 1, 0))),
        ("b.o", encode(&returns("foo", 2, 0))),
    ]
}

#[test]
fn duplicate_symbol() {
    // SYM-4: two strong definitions, in wasm-ld's words.
    let msgs = both_fail(&two_strong_foos(), RUN);
    assert_eq!(errors(&msgs), ["duplicate symbol: foo\n>>> defined in a.o\n>>> defined in b.o"]);
    // The second then holds the name: a third is reported against b.o.
    let mut three = two_strong_foos().to_vec();
    three.push(("c.o", encode(&returns("foo", 3, 0))));
    let msgs = both_fail(&three, RUN);
    assert_eq!(
        errors(&msgs),
        ["duplicate symbol: foo\n>>> defined in a.o\n>>> defined in b.o", "duplicate symbol: foo\n>>> defined in b.o\n>>> defined in c.o"]
    );
}

#[test]
fn allow_multiple_definition_keeps_first() {
    let out = both_ok(&two_strong_foos(), &["--no-entry", "--export=run", "--allow-multiple-definition"]);
    assert_eq!(run_both(&out, "run"), Ok(1));
}

#[test]
fn symbol_type_mismatch() {
    // SYM-5: `foo` is a function in a.o and data in b.o (measured: kinds
    // spelt as in the format; a second strong definition is also a
    // duplicate, a weak one is not).
    let data = |flags| {
        let mut b = obj();
        b.define_data("foo", ".data.foo", &[1, 2, 3, 4], flags);
        encode(&b)
    };
    let mismatch = "symbol type mismatch: foo\n>>> defined as WASM_SYMBOL_TYPE_FUNCTION in a.o\n>>> defined as WASM_SYMBOL_TYPE_DATA in b.o";
    let inputs = [("main.o", encode(&caller("run", "foo", 0))), ("a.o", encode(&returns("foo", 1, 0))), ("b.o", data(0))];
    let msgs = both_fail(&inputs, RUN);
    assert_eq!(errors(&msgs), ["duplicate symbol: foo\n>>> defined in a.o\n>>> defined in b.o", mismatch]);
    let inputs = [("main.o", encode(&caller("run", "foo", 0))), ("a.o", encode(&returns("foo", 1, 0))), ("b.o", data(flags::BINDING_WEAK))];
    let msgs = both_fail(&inputs, RUN);
    assert_eq!(errors(&msgs), [mismatch]);
}

/// An object defining data `name` (4 bytes) with symbol `flags`.
pub(crate) fn data_named(name: &str, flags: u32) -> Vec<u8> {
    let mut b = obj();
    b.define_data(name, &format!(".data.{name}"), &[1, 2, 3, 4], flags);
    encode(&b)
}

fn mismatch(name: &str, first: (&str, &str), second: (&str, &str)) -> String {
    format!("symbol type mismatch: {name}\n>>> defined as WASM_SYMBOL_TYPE_{} in {}\n>>> defined as WASM_SYMBOL_TYPE_{} in {}", first.0, first.1, second.0, second.1)
}

#[test]
fn kind_clash_replaces_and_reports_once() {
    // SYM-5: a strong data definition meeting a strong function is a
    // mismatch and a duplicate and takes the name; the next function is a
    // mismatch against that data (no duplicate), the next data a duplicate
    // of it (measured).
    let inputs = [
        ("a.o", encode(&returns("foo", 1, 0))),
        ("b.o", data_named("foo", 0)),
        ("c.o", encode(&returns("foo", 2, 0))),
        ("d.o", data_named("foo", 0)),
    ];
    let msgs = both_fail(&inputs, &["--no-entry"]);
    let mut want = vec![
        mismatch("foo", ("FUNCTION", "a.o"), ("DATA", "b.o")),
        "duplicate symbol: foo\n>>> defined in a.o\n>>> defined in b.o".to_string(),
        mismatch("foo", ("DATA", "b.o"), ("FUNCTION", "c.o")),
        "duplicate symbol: foo\n>>> defined in b.o\n>>> defined in d.o".to_string(),
    ];
    want.sort();
    assert_eq!(errors(&msgs), want);
    // A data definition replaces an undefined function without a
    // duplicate; a second one is a duplicate of the first.
    let inputs = [("main.o", encode(&caller("run", "foo", 0))), ("b.o", data_named("foo", 0)), ("c.o", data_named("foo", 0))];
    let msgs = both_fail(&inputs, RUN);
    let mut want = vec![mismatch("foo", ("FUNCTION", "main.o"), ("DATA", "b.o")), "duplicate symbol: foo\n>>> defined in b.o\n>>> defined in c.o".to_string()];
    want.sort();
    assert_eq!(errors(&msgs), want);
    // A definition of another kind replaces a lazy symbol nothing met:
    // the member is never read.
    let lib = archive(&[("m.o", &encode(&returns("foo", 1, 0)))]);
    let inputs = [("lib.a", lib), ("b.o", data_named("foo", 0)), ("main.o", encode(&returns("run", 7, 0)))];
    let out = both_ok(&inputs, &["--no-entry", "--export=run", "--export=foo"]);
    assert_eq!(run_both(&out, "run"), Ok(7));
    assert_eq!(summary(&out.0).export_names(), summary(&out.1).export_names());
}

#[test]
fn undefined_data_joins_undefined_function() {
    // SYM-5: undefined data meeting an undefined function is no mismatch;
    // each file's use is an undefined symbol (measured). The other order
    // is a mismatch (a function reference checks the kind).
    let data = |name: &str| {
        let mut m = obj();
        let d = m.undefined_data("foo", 0);
        let mut b = Body::new();
        b.i32_const(0).i32_load_sym(d, 0);
        m.define_func(name, sig_i32(), b, 0);
        encode(&m)
    };
    let args = ["--no-entry", "--export=run", "--export=get"];
    let inputs = [("a.o", encode(&caller("run", "foo", 0))), ("b.o", data("get"))];
    let msgs = both_fail(&inputs, &args);
    assert_eq!(errors(&msgs), ["a.o: undefined symbol: foo", "b.o: undefined symbol: foo"]);
    let inputs = [("b.o", data("get")), ("a.o", encode(&caller("run", "foo", 0)))];
    let msgs = both_fail(&inputs, &args);
    assert_eq!(errors(&msgs), [mismatch("foo", ("DATA", "b.o"), ("FUNCTION", "a.o"))]);
    // Under warn wasm-ld 22 crashes on the data relocation against the
    // function; refld stops with an error after the warnings.
    let inputs = [("a.o", encode(&caller("run", "foo", 0))), ("b.o", data("get"))];
    let mut args = args.to_vec();
    args.push("--warn-unresolved-symbols");
    let msgs = refld_messages(&link(&inputs, &args));
    assert_eq!(
        msgs,
        [
            (Severity::Warning, "a.o: undefined symbol: foo".to_string()),
            (Severity::Warning, "b.o: undefined symbol: foo".to_string()),
            (Severity::Error, "foo: referenced as WASM_SYMBOL_TYPE_DATA in b.o but resolves to a WASM_SYMBOL_TYPE_FUNCTION (wasm-ld crashes on this link)".to_string()),
        ]
    );
}

#[test]
fn strong_reference_wins_over_weak() {
    // SYM-6: one strong reference makes `foo` strongly undefined: an
    // error, reported for every file whose live code uses it, weak.o too.
    let weak = encode(&caller("run", "foo", flags::BINDING_WEAK));
    let strong = encode(&caller("run2", "foo", 0));
    let args = ["--no-entry", "--export=run", "--export=run2"];
    let msgs = both_fail(&[("weak.o", weak.clone()), ("strong.o", strong.clone())], &args);
    assert_eq!(errors(&msgs), ["strong.o: undefined symbol: foo", "weak.o: undefined symbol: foo"]);
    // Without the strong reference it is undefined weak: no error.
    both_ok(&[("weak.o", weak)], &["--no-entry", "--export=run"]);
}

#[test]
fn locals_stay_distinct() {
    // SYM-7: each file's local `helper` serves its own file.
    let file = |run: &str, v: i32| {
        let mut m = obj();
        let h = m.define_func("helper", sig_i32(), ret(v), flags::BINDING_LOCAL);
        m.define_func(run, sig_i32(), calls(h), 0);
        encode(&m)
    };
    let inputs = [("a.o", file("run_a", 1)), ("b.o", file("run_b", 2))];
    let out = both_ok(&inputs, &["--no-entry", "--export=run_a", "--export=run_b"]);
    assert_eq!(run_both(&out, "run_a"), Ok(1));
    assert_eq!(run_both(&out, "run_b"), Ok(2));
}

/// The linker-defined data symbols of SYN-2 / MEM-SYN.
const SYNTHETIC_DATA: [&str; 7] =
    ["__data_end", "__heap_base", "__heap_end", "__dso_handle", "__global_base", "__stack_low", "__stack_high"];

#[test]
fn optional_synthetic_symbols() {
    // An object with 8 bytes of data that asks for every synthetic address.
    let mut m = obj();
    let d = m.define_data("d", ".data.d", &[1, 2, 3, 4, 5, 6, 7, 8], 0);
    let mut b = Body::new();
    b.i32_const_addr(d, 0);
    m.define_func("get_d", sig_i32(), b, 0);
    let mut args = vec!["--no-entry".to_string(), "--export=get_d".to_string()];
    for name in SYNTHETIC_DATA {
        let s = m.undefined_data(name, 0);
        let mut b = Body::new();
        b.i32_const_addr(s, 0);
        m.define_func(&format!("get{name}"), sig_i32(), b, 0);
        args.push(format!("--export=get{name}"));
    }
    // MEM-SYN, with the layout of MEM-LAYOUT / MEM-STACK-FIRST: by default
    // (wasm-ld 22: --stack-first) a 64 KiB stack from 0, then the data, the
    // heap 16-aligned after it; with --no-stack-first data from 1024, then
    // the 16-aligned stack, then the heap. MEM-PAGES: 2 pages either way.
    let stack = 65536;
    let no_stack_first = [("get_d", 1024), ("get__global_base", 1024), ("get__dso_handle", 1024),
        ("get__data_end", 1032), ("get__stack_low", 1040), ("get__stack_high", 1040 + stack),
        ("get__heap_base", 1040 + stack), ("get__heap_end", 2 * 65536)];
    let stack_first = [("get_d", stack), ("get__global_base", stack), ("get__dso_handle", stack),
        ("get__data_end", stack + 8), ("get__stack_low", 0), ("get__stack_high", stack),
        ("get__heap_base", stack + 16), ("get__heap_end", 2 * 65536)];
    for (extra, expected) in [(None, stack_first), (Some("--no-stack-first"), no_stack_first)] {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.extend(extra);
        let out = both_ok(&[("a.o", encode(&m))], &args);
        for (f, v) in expected {
            assert_eq!(run_both(&out, f), Ok(v), "{f} with {extra:?}");
        }
    }

    // SYN-2: unreferenced, they are not made (an input may use the names),
    // unless exported: `--export-all` or `--export=NAME` (measured).
    let plain = [("a.o", encode(&returns("run", 1, 0)))];
    let (r, lld) = both_ok(&plain, &["--no-entry", "--export=run"]);
    for bytes in [&r, &lld] {
        let exports = summary(bytes).export_names();
        assert!(SYNTHETIC_DATA.iter().all(|n| !exports.contains(&n.to_string())), "{exports:?}");
    }
    let (r, lld) = both_ok(&plain, &["--no-entry", "--export=__heap_base"]);
    for bytes in [&r, &lld] {
        assert_eq!(summary(bytes).exported_global("__heap_base"), Some(65536));
    }
    let (r, lld) = both_ok(&plain, &["--no-entry", "--export-all"]);
    for bytes in [&r, &lld] {
        let exports = summary(bytes).export_names();
        assert!(SYNTHETIC_DATA.iter().all(|n| exports.contains(&n.to_string())), "{exports:?}");
    }
}

#[test]
fn input_may_define_heap_base() {
    // SYN-2: an input's `__heap_base` is a plain data symbol, placed with
    // the other data (the first segment: address 1024 with the stack after
    // the data).
    let mut m = obj();
    let hb = m.define_data("__heap_base", ".data.hb", &[9, 9, 9, 9], 0);
    let mut b = Body::new();
    b.i32_const_addr(hb, 0);
    m.define_func("run", sig_i32(), b, 0);
    let out = both_ok(&[("a.o", encode(&m))], &["--no-entry", "--export=run", "--no-stack-first"]);
    assert_eq!(run_both(&out, "run"), Ok(1024));
}

/// A file defining `inl` (returns `v`) and data `cd` (holds `v`) in COMDAT
/// `inl`, and `run` returning `inl() * 100 + cd`.
fn comdat_file(run: &str, v: i32) -> Vec<u8> {
    let mut m = obj();
    let inl = m.define_func("inl", sig_i32(), ret(v), 0);
    let cd = m.define_data("cd", ".rodata.cd", &[v as u8, 0, 0, 0], 0);
    let func = m.symbols[inl as usize].index;
    let seg = m.segment_of(cd).unwrap();
    m.comdats.push(ComdatModel {
        name: "inl".into(),
        members: vec![
            ComdatMember { kind: ComdatKind::Function, index: func },
            ComdatMember { kind: ComdatKind::Data, index: seg },
        ],
    });
    let mut b = Body::new();
    b.call(inl).i32_const(100).i32_mul().i32_const(0).i32_load_sym(cd, 0).i32_add();
    m.define_func(run, sig_i32(), b, 0);
    encode(&m)
}

#[test]
fn comdat_first_wins() {
    // COMDAT-1: both files define `inl` and `cd` strongly, in COMDAT
    // `inl`: no duplicate, and b.o uses a.o's members.
    let inputs = [("a.o", comdat_file("run_a", 1)), ("b.o", comdat_file("run_b", 2))];
    let out = both_ok(&inputs, &["--no-entry", "--export=run_a", "--export=run_b"]);
    assert_eq!(run_both(&out, "run_a"), Ok(101));
    assert_eq!(run_both(&out, "run_b"), Ok(101));
    let inputs = [("b.o", comdat_file("run_b", 2)), ("a.o", comdat_file("run_a", 1))];
    let out = both_ok(&inputs, &["--no-entry", "--export=run_a", "--export=run_b"]);
    assert_eq!(run_both(&out, "run_a"), Ok(202));
}

/// OBJ-7: two non-local symbols of one name in one object (here a data
/// symbol `f0` and an undefined weak function `f0` with an explicit import
/// name) make the object unreadable: wasm-ld says `a3.o: duplicate symbol
/// name f0` and nothing else (found by diff_linkers; refld used to resolve
/// them and report type mismatches and a duplicate).
#[test]
fn duplicate_symbol_name_in_one_object() {
    let a1 = returns("f0", 1, 0);
    let mut a3 = obj();
    a3.define_data("f0", ".data.f0", &[1, 0, 0, 0], 0);
    a3.undefined_func("f0", "other", "shared", sig_i32(), flags::BINDING_WEAK);
    let inputs = [("a1.o", encode(&a1)), ("a3.o", encode(&a3))];
    let (r, lld) = both(&inputs, &["--no-entry"]);
    assert!(!lld.ok && lld.stderr.contains("a3.o: duplicate symbol name f0"), "rust-lld: {}", lld.stderr);
    assert_eq!(errors(&refld_messages(&r)), vec!["a3.o: duplicate symbol name f0"]);
}

/// DIAG-1: wasm-ld reads every input before it adds a symbol, so an
/// object it cannot read stops the link before the symbol errors of the
/// files before it: two strong `f1`, then an object with two symbols named
/// `f0` (OBJ-7) or a truncated one, give that file's error alone (found by
/// diff_linkers: refld read and added file by file, and reported the
/// duplicate `f1` first).
#[test]
fn an_unreadable_input_stops_the_link_before_symbol_errors() {
    let mut bad = obj();
    bad.define_data("f0", ".data.f0", &[1, 0, 0, 0], flags::BINDING_WEAK);
    bad.undefined_func("f0", "other", "shared", sig_i32(), flags::BINDING_WEAK);
    let bad = encode(&bad);
    let files = |last: Vec<u8>| [("a1.o", encode(&returns("f1", 1, 0))), ("a2.o", encode(&returns("f1", 2, 0))), ("a3.o", last)];
    let (r, lld) = both(&files(bad.clone()), &["--no-entry"]);
    assert!(!lld.ok && lld.stderr.contains("a3.o: duplicate symbol name f0") && !lld.stderr.contains("duplicate symbol: f1"), "rust-lld: {}", lld.stderr);
    assert_eq!(errors(&refld_messages(&r)), vec!["a3.o: duplicate symbol name f0"]);
    // A truncated object: the texts of the two readers differ, the order
    // does not.
    let truncated = files(bad[..30].to_vec());
    let (r, lld) = (link(&truncated, &["--no-entry"]), rust_lld(&truncated, &["--no-entry"]));
    assert!(!lld.ok && lld.stderr.contains("a3.o:") && !lld.stderr.contains("duplicate symbol: f1"), "rust-lld: {}", lld.stderr);
    let messages = refld_messages(&r);
    let refld = errors(&messages);
    assert!(refld.len() == 1 && refld[0].starts_with("a3.o:"), "{refld:?}");
}

/// OBJ-7 in an archive member never extracted, for a name the symbol table
/// does not spell: `m1.o` defines data `f0` and has an undefined function
/// whose name comes from its import field `env.f0` (no EXPLICIT_NAME).
/// wasm-ld reads the member's symbol table and rejects the archive (found
/// by diff_linkers; refld used to skip names implied by import fields).
#[test]
fn duplicate_symbol_name_from_an_import_field_in_an_archive_member() {
    let mut m1 = obj();
    m1.define_data("f0", ".data.f0", &[1, 0, 0, 0], flags::BINDING_WEAK);
    m1.undefined_func("f0", "env", "f0", sig_i32(), 0);
    let lib = linkcheck_object::archive(&[("m1.o", &encode(&m1))]);
    let main = returns("main", 1, 0);
    let inputs = [("main.o", encode(&main)), ("lib.a", lib)];
    let args = ["--no-entry", "--export=main"];
    let lld = rust_lld(&inputs, &args);
    assert!(!lld.ok && lld.stderr.contains("m1.o: duplicate symbol name f0"), "rust-lld: {}", lld.stderr);
    // refld names the member with its archive (wasm-ld: the member alone).
    assert_eq!(errors(&refld_messages(&link(&inputs, &args))), vec!["lib.a(m1.o): duplicate symbol name f0"]);
}

/// SYM-5's deviation: a function reference meeting an archive member's
/// lazy data definition of the same name (the archive first, so the
/// symbol is lazy when the reference comes). wasm-ld extracts the member
/// without checking the kind and links (measured on rust-lld 22; found by
/// diff_linkers, corpus/found/wasm_ld_lazy_symbol_kind_unchecked); refld
/// reports the mismatch it reports when the files are objects.
#[test]
fn reference_meeting_a_lazy_definition_of_another_kind() {
    let lib = archive(&[("b.o", &data_named("foo", 0))]);
    let mut user = obj();
    user.undefined_func("foo", "env", "foo", sig_i32(), 0);
    let inputs = [("lib.a", lib), ("a.o", encode(&user))];
    let args = ["--no-entry"];
    let want = mismatch("foo", ("DATA", "lib.a(b.o)"), ("FUNCTION", "a.o"));
    assert_eq!(errors(&refld_messages(&link(&inputs, &args))), [want.as_str()]);
    let lld = rust_lld(&inputs, &args);
    assert!(lld.ok, "rust-lld checks the kind now (update SYM-5): {}", lld.stderr);
    // As objects, both report it.
    let inputs = [("b.o", data_named("foo", 0)), ("a.o", encode(&user))];
    let msgs = both_fail(&inputs, &args);
    assert_eq!(errors(&msgs), [mismatch("foo", ("DATA", "b.o"), ("FUNCTION", "a.o"))]);
}
