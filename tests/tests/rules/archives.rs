//! Archives (AR-*): lazy members, extraction by references, `-u`.

use crate::support::*;

/// main.o: `run` calls `foo`, and defines `dup` (strong).
fn main_calling_foo() -> Vec<u8> {
    let mut m = caller("run", "foo", 0);
    m.define_func("dup", sig_i32(), ret(1), 0);
    encode(&m)
}

/// m1.o defines `foo` (7); m2.o defines `bar` (8) and a second strong `dup`.
fn two_members() -> Vec<(&'static str, Vec<u8>)> {
    let m1 = encode(&returns("foo", 7, 0));
    let mut m2 = returns("bar", 8, 0);
    m2.define_func("dup", sig_i32(), ret(2), 0);
    vec![("m1.o", m1), ("m2.o", encode(&m2))]
}

fn ar(members: &[(&'static str, Vec<u8>)], index: bool) -> Vec<u8> {
    let refs: Vec<(&str, &[u8])> = members.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    archive_with_options(&refs, ArchiveOptions { symbol_index: index, ..ArchiveOptions::default() })
}

#[test]
fn archive_member_extracted_only_when_referenced() {
    // AR-1: only m1.o is needed; m2.o, whose `dup` would clash with
    // main.o's, stays out of the link.
    let inputs = [("main.o", main_calling_foo()), ("lib.a", ar(&two_members(), true))];
    let out = both_ok(&inputs, &["--no-entry", "--export=run"]);
    assert_eq!(run_both(&out, "run"), Ok(7));
    let names = summary(&out.0).names();
    assert!(names.contains(&"foo".to_string()) && !names.contains(&"bar".to_string()), "{names:?}");
    // Referencing `bar` extracts m2.o, and with it the second `dup`.
    let msgs = both_fail(&inputs, &["--no-entry", "--export=run", "--export=bar"]);
    assert_eq!(errors(&msgs), ["duplicate symbol: dup\n>>> defined in main.o\n>>> defined in lib.a(m2.o)"]);
}

#[test]
fn archive_without_index() {
    // AR-1: members are indexed by their own symbol tables.
    let inputs = [("main.o", main_calling_foo()), ("lib.a", ar(&two_members(), false))];
    let (r, lld) = both(&inputs, &["--no-entry", "--export=run"]);
    let r = r.expect("an archive without index links");
    let lld_bytes = lld.bytes.expect("rust-lld links it too");
    assert_eq!(run_export(&r.bytes, "run", &[]), Ok(7));
    assert_eq!(run_export(&lld_bytes, "run", &[]), Ok(7));
    assert!(!summary(&r.bytes).names().contains(&"bar".to_string()));
}

#[test]
fn weak_reference_does_not_extract() {
    // AR-2: a weak function reference leaves `foo` lazy: it stays
    // undefined weak and the call traps.
    let lib = ar(&[("m.o", encode(&returns("foo", 7, 0)))], true);
    let main = encode(&caller("run", "foo", flags::BINDING_WEAK));
    let inputs = [("main.o", main.clone()), ("lib.a", lib.clone())];
    let out = both_ok(&inputs, &["--no-entry", "--export=run"]);
    assert_eq!(run_both(&out, "run"), Err("unreachable".into()));

    // A later strong reference still extracts the member.
    let strong = encode(&caller("run2", "foo", 0));
    let inputs = [("main.o", main), ("lib.a", lib), ("strong.o", strong)];
    let out = both_ok(&inputs, &["--no-entry", "--export=run", "--export=run2"]);
    assert_eq!(run_both(&out, "run"), Ok(7));

    // Weak global references cannot exist: wasm-ld (libObject) rejects an
    // undefined weak global symbol when it reads the object.
    let mut main = obj();
    let g = main.undefined_global("g", "env", "g", ValTypeModel::I32, false, flags::BINDING_WEAK);
    let mut b = Body::new();
    b.global_get(g);
    main.define_func("run", sig_i32(), b, 0);
    let mut member = obj();
    member.define_global("g", ValTypeModel::I32, false, 42, 0);
    let inputs = [("main.o", encode(&main)), ("lib.a", ar(&[("g.o", encode(&member))], true))];
    let lld = rust_lld(&inputs, &["--no-entry", "--export=run"]);
    assert_eq!(errors(&lld.messages), ["main.o: undefined weak global symbol"]);
    let e = link(&inputs, &["--no-entry", "--export=run"]).expect_err("a weak undefined global is an error");
    assert!(e.to_string().contains("main.o") && e.to_string().contains("undefined weak global symbol"), "{e}");
}

#[test]
fn dash_u_extracts_but_is_not_a_root() {
    // main.o defines a weak `val` (1); the member a strong one (2) and `foo`.
    let mut main = obj();
    let val = main.define_func("val", sig_i32(), ret(1), flags::BINDING_WEAK);
    main.define_func("run", sig_i32(), calls(val), 0);
    let mut member = returns("val", 2, 0);
    member.define_func("foo", sig_i32(), ret(3), 0);
    let inputs = [("main.o", encode(&main)), ("lib.a", ar(&[("m.o", encode(&member))], true))];

    // Nothing references the member: the weak definition stays.
    let out = both_ok(&inputs, &["--no-entry", "--export=run"]);
    assert_eq!(run_both(&out, "run"), Ok(1));
    // AR-3: `-u foo` extracts it, so the strong `val` replaces the weak one...
    let out = both_ok(&inputs, &["--no-entry", "--export=run", "-u", "foo"]);
    assert_eq!(run_both(&out, "run"), Ok(2));
    // ...GC-1: but `foo` is no root: collected, not exported.
    for bytes in [&out.0, &out.1] {
        let s = summary(bytes);
        assert!(s.func("foo").is_none(), "{:?}", s.names());
        assert!(!s.export_names().contains(&"foo".to_string()));
    }
}

#[test]
fn non_wasm_member_warns() {
    // AR-4: a text member is skipped with a warning; the link goes on.
    let text = b"just some notes\n".to_vec();
    let lib = ar(&[("notes.txt", text), ("m.o", encode(&returns("foo", 7, 0)))], true);
    let inputs = [("main.o", encode(&caller("run", "foo", 0))), ("lib.a", lib)];
    let (r, lld) = both(&inputs, &["--no-entry", "--export=run"]);
    let r = r.expect("the link succeeds");
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert!(r.warnings[0].message.contains("notes.txt"), "{:?}", r.warnings);
    assert_eq!(run_export(&r.bytes, "run", &[]), Ok(7));
    assert_eq!(run_export(&lld.bytes.unwrap(), "run", &[]), Ok(7));
}

#[test]
fn member_extracted_while_reading_a_member_comes_first() {
    // LOAD-ORDER (measured): lib.a holds h.o (`h`) then g.o (`g` calls
    // `h`); main.o calls `g`. Reading g.o extracts h.o, which is read to
    // the end first: the output has main.o's, h.o's, then g.o's functions.
    let mut g = obj();
    let h = g.undefined_func("h", "env", "h", sig_i32(), 0);
    g.define_func("g", sig_i32(), calls(h), 0);
    let lib = archive(&[("h.o", &encode(&returns("h", 4, 0))), ("g.o", &encode(&g))]);
    let inputs = [("main.o", encode(&caller("run", "g", 0))), ("lib.a", lib)];
    let out = both_ok(&inputs, &["--no-entry", "--export=run"]);
    assert_eq!(run_both(&out, "run"), Ok(4));
    for bytes in [&out.0, &out.1] {
        let names: Vec<String> = summary(bytes).func_names.into_values().collect();
        assert_eq!(names, ["run", "h", "g"]);
    }
}

/// EXP-ORDER: `--export` options extract members in command-line order.
/// m1.o defines `f2`; m2.o defines `f1` and a second strong `f2`. refld:
/// `--export=f2 --export=f1` extracts m1.o, then m2.o (duplicate `f2`);
/// `--export=f1 --export=f2` extracts m2.o alone. wasm-ld takes the names
/// in its string set's hash order and links both command lines.
#[test]
fn export_options_extract_in_command_line_order() {
    let m1 = encode(&returns("f2", 1, 0));
    let mut m2 = returns("f1", 2, 0);
    m2.define_func("f2", sig_i32(), ret(3), 0);
    let inputs = [("lib.a", ar(&[("m1.o", m1), ("m2.o", encode(&m2))], true))];
    let first = ["--no-entry", "--export=f2", "--export=f1"];
    let msgs = refld_messages(&link(&inputs, &first));
    assert_eq!(errors(&msgs), ["duplicate symbol: f2\n>>> defined in lib.a(m1.o)\n>>> defined in lib.a(m2.o)"]);
    let second = ["--no-entry", "--export=f1", "--export=f2"];
    assert!(link(&inputs, &second).is_ok(), "m2.o alone defines both");
    for args in [first, second] {
        let lld = rust_lld(&inputs, &args);
        assert!(lld.ok, "rust-lld links {args:?} (hash order): {}", lld.stderr);
    }
}

/// AR-3 (measured on wasm-ld 14, 16, 19, 22): `--export-if-defined`
/// extracts the member defining its name, as `--export` does, and the
/// name is exported; a name nothing defines stays silent.
#[test]
fn export_if_defined_extracts_a_member() {
    let inputs = [("lib.a", ar(&[("g.o", encode(&returns("g", 7, 0)))], true))];
    let out = both_ok(&inputs, &["--no-entry", "--export-if-defined=g", "--export-if-defined=nope"]);
    assert_eq!(run_both(&out, "g"), Ok(7));
    assert_eq!(summary(&out.0).export_names(), ["g", "memory"]);
}
