//! Wild 0.10's quirks (QUIRK-WILD-*): under them refld must do what Wild
//! does. Wild lays out differently, so the outputs are compared as the
//! oracle compares them (`linkcheck_core::check`: reports, runs and the
//! canonical forms), and only the differences its allow-list does not
//! cover count. Each case is one where refld (per SPEC.md) and Wild
//! differ: with the quirk (and the other Wild quirks the case needs) the
//! comparison has no divergence, without the quirk it has one.

use crate::support::*;
use linkcheck_core::check::{compare_reports, CheckOptions, LinkerReport};
use linkcheck_core::discover;
use linkcheck_core::linker::Linker;
use linkcheck_core::run::Runner;

/// Wild 0.10 as the oracle finds it; a missing Wild fails the test.
fn wild() -> Linker {
    match discover::wild() {
        Ok(found) => found.linker(),
        Err(missing) => panic!("Wild 0.10 is missing ({}): run scripts/setup.sh", missing.reason),
    }
}

/// Links `inputs` (with `args`; inputs the arguments do not name are
/// appended) with refld under `--quirk=Q` for each of `quirks` and with
/// Wild ([`divergences_from`] another linker), and returns the divergences of refld from Wild as `key: refld /
/// wild` lines (the differences the oracle's allow-list does not cover).
fn divergences(inputs: &[Input<'_>], args: &[&str], quirks: &[&str]) -> Vec<String> {
    divergences_from(&wild(), inputs, args, quirks)
}

/// [`divergences`] from `other` (Wild, Zig, ...): `key: refld / other`
/// lines.
pub(crate) fn divergences_from(other: &Linker, inputs: &[Input<'_>], args: &[&str], quirks: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (name, bytes) in inputs {
        std::fs::write(dir.path().join(name), bytes).expect("writing an input");
    }
    let mut argv: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    argv.extend(inputs.iter().map(|(n, _)| n.to_string()).filter(|n| !args.contains(&n.as_str())));
    // `--quirk=NAME` (one argument): the canonical forms read the inputs
    // from the arguments, and take no option for one.
    let quirked: Vec<String> = argv.iter().cloned().chain(quirks.iter().map(|q| format!("--quirk={q}"))).collect();
    let options = CheckOptions::default();
    let runner = Runner::new().expect("the runner's engine");
    let ours = Linker::Reference.link_with_timeout(&quirked, dir.path(), options.timeout);
    let theirs = other.link_with_timeout(&argv, dir.path(), options.timeout);
    let reports = vec![
        LinkerReport::from_outcome(Linker::Reference.name(), ours, &runner, &options),
        LinkerReport::from_outcome(other.name(), theirs, &runner, &options),
    ];
    let report = compare_reports(&argv, dir.path(), reports, &options.allow);
    report.comparisons[0].differences.iter().map(|d| format!("{}: {} / {}", d.key, d.left, d.right)).collect()
}

/// `quirk` with `others` makes refld agree with Wild on the link; `others`
/// alone does not.
fn quirk_is_wild(inputs: &[Input<'_>], args: &[&str], quirk: &str, others: &[&str]) {
    let mut all = others.to_vec();
    all.push(quirk);
    let with = divergences(inputs, args, &all);
    assert!(with.is_empty(), "refld under {all:?} diverges from Wild on {args:?}:\n{}", with.join("\n"));
    let without = divergences(inputs, args, others);
    assert!(!without.is_empty(), "refld under {others:?}, without {quirk}, already agrees with Wild on {args:?}");
}

const GC: &str = "gc-sections-ignored";
const WRAP: &str = "command-wrapper-entry-only";
const SYN: &str = "unused-synthetics-dropped";
const MEM: &str = "memory-only-when-imported";
const UND: &str = "undefined-allowed";
const SIG: &str = "signature-unchecked";
const ADDEND: &str = "undefined-data-addend-kept";
const WEAK_OWN: &str = "weak-definitions-bind-own-references";
const COMDAT: &str = "comdat-copies-kept";

/// An init function storing `value` into data symbol `target`; returns
/// the function's symbol.
pub(crate) fn store_ctor(m: &mut ObjectModel, name: &str, target: u32, value: i32) -> u32 {
    let mut b = Body::new();
    b.i32_const_addr(target, 0).i32_const(value).i32_store(0);
    m.define_func(name, sig_void(), b, flags::VISIBILITY_HIDDEN)
}

/// A body loading the i32 at data symbol `d`.
pub(crate) fn load(d: u32) -> Body {
    let mut b = Body::new();
    b.i32_const(0).i32_load_sym(d, 0);
    b
}

#[test]
fn gc_sections_ignored_keeps_dead_code() {
    // QUIRK-WILD-GC (found/wild_no_gc_sections): `unused` reads `table` and
    // calls the explicit import `env.host_unused`, `unused_ptr` takes the
    // address of `helper`, `unused_weak` calls the weak undefined `wk`;
    // nothing reaches them. Wild keeps them all: the import, the table
    // slot and the weak stub too. (It also writes no `__stack_pointer`
    // nor `__wasm_call_ctors` nobody uses: QUIRK-WILD-SYN.)
    let mut m = obj();
    m.import_table();
    let table = m.define_data("table", ".data.table", &[1, 0, 0, 0, 2, 0, 0, 0], 0);
    let host = m.undefined_func("host_unused", "env", "host_unused", sig_i32(), flags::EXPLICIT_NAME);
    let mut b = load(table);
    b.call(host).i32_add();
    m.define_func("unused", sig_i32(), b, 0);
    let helper = m.define_func("helper", sig_i32(), ret(5), flags::BINDING_LOCAL);
    let mut b = Body::new();
    b.i32_const_table(helper);
    m.define_func("unused_ptr", sig_i32(), b, 0);
    let wk = m.undefined_func("wk", "env", "wk", sig_i32(), flags::BINDING_WEAK);
    m.define_func("unused_weak", sig_i32(), calls(wk), 0);
    m.define_func("run", sig_i32(), ret(3), 0);
    let inputs = [("a.o", encode(&m))];
    quirk_is_wild(&inputs, &["--no-entry", "--export=run"], GC, &[SYN]);
    // An explicit --gc-sections changes nothing.
    quirk_is_wild(&inputs, &["--no-entry", "--export=run", "--gc-sections"], GC, &[SYN]);
}

#[test]
fn gc_sections_ignored_runs_constructors_of_unused_members() {
    // QUIRK-WILD-GC (found/wild_constructor_of_unused_member_runs): a2.o's
    // undefined `d0` extracts lib.a(m1.o), which defines `d0` and an init
    // function; no live code reaches `d0`, so wasm-ld drops m1.o and its
    // init function, Wild calls it from `__wasm_call_ctors`.
    let mut a1 = obj();
    let flag = a1.define_data("flag", ".data.flag", &[0; 4], 0);
    let init = store_ctor(&mut a1, "ctor1", flag, 1);
    a1.add_init_func(100, init);
    a1.define_func("get", sig_i32(), load(flag), 0);
    let mut a2 = obj();
    let d0 = a2.undefined_data("d0", 0);
    let p = a2.define_data("p", ".data.p", &[0; 4], 0);
    let seg = a2.segment_of(p).unwrap();
    a2.add_data_reloc(seg, 0, RelocType::MemoryAddrI32, d0, 0);
    let mut m1 = obj();
    m1.define_data("d0", ".data.d0", &[3, 0, 0, 0], flags::VISIBILITY_HIDDEN);
    let f = m1.undefined_data("flag", 0);
    let init = store_ctor(&mut m1, "ctor2", f, 10);
    m1.add_init_func(102, init);
    let inputs = [("a1.o", encode(&a1)), ("a2.o", encode(&a2)), ("lib.a", archive(&[("m1.o", &encode(&m1))]))];
    quirk_is_wild(&inputs, &["--no-entry"], GC, &[SYN]);
}

#[test]
fn command_wrapper_entry_only_leaves_exports_unwrapped() {
    // QUIRK-WILD-WRAP (found/wild_no_command_export_wrapper): a module with
    // an init function and no entry: wasm-ld wraps the exported `f0`
    // (CTOR-2), Wild exports `f0` itself.
    let mut a1 = obj();
    let flag = a1.define_data("flag", ".data.flag", &[0; 4], 0);
    a1.define_func("f0", sig_i32(), load(flag), flags::VISIBILITY_HIDDEN);
    let mut a2 = obj();
    let f = a2.undefined_data("flag", 0);
    let init = store_ctor(&mut a2, "ctor1", f, 7);
    a2.add_init_func(65535, init);
    let inputs = [("a1.o", encode(&a1)), ("a2.o", encode(&a2))];
    quirk_is_wild(&inputs, &["--no-entry", "--export=f0"], WRAP, &[SYN]);
}

#[test]
fn command_wrapper_entry_only_calls_no_destructors() {
    // QUIRK-WILD-WRAP (found/wild_command_export_skips_dtors): the entry
    // `_start` is wrapped, by a function named `_start` too, before it,
    // calling `__wasm_call_ctors` and the entry, not the
    // defined `__wasm_call_dtors`; `other`, exported too, is not wrapped.
    let mut m = obj();
    let flag = m.define_data("flag", ".data.flag", &[0; 4], 0);
    m.define_func("_start", sig_void(), Body::new(), 0);
    m.define_func("other", sig_i32(), load(flag), 0);
    let init = store_ctor(&mut m, "ctor1", flag, 5);
    m.add_init_func(65535, init);
    let mut d = obj();
    let f = d.undefined_data("flag", 0);
    store_ctor(&mut d, "__wasm_call_dtors", f, 100);
    let inputs = [("main.o", encode(&m)), ("dtors.o", encode(&d))];
    quirk_is_wild(&inputs, &["--export=other"], WRAP, &[SYN, GC]);
    // The wrapper is `() -> ()` and passes nothing, whatever the entry's
    // type (measured): with `other: () -> i32` as the entry, an invalid
    // module in both.
    quirk_is_wild(&inputs, &["--entry=other"], WRAP, &[SYN, GC]);
}

#[test]
fn unused_synthetics_dropped() {
    // QUIRK-WILD-SYN (found/wild_unused_stack_pointer_dropped): no code
    // uses `__stack_pointer`; with --no-gc-sections and no init function
    // nothing calls `__wasm_call_ctors` either. Wild writes neither.
    let mut m = obj();
    m.define_func("run", sig_i32(), ret(3), 0);
    let inputs = [("a.o", encode(&m))];
    quirk_is_wild(&inputs, &["--no-entry", "--export=run"], SYN, &[]);
    quirk_is_wild(&inputs, &["--no-entry", "--export=run", "--no-gc-sections"], SYN, &[]);
    // A function using the stack pointer keeps it, in both.
    let mut u = obj();
    let sp = u.import_stack_pointer();
    let mut b = Body::new();
    b.global_get(sp);
    u.define_func("sp", sig_i32(), b, 0);
    let inputs = [("a.o", encode(&m)), ("u.o", encode(&u))];
    assert_eq!(divergences(&inputs, &["--no-entry", "--export=run", "--export=sp"], &[SYN]), Vec::<String>::new());
}

#[test]
fn memory_only_when_imported() {
    // QUIRK-WILD-MEM (found/wild_no_memory_without_memory_import): no
    // input imports `env.__linear_memory`: Wild writes no memory and
    // exports none.
    let mut m = ObjectModel::new();
    m.define_func("run", sig_i32(), ret(7), 0);
    let inputs = [("a.o", encode(&m))];
    quirk_is_wild(&inputs, &["--no-entry", "--export=run"], MEM, &[SYN]);
    // One loaded input importing it is enough; an archive member that is
    // never extracted is not.
    let lib = archive(&[("d.o", &encode(&returns("unused", 1, 0)))]);
    let inputs = [("a.o", encode(&m)), ("lib.a", lib)];
    quirk_is_wild(&inputs, &["--no-entry", "--export=run"], MEM, &[SYN]);
    let inputs = [("a.o", encode(&m)), ("b.o", encode(&returns("other", 1, 0)))];
    assert_eq!(divergences(&inputs, &["--no-entry", "--export=run", "--export=other"], &[SYN, MEM]), Vec::<String>::new());
}

#[test]
fn undefined_allowed_imports_functions_and_globals() {
    // QUIRK-WILD-UND (found/wild_links_undefined_function): without
    // --allow-undefined, Wild imports the undefined `missing` (env) and
    // `modonly` (module `host`) and the undefined global `glob`, and gives
    // the undefined data `dmissing` address 0; no diagnostic.
    let mut m = obj();
    let missing = m.undefined_func("missing", "env", "missing", sig_i32(), 0);
    let modonly = m.undefined_func("modonly", "host", "modonly", sig_i32(), 0);
    let glob = m.undefined_global("glob", "env", "glob", ValTypeModel::I32, false, 0);
    let dmissing = m.undefined_data("dmissing", 0);
    let mut b = Body::new();
    b.call(missing).call(modonly).i32_add().global_get(glob).i32_add().i32_const(0).i32_load_sym(dmissing, 0).i32_add();
    m.define_func("run", sig_i32(), b, 0);
    let inputs = [("a.o", encode(&m))];
    quirk_is_wild(&inputs, &["--no-entry", "--export=run"], UND, &[SYN]);
}

#[test]
fn signature_unchecked_calls_the_definition() {
    // QUIRK-WILD-SIG (found/wild_signature_mismatch_invalid_module): `f` is
    // defined as `() -> i32` in d.o, called as `(i32, i32) -> i32` and its
    // address taken in c.o. wasm-ld warns and routes c.o's call and
    // address to a `signature_mismatch:f` stub; Wild calls `f` itself (an
    // invalid module) and gives its address a table slot.
    let two = FuncSig::new(&[ValTypeModel::I32, ValTypeModel::I32], &[ValTypeModel::I32]);
    let mut c = obj();
    c.import_table();
    let f = c.undefined_func("f", "env", "f", two, 0);
    let mut b = Body::new();
    b.i32_const(1).i32_const(2).call(f);
    c.define_func("callf", sig_i32(), b, 0);
    let mut b = Body::new();
    b.i32_const_table(f);
    c.define_func("pf", sig_i32(), b, 0);
    let mut main = obj();
    let f = main.undefined_func("f", "env", "f", sig_i32(), 0);
    let callf = main.undefined_func("callf", "env", "callf", sig_i32(), 0);
    let pf = main.undefined_func("pf", "env", "pf", sig_i32(), 0);
    let mut b = Body::new();
    b.call(f).call(callf).i32_add().call(pf).i32_add();
    main.define_func("run", sig_i32(), b, 0);
    let inputs = [("main.o", encode(&main)), ("c.o", encode(&c)), ("d.o", encode(&returns("f", 7, 0)))];
    quirk_is_wild(&inputs, &["--no-entry", "--export=run"], SIG, &[SYN]);
}

#[test]
fn undefined_data_addend_kept() {
    // QUIRK-WILD-ADDEND (found/wild_weak_data_addend_kept): `&warr[2]` of
    // the weak undefined `warr`, in data (MEMORY_ADDR_I32) and in code
    // (MEMORY_ADDR_SLEB): wasm-ld writes 0, Wild 8 (0 + addend).
    let mut m = obj();
    let warr = m.undefined_data("warr", flags::BINDING_WEAK);
    let p = m.define_data("p", ".data.p", &[0; 4], 0);
    let seg = m.segment_of(p).unwrap();
    m.add_data_reloc(seg, 0, RelocType::MemoryAddrI32, warr, 8);
    let mut b = Body::new();
    b.i32_const_addr(warr, 8).i32_const(0).i32_load_sym(p, 0).i32_add();
    m.define_func("run", sig_i32(), b, 0);
    let inputs = [("a.o", encode(&m))];
    quirk_is_wild(&inputs, &["--no-entry", "--export=run"], ADDEND, &[SYN]);
}

#[test]
fn weak_definitions_bind_own_references() {
    // QUIRK-WILD-WEAK-OWN (found/wild_weak_definition_binds_own_references):
    // weak.o defines `used` (data) and `value` weakly and reads / calls
    // them; strong.o, later, defines both strongly. wasm-ld binds every
    // reference to the strong ones, Wild weak.o's own to weak.o's. (Wild
    // keeps the strong ones nobody uses: QUIRK-WILD-GC.)
    let mut weak = obj();
    let used = weak.define_data("used", ".data.used", &[20, 0, 0, 0], flags::BINDING_WEAK);
    let value = weak.define_func("value", sig_i32(), ret(40), flags::BINDING_WEAK);
    weak.define_func("read_used", sig_i32(), load(used), 0);
    weak.define_func("call_value", sig_i32(), calls(value), 0);
    let mut strong = obj();
    strong.define_data("used", ".data.used", &[1, 0, 0, 0], 0);
    strong.define_func("value", sig_i32(), ret(2), 0);
    let inputs = [("weak.o", encode(&weak)), ("strong.o", encode(&strong))];
    let args = ["--no-entry", "--export=read_used", "--export=call_value"];
    quirk_is_wild(&inputs, &args, WEAK_OWN, &[SYN, GC]);
    // Two weak definitions (measured): each object calls, and takes the
    // address of, its own `value`; m.o's references reach the first.
    let weak_copy = |name: &str, v: i32| {
        let mut w = obj();
        w.import_table();
        let value = w.define_func("value", sig_i32(), ret(v), flags::BINDING_WEAK);
        w.define_func(&format!("call_{name}"), sig_i32(), calls(value), 0);
        let mut b = Body::new();
        b.i32_const_table(value);
        w.define_func(&format!("addr_{name}"), sig_i32(), b, 0);
        encode(&w)
    };
    let mut m = obj();
    m.import_table();
    let value = m.undefined_func("value", "env", "value", sig_i32(), 0);
    m.define_func("call_m", sig_i32(), calls(value), 0);
    let mut b = Body::new();
    b.i32_const_table(value);
    m.define_func("addr_m", sig_i32(), b, 0);
    let inputs = [("m.o", encode(&m)), ("w1.o", weak_copy("w1", 40)), ("w2.o", weak_copy("w2", 50))];
    let args = ["--no-entry", "--export=call_m", "--export=addr_m", "--export=call_w1", "--export=addr_w1", "--export=call_w2", "--export=addr_w2"];
    quirk_is_wild(&inputs, &args, WEAK_OWN, &[SYN, GC]);
}

/// An object whose `g_NAME` calls `f`, a weak hidden function returning `v`
/// in COMDAT group `f`, as clang writes an inline C++ function.
fn comdat_copy(name: &str, v: i32) -> Vec<u8> {
    let mut m = obj();
    let f = m.define_func("f", sig_i32(), ret(v), flags::BINDING_WEAK | flags::VISIBILITY_HIDDEN);
    let index = m.symbols[f as usize].index;
    m.comdats.push(ComdatModel { name: "f".into(), members: vec![ComdatMember { kind: ComdatKind::Function, index }] });
    m.define_func(&format!("g_{name}"), sig_i32(), calls(f), 0);
    encode(&m)
}

#[test]
fn comdat_copies_kept() {
    // QUIRK-WILD-COMDAT (found/wild_comdat_copy_kept): a.o and b.o both
    // hold group `f`. wasm-ld keeps a.o's and b.o's call reaches it; Wild
    // keeps both copies and b.o calls its own, which takes
    // QUIRK-WILD-WEAK-OWN too (Wild: one deviation, the group's symbol
    // being weak).
    let inputs = [("a.o", comdat_copy("a", 1)), ("b.o", comdat_copy("b", 2))];
    quirk_is_wild(&inputs, &["--no-entry", "--export=g_a", "--export=g_b"], COMDAT, &[SYN, WEAK_OWN]);
}
