//! Zig 0.17's quirks (QUIRK-ZIG-*): under them refld must do what Zig's
//! linker (`zig build-exe -fno-lld`, through linkcheck's adapter) does,
//! compared as the oracle compares (`quirks_wild::divergences_from`). Zig
//! reads only objects with a `target_features` section, so every object
//! here has one. A missing Zig fails the test, naming scripts/setup.sh.

use crate::quirks_wild::{divergences_from, load, store_ctor};
use crate::support::*;
use linkcheck_core::discover;
use linkcheck_core::linker::Linker;
use linkcheck_object::FeatureModel;

/// Zig as the oracle finds it.
fn zig() -> Linker {
    match discover::zig() {
        Ok(found) => found.linker(),
        Err(missing) => panic!("Zig 0.17.1 is missing ({}): run scripts/setup.sh", missing.reason),
    }
}

/// Zig's deviations every comparison here meets besides the quirk tested:
/// `__stack_pointer` dropped when unused (QUIRK-WILD-SYN).
const SYN: &str = "unused-synthetics-dropped";
const GC: &str = "no-gc-sections-ignored";
const EXPORT: &str = "export-missing-ignored";

#[test]
fn no_gc_sections_ignored_drops_dead_code() {
    // QUIRK-ZIG-GC (found/zig_no_gc_sections_ignored): `unused` calls the
    // explicit import `env.host_unused` and reads `table`; nothing reaches
    // it. Under --no-gc-sections wasm-ld and refld keep it, its import and
    // its data; Zig drops them all.
    let mut m = zobj();
    let table = m.define_data("table", ".data.table", &[1, 0, 0, 0], 0);
    let host = m.undefined_func("host_unused", "env", "host_unused", sig_i32(), flags::EXPLICIT_NAME);
    let mut b = Body::new();
    b.i32_const(0).i32_load_sym(table, 0).call(host).i32_add();
    m.define_func("unused", sig_i32(), b, 0);
    m.define_func("run", sig_i32(), ret(3), 0);
    let inputs = [("a.o", encode(&m))];
    let args = ["--no-entry", "--export=run", "--no-gc-sections"];
    let with = divergences_from(&zig(), &inputs, &args, &[SYN, GC]);
    assert!(with.is_empty(), "refld under {SYN}, {GC} diverges from Zig:\n{}", with.join("\n"));
    let without = divergences_from(&zig(), &inputs, &args, &[SYN]);
    assert!(!without.is_empty(), "refld under {SYN} alone already agrees with Zig");
    // Without --no-gc-sections the quirk changes nothing.
    let default = divergences_from(&zig(), &inputs, &["--no-entry", "--export=run"], &[SYN]);
    assert!(default.is_empty(), "refld under {SYN} diverges from Zig by default:\n{}", default.join("\n"));
}

#[test]
fn export_missing_ignored() {
    // QUIRK-ZIG-EXPORT (found/zig_export_missing_ignored): `--export=nothere`
    // names nothing; wasm-ld and refld reject the link (EXP-5), Zig links
    // without the export.
    let mut m = zobj();
    m.define_func("run", sig_i32(), ret(3), 0);
    let inputs = [("a.o", encode(&m))];
    let args = ["--no-entry", "--export=run", "--export=nothere"];
    let with = divergences_from(&zig(), &inputs, &args, &[SYN, EXPORT]);
    assert!(with.is_empty(), "refld under {SYN}, {EXPORT} diverges from Zig:\n{}", with.join("\n"));
    let without = divergences_from(&zig(), &inputs, &args, &[SYN]);
    assert!(without.iter().any(|d| d.starts_with("outcome")), "without {EXPORT}: {without:?}");
}

const WRAP: &str = "no-command-wrappers";
const CTORS: &str = "init-functions-need-live-object";

/// An object with the `target_features` section Zig needs.
fn zobj() -> linkcheck_object::ObjectModel {
    let mut m = obj();
    m.features.push(FeatureModel { prefix: '+', name: "mutable-globals".into() });
    m
}

/// `quirk` with `others` makes refld agree with Zig on the link; `others`
/// alone does not.
fn quirk_is_zig(inputs: &[(&str, Vec<u8>)], args: &[&str], quirk: &str, others: &[&str]) {
    let mut all = others.to_vec();
    all.push(quirk);
    let with = divergences_from(&zig(), inputs, args, &all);
    assert!(with.is_empty(), "refld under {all:?} diverges from Zig on {args:?}:\n{}", with.join("\n"));
    let without = divergences_from(&zig(), inputs, args, others);
    assert!(!without.is_empty(), "refld under {others:?}, without {quirk}, already agrees with Zig on {args:?}");
}

#[test]
fn no_command_wrappers_exports_functions_themselves() {
    // QUIRK-ZIG-WRAP (found/zig_command_export_skips_dtors): an init
    // function in a live object and no entry: wasm-ld and refld export a
    // wrapper of `get` calling `__wasm_call_ctors` first (CTOR-2), Zig
    // exports `get` itself, so the constructor never runs: 0, not 7.
    let mut m = zobj();
    let flag = m.define_data("flag", ".data.flag", &[0; 4], 0);
    m.define_func("get", sig_i32(), load(flag), 0);
    let init = store_ctor(&mut m, "ctor1", flag, 7);
    m.add_init_func(65535, init);
    let inputs = [("a.o", encode(&m))];
    quirk_is_zig(&inputs, &["--no-entry", "--export=get"], WRAP, &[SYN]);
}

#[test]
fn no_command_wrappers_calls_no_destructors() {
    // QUIRK-ZIG-WRAP (found/zig_command_export_skips_dtors): the entry
    // `_start` is exported as it is and the defined `__wasm_call_dtors`
    // (which would store 100) is dropped with nothing calling it.
    let mut m = zobj();
    let flag = m.define_data("flag", ".data.flag", &[0; 4], 0);
    m.define_func("_start", sig_void(), Body::new(), 0);
    m.define_func("other", sig_i32(), load(flag), 0);
    let mut d = zobj();
    let f = d.undefined_data("flag", 0);
    store_ctor(&mut d, "__wasm_call_dtors", f, 100);
    let inputs = [("main.o", encode(&m)), ("dtors.o", encode(&d))];
    quirk_is_zig(&inputs, &["--export=other"], WRAP, &[SYN, CTORS]);
}

#[test]
fn init_functions_need_live_object() {
    // QUIRK-ZIG-CTORS (found/zig_constructor_of_unreferenced_object_dropped):
    // `run` calls `__wasm_call_ctors`; a.o's constructor sets `flag` to 7
    // and a.o is live (`run` reads `flag`), b.o holds only a constructor
    // adding 30 through its own data. wasm-ld and refld run both
    // (command-line objects are live from the start, GC-2): 37; Zig only
    // a.o's: 7.
    let mut a = zobj();
    let flag = a.define_data("flag", ".data.flag", &[0; 4], 0);
    let init = store_ctor(&mut a, "ctor_a", flag, 7);
    a.add_init_func(100, init);
    let ctors = a.undefined_func("__wasm_call_ctors", "env", "__wasm_call_ctors", sig_void(), 0);
    let mut b = Body::new();
    b.call(ctors).i32_const(0).i32_load_sym(flag, 0);
    a.define_func("run", sig_i32(), b, 0);
    let mut other = zobj();
    let mine = other.define_data("mine", ".data.mine", &[0; 4], 0);
    let init = store_ctor(&mut other, "ctor_b", mine, 30);
    other.add_init_func(101, init);
    let inputs = [("a.o", encode(&a)), ("b.o", encode(&other))];
    quirk_is_zig(&inputs, &["--no-entry", "--export=run"], CTORS, &[SYN, WRAP]);
    // With nothing calling `__wasm_call_ctors` and b.o alone, Zig has no
    // `__wasm_call_ctors` at all (CTOR-1: no live init function).
    let inputs = [("a.o", encode(&a)), ("b.o", encode(&other))];
    quirk_is_zig(&inputs[1..], &["--no-entry"], CTORS, &[SYN, WRAP]);
}

const REACHED: &str = "export-of-reached-function-dropped";

#[test]
fn export_of_reached_function_dropped() {
    // QUIRK-ZIG-EXPORT-REACHED (found/zig_export_of_reached_function_dropped):
    // `f2`, first in the symbol table, calls `f0`; both are exported.
    // wasm-ld and refld export both, Zig only `f2`, whatever the order of
    // the flags.
    let mut m = zobj();
    let f0 = m.undefined_func("f0", "env", "f0", sig_i32(), 0);
    let mut b = Body::new();
    b.local_get(0).call(f0);
    m.define_func("f2", sig_i32(), b, 0);
    let mut d = zobj();
    d.define_func("f0", sig_i32(), ret(4), 0);
    // One object defining both: f2 then f0.
    let mut one = zobj();
    let f0_sym = one.symbols.len() as u32 + 1;
    let mut b = Body::new();
    b.local_get(0).call(f0_sym);
    one.define_func("f2", sig_i32(), b, 0);
    one.define_func("f0", sig_i32(), ret(4), 0);
    let inputs = [("a.o", encode(&one))];
    for args in [["--no-entry", "--export=f2", "--export=f0"], ["--no-entry", "--export=f0", "--export=f2"]] {
        quirk_is_zig(&inputs, &args, REACHED, &[SYN, WRAP, CTORS]);
    }
    // The entry reaching it counts too.
    let mut e = zobj();
    let f0_sym = e.symbols.len() as u32 + 1;
    let mut b = Body::new();
    b.i32_const(1).call(f0_sym).drop();
    e.define_func("_start", sig_void(), b, 0);
    e.define_func("f0", sig_i32(), ret(4), 0);
    quirk_is_zig(&[("a.o", encode(&e))], &["--export=f0"], REACHED, &[SYN, WRAP, CTORS]);
    // A reference through an undefined symbol (f2 in a.o, f0 in b.o) keeps
    // the export: with the quirk refld still agrees with Zig.
    let inputs = [("a.o", encode(&m)), ("b.o", encode(&d))];
    let with = divergences_from(&zig(), &inputs, &["--no-entry", "--export=f2", "--export=f0"], &[SYN, WRAP, CTORS, REACHED]);
    assert!(with.is_empty(), "refld under the quirk diverges from Zig across objects:\n{}", with.join("\n"));
}

const WEAK: &str = "last-weak-definition-wins";

#[test]
fn last_weak_definition_wins() {
    // QUIRK-ZIG-WEAK (found/zig_last_weak_definition_wins): first.o and
    // second.o both define `value` (a function) and `level` (data) weakly;
    // `run` returns value() * 10 + level. wasm-ld and refld take first.o's
    // (SYM-2): 11; Zig second.o's: 22.
    let mut main = zobj();
    let value = main.undefined_func("value", "env", "value", sig_i32(), 0);
    let level = main.undefined_data("level", 0);
    let mut b = Body::new();
    b.i32_const(0).call(value).i32_const(10).i32_mul().i32_const(0).i32_load_sym(level, 0).i32_add();
    main.define_func("run", sig_i32(), b, 0);
    let weak = |v: i32| {
        let mut m = zobj();
        m.define_func("value", sig_i32(), ret(v), flags::BINDING_WEAK);
        m.define_data("level", ".data.level", &[v as u8, 0, 0, 0], flags::BINDING_WEAK);
        encode(&m)
    };
    let inputs = [("main.o", encode(&main)), ("first.o", weak(1)), ("second.o", weak(2))];
    quirk_is_zig(&inputs, &["--no-entry", "--export=run"], WEAK, &[SYN, WRAP, CTORS, REACHED]);
    // A strong definition still wins over both.
    let mut strong = zobj();
    strong.define_func("value", sig_i32(), ret(3), 0);
    strong.define_data("level", ".data.level", &[3, 0, 0, 0], 0);
    let inputs = [("main.o", encode(&main)), ("first.o", weak(1)), ("strong.o", encode(&strong)), ("second.o", weak(2))];
    let with = divergences_from(&zig(), &inputs, &["--no-entry", "--export=run"], &[SYN, WRAP, CTORS, REACHED, WEAK]);
    assert!(with.is_empty(), "refld under {WEAK} diverges from Zig with a strong definition:\n{}", with.join("\n"));
}

const WEAK_UND: &str = "weak-undefined-imported";
const UND: &str = "undefined-allowed";

#[test]
fn weak_undefined_imported() {
    // QUIRK-ZIG-WEAK-UND (found/zig_weak_undefined_imported_under_allow_undefined):
    // `run` calls the undefined weak `maybe` and takes its address. Under
    // --allow-undefined wasm-ld and refld give it a trapping stub and the
    // address 0 (UND-WEAK-FUNC); Zig imports `env.maybe`.
    let mut m = zobj();
    let maybe = m.undefined_func("maybe", "env", "maybe", sig_i32(), flags::BINDING_WEAK);
    let mut b = Body::new();
    b.i32_const_table(maybe).drop().i32_const(0).call(maybe);
    m.define_func("run", sig_i32(), b, 0);
    let inputs = [("a.o", encode(&m))];
    quirk_is_zig(&inputs, &["--no-entry", "--export=run", "--allow-undefined"], WEAK_UND, &[SYN, WRAP, CTORS, REACHED, UND]);
}

const WEAK_EXTRACT: &str = "weak-references-extract";

#[test]
fn weak_references_extract() {
    // QUIRK-ZIG-WEAK-EXTRACT (corpus basic/weak_undefined_is_null,
    // undefined/weak_reference_does_not_extract): `run` calls the weak
    // `maybe` and reads the weak data `level`, both defined by lib.a's
    // members. wasm-ld and refld extract neither (AR-2): a trapping stub
    // and address 0; Zig extracts both.
    let mut m = zobj();
    let maybe = m.undefined_func("maybe", "env", "maybe", sig_i32(), flags::BINDING_WEAK);
    let level = m.undefined_data("level", flags::BINDING_WEAK);
    let mut b = Body::new();
    b.i32_const(0).i32_load_sym(level, 0).drop().i32_const(0).call(maybe);
    m.define_func("run", sig_i32(), b, 0);
    let mut f = zobj();
    f.define_func("maybe", sig_i32(), ret(3), 0);
    let mut d = zobj();
    d.define_data("level", ".data.level", &[5, 0, 0, 0], 0);
    let lib = archive(&[("f.o", &encode(&f)), ("d.o", &encode(&d))]);
    let inputs = [("a.o", encode(&m)), ("lib.a", lib)];
    quirk_is_zig(&inputs, &["--no-entry", "--export=run"], WEAK_EXTRACT, &[SYN, WRAP, CTORS, REACHED, UND, WEAK_UND]);
}

const DEDUP: &str = "imports-not-deduplicated";

#[test]
fn imports_not_deduplicated() {
    // QUIRK-ZIG-DEDUP (found/zig_same_import_not_deduplicated): `get_a` in
    // a.o and `get_b` in b.o are both `host.get: () -> i32`; wasm-ld and
    // refld write one import (UND-DEDUP), Zig two.
    let mut a = zobj();
    let get_a = a.undefined_func("get_a", "host", "get", sig_i32(), flags::EXPLICIT_NAME);
    let mut b = Body::new();
    b.i32_const(0).call(get_a);
    a.define_func("run_a", sig_i32(), b, 0);
    let mut other = zobj();
    let get_b = other.undefined_func("get_b", "host", "get", sig_i32(), flags::EXPLICIT_NAME);
    let mut b = Body::new();
    b.i32_const(0).call(get_b);
    other.define_func("run_b", sig_i32(), b, 0);
    let inputs = [("a.o", encode(&a)), ("b.o", encode(&other))];
    quirk_is_zig(&inputs, &["--no-entry", "--export=run_a", "--export=run_b"], DEDUP, &[SYN, WRAP, CTORS, REACHED]);
}

const WEAK_OWN: &str = "weak-data-binds-own-references";

#[test]
fn weak_data_binds_own_references() {
    // QUIRK-ZIG-WEAK-OWN (found/zig_weak_definition_binds_own_data_references):
    // weak.o defines `level` (data) and `value` (a function) weakly and
    // reads both in `run`; strong.o, later, defines both strongly. wasm-ld
    // and refld bind every reference to the strong ones (SYM-3): 2 * 10 + 1;
    // Zig binds weak.o's data reference to its own `level` but its call to
    // the strong `value`: 2 * 10 + 7.
    let mut w = zobj();
    let level = w.define_data("level", ".data.level", &[7, 0, 0, 0], flags::BINDING_WEAK);
    let value = w.define_func("value", sig_i32(), ret(40), flags::BINDING_WEAK);
    let mut b = Body::new();
    b.i32_const(0).call(value).i32_const(10).i32_mul().i32_const(0).i32_load_sym(level, 0).i32_add();
    w.define_func("run", sig_i32(), b, 0);
    let mut s = zobj();
    s.define_data("level", ".data.level", &[1, 0, 0, 0], 0);
    s.define_func("value", sig_i32(), ret(2), 0);
    let mut m = zobj();
    let f = m.undefined_func("run", "env", "run", sig_i32(), 0);
    let mut b = Body::new();
    b.i32_const(0).call(f);
    m.define_func("main_run", sig_i32(), b, 0);
    let inputs = [("main.o", encode(&m)), ("weak.o", encode(&w)), ("strong.o", encode(&s))];
    quirk_is_zig(&inputs, &["--no-entry", "--export=main_run"], WEAK_OWN, &[SYN, WRAP, CTORS, REACHED]);
}

const EXPORT_DATA: &str = "data-exports-ignored";

#[test]
fn data_exports_ignored() {
    // QUIRK-ZIG-EXPORT-DATA: `--export=table` of a data symbol: wasm-ld and
    // refld keep the data and export a global holding its address (EXP-1);
    // Zig neither keeps nor exports it. `run` is exported beside it.
    let mut m = zobj();
    m.define_data("table", ".data.table", &[9, 0, 0, 0], 0);
    m.define_func("run", sig_i32(), ret(1), 0);
    let inputs = [("a.o", encode(&m))];
    quirk_is_zig(&inputs, &["--no-entry", "--export=run", "--export=table"], EXPORT_DATA, &[SYN, WRAP, CTORS, REACHED]);
}

#[test]
fn export_of_function_reached_from_a_referenced_root_dropped() {
    // QUIRK-ZIG-EXPORT-REACHED, found by diff_linkers: a1.o references f3
    // (undefined), a2.o defines f2, a3.o defines f2 weakly and f3 calling
    // it (so no input references f2 through an undefined symbol). f2 comes
    // first in definition order, but f3, which an input references, is
    // marked first and reaches f2: Zig exports f3 alone.
    let mut a1 = zobj();
    let f3 = a1.undefined_func("f3", "env", "f3", sig_i32(), 0);
    let mut b = Body::new();
    b.i32_const(0).call(f3);
    a1.define_func("f3_caller", sig_i32(), b, flags::VISIBILITY_HIDDEN);
    let mut a2 = zobj();
    a2.define_func("f2", sig_i32(), ret(2), 0);
    let mut a3 = zobj();
    let f2 = a3.define_func("f2", sig_i32(), ret(4), flags::BINDING_WEAK);
    let mut b = Body::new();
    b.local_get(0).call(f2);
    a3.define_func("f3", sig_i32(), b, 0);
    let inputs = [("a1.o", encode(&a1)), ("a2.o", encode(&a2)), ("a3.o", encode(&a3))];
    quirk_is_zig(&inputs, &["--no-entry", "--export=f3", "--export=f2"], REACHED, &[SYN, WRAP, CTORS]);
}
