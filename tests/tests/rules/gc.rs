//! Garbage collection (GC-*) and init functions (INIT-1, CTOR-*).

use crate::support::*;

const USED: [u8; 4] = [0x11, 0x22, 0x33, 0x44];
const CHAIN: [u8; 4] = [0x55, 0x66, 0x77, 0x18];
const UNUSED: [u8; 4] = [0xab, 0xcd, 0xef, 0x19];

/// `run` -> `used` -> data `d_used` -> (TABLE_INDEX_I32) `via_data` and
/// (MEMORY_ADDR_I32) data `d_chain`; `unused` and `d_unused` hang from
/// nothing; `keep` is NO_STRIP, `exp` EXPORTED.
fn gc_object() -> Vec<u8> {
    let mut m = obj();
    m.import_table();
    let via = m.define_func("via_data", sig_i32(), ret(9), 0);
    let chain = m.define_data("d_chain", ".data.d_chain", &CHAIN, 0);
    let mut used_bytes = USED.to_vec();
    used_bytes.extend([0; 8]);
    let d_used = m.define_data("d_used", ".data.d_used", &used_bytes, 0);
    let seg = m.segment_of(d_used).unwrap();
    m.add_data_reloc(seg, 4, RelocType::TableIndexI32, via, 0);
    m.add_data_reloc(seg, 8, RelocType::MemoryAddrI32, chain, 0);
    let d_unused = m.define_data("d_unused", ".data.d_unused", &UNUSED, 0);
    let mut b = Body::new();
    b.i32_const(0).i32_load_sym(d_used, 0);
    let used = m.define_func("used", sig_i32(), b, 0);
    let mut b = Body::new();
    b.i32_const(0).i32_load_sym(d_unused, 0);
    m.define_func("unused", sig_i32(), b, 0);
    m.define_func("run", sig_i32(), calls(used), 0);
    m.define_func("keep", sig_i32(), ret(5), flags::NO_STRIP);
    m.define_func("exp", sig_i32(), ret(6), flags::EXPORTED);
    encode(&m)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn gc_removes_unreachable() {
    let (r, lld) = both_ok(&[("a.o", gc_object())], &["--no-entry", "--export=run"]);
    for bytes in [&r, &lld] {
        let s = summary(bytes);
        let has = |n: &str| s.func(n).is_some();
        // GC-1: roots `run` (--export), `exp` (EXPORTED), `keep` (NO_STRIP);
        // GC-3: relocations of live code and data are followed.
        assert!(has("run") && has("used") && has("exp") && has("keep") && has("via_data"), "{:?}", s.names());
        assert!(!has("unused"), "{:?}", s.names());
        let image = s.memory_image();
        assert!(contains(&image, &USED) && contains(&image, &CHAIN));
        assert!(!contains(&image, &UNUSED));
        let exports = s.export_names();
        assert!(exports.contains(&"exp".into()) && !exports.contains(&"keep".into()), "{exports:?}");
    }
    assert_eq!(summary(&r).names(), summary(&lld).names());
    assert_eq!(run_export(&r, "run", &[]), Ok(0x44332211));
}

#[test]
fn no_gc_sections_keeps_everything() {
    // GC-4: `unused` and `d_unused` stay, and so does `__wasm_call_ctors`
    // (measured) though no file has init functions.
    let (r, lld) = both_ok(&[("a.o", gc_object())], &["--no-entry", "--export=run", "--no-gc-sections"]);
    for bytes in [&r, &lld] {
        let s = summary(bytes);
        assert!(s.func("unused").is_some() && s.func("__wasm_call_ctors").is_some(), "{:?}", s.names());
        assert!(contains(&s.memory_image(), &UNUSED));
    }
    assert_eq!(summary(&r).names(), summary(&lld).names());
}

/// An init function storing `value` into data symbol `target` (undefined
/// here) of an object; returns the function's symbol.
fn store_ctor(m: &mut ObjectModel, name: &str, target: u32, value: i32) -> u32 {
    let mut b = Body::new();
    b.i32_const_addr(target, 0).i32_const(value).i32_store(0);
    m.define_func(name, sig_void(), b, flags::VISIBILITY_HIDDEN)
}

#[test]
fn ctor_of_unused_member_does_not_run() {
    // main.o: `flag` (0) and `run` returning it.
    let mut main = obj();
    let flag = main.define_data("flag", ".data.flag", &[0; 4], 0);
    let mut b = Body::new();
    b.i32_const(0).i32_load_sym(flag, 0);
    main.define_func("run", sig_i32(), b, 0);
    // m.o (in lib.a): `foo`, and an init function setting `flag` to 99.
    let mut m = returns("foo", 3, 0);
    let f = m.undefined_data("flag", 0);
    let init = store_ctor(&mut m, "init_m", f, 99);
    m.add_init_func(100, init);
    let inputs = [("main.o", encode(&main)), ("lib.a", archive(&[("m.o", &encode(&m))]))];
    // GC-2: `-u foo` loads m.o, but nothing of it is live: its init
    // function does not run.
    let out = both_ok(&inputs, &["--no-entry", "--export=run", "-u", "foo"]);
    assert_eq!(run_both(&out, "run"), Ok(0));
    // Once `foo` is live, so is the file, and its init function runs
    // (from `run`'s command-export wrapper, CTOR-2).
    let out = both_ok(&inputs, &["--no-entry", "--export=run", "--export=foo"]);
    assert_eq!(run_both(&out, "run"), Ok(99));
    // GC-2 (measured): an object named on the command line is live from
    // the start: its init function runs though nothing uses `foo`. A
    // `--start-lib` object is like an archive member.
    let inputs = [("main.o", encode(&main)), ("m.o", encode(&m))];
    let out = both_ok(&inputs, &["--no-entry", "--export=run"]);
    assert_eq!(run_both(&out, "run"), Ok(99));
    let lazy = ["--no-entry", "--export=run", "-u", "foo", "main.o", "--start-lib", "m.o", "--end-lib"];
    assert_eq!(run_both(&both_ok(&inputs, &lazy), "run"), Ok(0));
    let lazy = ["--no-entry", "--export=run", "--export=foo", "main.o", "--start-lib", "m.o", "--end-lib"];
    assert_eq!(run_both(&both_ok(&inputs, &lazy), "run"), Ok(99));
}

/// An init function doing `acc = acc * 10 + digit`.
fn digit_ctor(m: &mut ObjectModel, name: &str, acc: u32, digit: i32) -> u32 {
    let mut b = Body::new();
    b.i32_const_addr(acc, 0).i32_const_addr(acc, 0).i32_load(0).i32_const(10).i32_mul().i32_const(digit).i32_add();
    b.i32_store(0);
    m.define_func(name, sig_void(), b, flags::VISIBILITY_HIDDEN)
}

#[test]
fn ctor_priorities() {
    // a.o: `acc`, `run`; init functions (priority: digit) 200: 3, 100: 1.
    let mut a = obj();
    let acc = a.define_data("acc", ".data.acc", &[0; 4], 0);
    let a3 = digit_ctor(&mut a, "a3", acc, 3);
    let a1 = digit_ctor(&mut a, "a1", acc, 1);
    a.add_init_func(200, a3);
    a.add_init_func(100, a1);
    let b_zero = a.undefined_func("b_zero", "env", "b_zero", sig_i32(), 0);
    let mut body = Body::new();
    body.i32_const(0).i32_load_sym(acc, 0).call(b_zero).i32_add();
    a.define_func("run", sig_i32(), body, 0);
    // b.o: `b_zero` (so b.o is live); init functions 65535: 4, 100: 2.
    let mut b = returns("b_zero", 0, 0);
    let acc_b = b.undefined_data("acc", 0);
    let b4 = digit_ctor(&mut b, "b4", acc_b, 4);
    let b2 = digit_ctor(&mut b, "b2", acc_b, 2);
    b.add_init_func(65535, b4);
    b.add_init_func(100, b2);
    // INIT-1: by priority, equal priorities in input order: 1, 2, 3, 4.
    let inputs = [("a.o", encode(&a)), ("b.o", encode(&b))];
    let out = both_ok(&inputs, &["--no-entry", "--export=run"]);
    assert_eq!(run_both(&out, "run"), Ok(1234));
    // CTOR-1: `__wasm_call_ctors` exists with live init functions only.
    assert!(summary(&out.0).func("__wasm_call_ctors").is_some());
    let plain = [("c.o", encode(&returns("run", 1, 0)))];
    let (r, lld) = both_ok(&plain, &["--no-entry", "--export=run"]);
    assert!(summary(&r).func("__wasm_call_ctors").is_none() && summary(&lld).func("__wasm_call_ctors").is_none());
}

#[test]
fn command_export_wrappers() {
    // a.o: `x`, `y`; an init function sets x = 5; `run` returns x,
    // `get_y` returns y. lib.a(d.o): `__wasm_call_dtors` sets y = 77.
    let mut a = obj();
    let x = a.define_data("x", ".data.x", &[0; 4], 0);
    let y = a.define_data("y", ".data.y", &[0; 4], 0);
    let init = store_ctor(&mut a, "init_x", x, 5);
    a.add_init_func(100, init);
    let mut b = Body::new();
    b.i32_const(0).i32_load_sym(x, 0);
    a.define_func("run", sig_i32(), b, 0);
    let mut b = Body::new();
    b.i32_const(0).i32_load_sym(y, 0);
    a.define_func("get_y", sig_i32(), b, 0);
    let mut d = obj();
    let yd = d.undefined_data("y", 0);
    let mut b = Body::new();
    b.i32_const_addr(yd, 0).i32_const(77).i32_store(0);
    d.define_func("__wasm_call_dtors", sig_void(), b, flags::VISIBILITY_HIDDEN);
    let lib = archive(&[("d.o", &encode(&d))]);
    let args = ["--no-entry", "--export=run", "--export=get_y"];

    // CTOR-2: each export is a wrapper: ctors, the function, then (CTOR-3)
    // the extracted `__wasm_call_dtors`. `get_y` sees the 77 that the
    // dtors wrote after `run`.
    let inputs = [("a.o", encode(&a)), ("lib.a", lib.clone())];
    let (r, lld) = both_ok(&inputs, &args);
    for bytes in [&r, &lld] {
        assert_eq!(run_calls(bytes, &[("run", &[]), ("get_y", &[])]), [Ok(5), Ok(77)]);
        let s = summary(bytes);
        assert!(s.func("run.command_export").is_some() && s.func("get_y.command_export").is_some(), "{:?}", s.names());
    }

    // An input calling `__wasm_call_ctors` itself: no wrappers, nothing
    // runs the ctors or dtors behind the caller's back.
    let mut c = obj();
    let ctors = c.undefined_func("__wasm_call_ctors", "env", "__wasm_call_ctors", sig_void(), 0);
    let mut b = Body::new();
    b.call(ctors);
    c.define_func("init", sig_void(), b, 0);
    let inputs = [("a.o", encode(&a)), ("lib.a", lib), ("c.o", encode(&c))];
    let (r, lld) = both_ok(&inputs, &["--no-entry", "--export=run", "--export=get_y", "--export=init"]);
    for bytes in [&r, &lld] {
        assert_eq!(run_calls(bytes, &[("run", &[]), ("get_y", &[]), ("init", &[]), ("run", &[])]), [Ok(0), Ok(0), Ok(0), Ok(5)]);
        assert!(!summary(bytes).names().iter().any(|n| n.ends_with(".command_export")));
    }
}
