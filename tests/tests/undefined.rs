//! Undefined symbols and import attributes beyond the basic policies:
//! import module and name mismatches (the rust-lang/rust#148347 shape),
//! allow-lists, function signature variants and refld's did-you-mean hints.
//! Each behaviour is measured against wasm-ld 22 (rust-lld) in the same test.

#[path = "rules/support.rs"]
#[allow(unused_imports)]
mod support;

use support::*;

/// `close` imported from module `module` with import name `close`.
fn closer(fn_name: &str, module: &str) -> ObjectModel {
    let mut m = obj();
    let f = m.undefined_func("close", module, "close", sig_i32(), 0);
    m.define_func(fn_name, sig_i32(), calls(f), 0);
    m
}

fn definer(name: &str, v: i32) -> ObjectModel {
    returns(name, v, 0)
}

#[test]
fn import_module_mismatch_both_orders() {
    let a = encode(&closer("fa", "test"));
    let b = encode(&closer("fb", "env"));
    let args = ["--no-entry", "--export=fa", "--export=fb"];
    let ab = both_fail(&[("a.o", a.clone()), ("b.o", b.clone())], &args);
    assert_eq!(errors(&ab), vec!["import module mismatch for symbol: close\n>>> defined as test in a.o\n>>> defined as env in b.o"]);
    let ba = both_fail(&[("b.o", b), ("a.o", a)], &args);
    assert_eq!(errors(&ba), vec!["import module mismatch for symbol: close\n>>> defined as env in b.o\n>>> defined as test in a.o"]);
}

#[test]
fn import_module_mismatch_after_definition_is_fine() {
    let a = encode(&closer("fa", "test"));
    let b = encode(&closer("fb", "env"));
    let def = encode(&definer("close", 7));
    let args = ["--no-entry", "--export=fa", "--export=fb"];
    // A definition first: the references resolve to it, no check.
    let out = both_ok(&[("def.o", def.clone()), ("a.o", a.clone()), ("b.o", b.clone())], &args);
    assert_eq!(run_both(&out, "fa"), Ok(7));
    // The same inputs with the definition last: the mismatch is seen first.
    let msgs = both_fail(&[("a.o", a), ("b.o", b), ("def.o", def)], &args);
    assert_eq!(errors(&msgs).len(), 1);
    assert!(errors(&msgs)[0].starts_with("import module mismatch for symbol: close"));
}

#[test]
fn import_name_mismatch() {
    let mut x = obj();
    let f = x.undefined_func("sym", "env", "one", sig_i32(), 0);
    x.define_func("fx", sig_i32(), calls(f), 0);
    let mut y = obj();
    let g = y.undefined_func("sym", "env", "two", sig_i32(), 0);
    y.define_func("fy", sig_i32(), calls(g), 0);
    let msgs = both_fail(&[("x.o", encode(&x)), ("y.o", encode(&y))], &["--no-entry", "--export=fx", "--export=fy"]);
    assert_eq!(errors(&msgs), vec!["import name mismatch for symbol: sym\n>>> defined as one in x.o\n>>> defined as two in y.o"]);
    // One explicit name only: the import takes it, whatever the order.
    let plain = encode(&caller("fp", "sym", 0));
    let (r, _) = both_ok(&[("p.o", plain), ("x.o", encode(&x))], &["--no-entry", "--export=fp", "--export=fx", "--allow-undefined"]);
    let imports = summary(&r).imports;
    assert_eq!(imports, vec![("env".to_string(), "one".to_string(), "func")]);
}

#[test]
fn allow_undefined_file() {
    let mut m = obj();
    let foo = m.undefined_func("foo", "env", "foo", sig_i32(), 0);
    let bar = m.undefined_func("bar", "env", "bar", sig_i32(), 0);
    let mut body = Body::default();
    body.call(foo).call(bar).i32_add();
    m.define_func("run", sig_i32(), body, 0);
    let bytes = encode(&m);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.o"), &bytes).unwrap();
    std::fs::write(dir.path().join("allow.txt"), "# names\nfoo\n").unwrap();
    let args: Vec<String> = ["--no-entry", "--export=run", "--allow-undefined-file=allow.txt", "m.o", "-o", "out.wasm"].map(String::from).to_vec();
    let out = refld::driver::link_command_line(&args, dir.path());
    assert!(!out.success());
    let texts: Vec<String> = out.diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(texts, vec!["error: m.o: undefined symbol: bar"]);
    let lld = std::process::Command::new(testkit::rust_lld()).args(&args).current_dir(dir.path()).output().unwrap();
    let lld_err = String::from_utf8_lossy(&lld.stderr);
    assert!(!lld.status.success() && lld_err.contains("undefined symbol: bar") && !lld_err.contains("foo"), "{lld_err}");
    std::fs::write(dir.path().join("allow.txt"), "foo\nbar\n").unwrap();
    let out = refld::driver::link_command_line(&args, dir.path());
    let imports = summary(out.bytes.as_ref().expect("links with both names allowed")).imports;
    assert_eq!(imports.iter().map(|i| i.1.as_str()).collect::<Vec<_>>(), vec!["foo", "bar"]);
}

#[test]
fn imports_file_beside_archive() {
    let user = encode(&caller("run", "foo", 0));
    let member = encode(&definer("unrelated", 1));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.o"), &user).unwrap();
    std::fs::write(dir.path().join("libq.a"), archive(&[("u.o", &member)])).unwrap();
    let args: Vec<String> = ["--no-entry", "--export=run", "m.o", "libq.a", "-o", "out.wasm"].map(String::from).to_vec();
    let lld = testkit::rust_lld();
    let without = refld::driver::link_command_line(&args, dir.path());
    assert!(!without.success(), "foo is undefined without libq.imports");
    std::fs::write(dir.path().join("libq.imports"), "foo\n").unwrap();
    let with = refld::driver::link_command_line(&args, dir.path());
    let imports = summary(with.bytes.as_ref().expect("libq.imports allows foo")).imports;
    assert_eq!(imports, vec![("env".to_string(), "foo".to_string(), "func")]);
    let status = std::process::Command::new(lld).args(&args).current_dir(dir.path()).status().unwrap();
    assert!(status.success(), "rust-lld reads libq.imports too");
}

#[test]
fn signature_mismatch_with_definition_warns_and_traps() {
    let two = FuncSig { params: vec![ValTypeModel::I32, ValTypeModel::I32], results: vec![ValTypeModel::I32] };
    let mut caller2 = obj();
    let f = caller2.undefined_func("f", "env", "f", two, 0);
    let mut body = Body::default();
    body.i32_const(1).i32_const(2).call(f);
    caller2.define_func("g", sig_i32(), body, 0);
    let def = encode(&definer("f", 5));
    let mut good = obj();
    let f2 = good.undefined_func("f", "env", "f", sig_i32(), 0);
    good.define_func("h", sig_i32(), calls(f2), 0);
    let inputs = [("c.o", encode(&caller2)), ("d.o", def), ("h.o", encode(&good))];
    let (r, lld) = both(&inputs, &["--no-entry", "--export=g", "--export=h"]);
    let linked = r.expect("a signature mismatch is a warning");
    let warnings: Vec<String> = linked.warnings.iter().map(|w| w.message.clone()).collect();
    assert_eq!(warnings, vec!["function signature mismatch: f\n>>> defined as (i32, i32) -> i32 in c.o\n>>> defined as () -> i32 in d.o"]);
    let out = (linked.bytes, lld.bytes.expect("rust-lld links too"));
    assert!(run_both(&out, "g").unwrap_err().contains("unreachable"), "the mismatching caller reaches the stub");
    assert_eq!(run_both(&out, "h"), Ok(5), "a matching caller calls the definition");
    assert!(summary(&out.0).names().iter().any(|n| n == "signature_mismatch:f"));
    // --fatal-warnings turns it into a failure.
    assert!(both_fail(&inputs, &["--no-entry", "--export=g", "--export=h", "--fatal-warnings"]).iter().all(|m| m.0 == Severity::Error));
}

#[test]
fn signature_mismatch_without_definition_is_error() {
    let two = FuncSig { params: vec![ValTypeModel::I32, ValTypeModel::I32], results: vec![ValTypeModel::I32] };
    let mut a = obj();
    let f = a.undefined_func("f", "env", "f", two, 0);
    let mut body = Body::default();
    body.i32_const(1).i32_const(2).call(f);
    a.define_func("g", sig_i32(), body, 0);
    let b = caller("h", "f", 0);
    let inputs = [("a.o", encode(&a)), ("b.o", encode(&b))];
    for policy in [None, Some("--allow-undefined")] {
        let mut args = vec!["--no-entry", "--export=g", "--export=h"];
        args.extend(policy);
        let msgs = both_fail(&inputs, &args);
        assert_eq!(errors(&msgs), vec!["function signature mismatch: f\n>>> defined as (i32, i32) -> i32 in a.o\n>>> defined as () -> i32 in b.o"]);
    }
}

#[test]
fn did_you_mean() {
    let user = encode(&caller("run", "mylibraryinit", 0));
    let lib = encode(&definer("mylibrary_init", 1));
    let r = link(&[("user.o", user.clone()), ("lib.o", lib.clone())], &["--no-entry", "--export=run"]);
    let msgs = refld_messages(&r);
    assert_eq!(errors(&msgs), vec!["user.o: undefined symbol: mylibraryinit\n>>> did you mean: mylibrary_init (defined in lib.o)"]);
    // wasm-ld reports the same error without the hint.
    let lld = rust_lld(&[("user.o", user), ("lib.o", lib)], &["--no-entry", "--export=run"]);
    assert_eq!(errors(&lld.messages), vec!["user.o: undefined symbol: mylibraryinit"]);
    // Nothing near: no hint.
    let far = encode(&caller("run", "completely_different", 0));
    let msgs = refld_messages(&link(&[("far.o", far), ("lib.o", encode(&definer("mylibrary_init", 1)))], &["--no-entry", "--export=run"]));
    assert_eq!(errors(&msgs), vec!["far.o: undefined symbol: completely_different"]);
}

#[test]
fn weak_stub_only_for_direct_calls() {
    // UND-WEAK-FUNC: only a direct call makes the `undefined_weak:` stub;
    // taking the address alone gives table index 0 and no stub.
    let mut m = obj();
    let f = m.undefined_func("maybe", "env", "maybe", sig_i32(), flags::BINDING_WEAK);
    let mut body = Body::default();
    body.i32_const_table(f);
    m.define_func("addr", sig_i32(), body, 0);
    let (r, l) = both_ok(&[("a.o", encode(&m))], &["--no-entry", "--export=addr"]);
    for out in [&r, &l] {
        assert!(!summary(out).names().iter().any(|n| n.starts_with("undefined_weak:")), "no stub without a direct call");
        assert_eq!(run_export(out, "addr", &[]), Ok(0), "the address of an undefined weak function is 0");
    }
}

#[test]
fn stack_pointer_always_written() {
    // MEM-SP: a module that never touches the stack still has the
    // `__stack_pointer` global, as wasm-ld writes it.
    let (r, l) = both_ok(&[("a.o", encode(&returns("run", 3, 0)))], &["--no-entry", "--export=run"]);
    for out in [&r, &l] {
        assert!(summary(out).global_names.values().any(|n| n == "__stack_pointer"), "__stack_pointer is written");
    }
}

#[test]
fn export_all_exports_stack_pointer_and_table() {
    // EXP-4 (measured): `--export-all` also exports `__stack_pointer` when
    // the inputs use mutable-globals, and the indirect function table when
    // it is used, as wasm-ld 22 does.
    let mut m = obj();
    m.features.push(FeatureModel { prefix: '+', name: "mutable-globals".into() });
    let t = m.import_table();
    let f = m.define_func("callee", sig_i32(), ret(4), 0);
    let mut body = Body::default();
    body.i32_const_table(f).drop().i32_const(1);
    let _ = t;
    m.define_func("run", sig_i32(), body, 0);
    let (r, l) = both_ok(&[("a.o", encode(&m))], &["--no-entry", "--export-all"]);
    for out in [&r, &l] {
        let names = summary(out).export_names();
        for want in ["__stack_pointer", "__indirect_function_table", "run", "callee", "memory"] {
            assert!(names.iter().any(|n| n == want), "{want} is exported: {names:?}");
        }
    }
    // Without mutable-globals and without a table, neither is exported.
    let plain = encode(&returns("run", 1, 0));
    let (r, l) = both_ok(&[("p.o", plain)], &["--no-entry", "--export-all"]);
    for out in [&r, &l] {
        let names = summary(out).export_names();
        assert!(!names.iter().any(|n| n == "__stack_pointer" || n == "__indirect_function_table"), "{names:?}");
    }
}
