//! The program the tests link, and the two linkers.

use linkcheck_core::canon::{canonicalize, Canon, InputObject};
use linkcheck_object::{encode, flags, Body, FuncSig, ObjectModel, RelocType, ValTypeModel};
use std::process::Command;

pub fn v_i() -> FuncSig {
    FuncSig::new(&[], &[ValTypeModel::I32])
}

/// The link's arguments (inputs last).
pub const ARGS: &[&str] = &["--no-entry", "--export=main", "--export=arr", "--export=__data_end"];

/// `a.o`: `main` calls `helper`, the imported `host_close` (`env.close`),
/// `pick` and `b_twice`; loads `value`, `arr[0]`, `arr[1]` (memarg
/// relocation), both words of `ptrs` and the first word of `table`; calls
/// `callee` through its table slot.
pub fn a_object() -> ObjectModel {
    let mut a = ObjectModel::new();
    a.import_memory();
    let table = a.import_table();
    let sp = a.import_stack_pointer();
    let close = a.undefined_func("host_close", "env", "close", v_i(), 0);
    let helper = a.undefined_func("helper", "env", "helper", v_i(), 0);
    let callee = a.undefined_func("callee", "env", "callee", v_i(), 0);
    let pick = a.undefined_func("pick", "env", "pick", v_i(), 0);
    let twice = a.undefined_func("b_twice", "env", "b_twice", v_i(), 0);
    let value = a.undefined_data("value", 0);
    let arr = a.undefined_data("arr", 0);
    let ptrs = a.undefined_data("ptrs", 0);
    let tbl = a.undefined_data("table", 0);
    let t = a.add_type(v_i());
    let mut body = Body::new();
    body.call(helper)
        .call(close)
        .i32_add()
        .i32_const_addr(value, 0)
        .i32_load(0)
        .i32_add()
        .i32_const_addr(arr, 0)
        .i32_load(0)
        .i32_add()
        .i32_const_table(callee)
        .call_indirect(t, Some(table))
        .i32_add()
        .i32_const_addr(ptrs, 0)
        .i32_load(0)
        .i32_load(0)
        .i32_add()
        .i32_const_addr(ptrs, 4)
        .i32_load(0)
        .call_indirect(t, Some(table))
        .i32_add()
        .global_get(sp)
        .drop()
        .i32_const(0)
        .i32_load_sym(arr, 4)
        .i32_add()
        .call(pick)
        .i32_add()
        .call(twice)
        .i32_add()
        .i32_const_addr(tbl, 8)
        .i32_load(0)
        .i32_load(0)
        .i32_add()
        .end();
    a.define_func("main", v_i(), body, 0);
    a
}

/// `b.o`: `helper` (40), `callee` (1000), hidden `callee2` (10000), weak
/// `pick` (1), local `twice` (2 × 7) and `b_twice` calling it; data
/// `value` = 2, `arr` = [5, 300], `ptrs` = [&arr + 4, slot of callee2].
pub fn b_object() -> ObjectModel {
    let mut b = ObjectModel::new();
    b.import_memory();
    b.import_table();
    for (name, v, f) in [
        ("helper", 40, 0),
        ("callee", 1000, 0),
        ("callee2", 10000, flags::VISIBILITY_HIDDEN),
        ("pick", 1, flags::BINDING_WEAK),
    ] {
        let mut body = Body::new();
        body.i32_const(v);
        b.define_func(name, v_i(), body, f);
    }
    let twice = local_twice(&mut b, 7);
    let mut body = Body::new();
    body.call(twice);
    b.define_func("b_twice", v_i(), body, 0);
    let callee2 = b.symbol_index("callee2").unwrap();
    b.define_data("value", ".data.value", &2i32.to_le_bytes(), 0);
    let arr_bytes: Vec<u8> = [5i32, 300].iter().flat_map(|v| v.to_le_bytes()).collect();
    let arr = b.define_data("arr", ".rodata.arr", &arr_bytes, 0);
    let ptrs = b.define_data("ptrs", ".data.ptrs", &[0; 8], 0);
    let seg = b.segment_of(ptrs).unwrap();
    b.add_data_reloc(seg, 0, RelocType::MemoryAddrI32, arr, 4);
    b.add_data_reloc(seg, 4, RelocType::TableIndexI32, callee2, 0);
    b
}

/// A local function `twice` returning `2 * v`; returns its symbol.
fn local_twice(o: &mut ObjectModel, v: i32) -> u32 {
    let mut body = Body::new();
    body.i32_const(v).i32_const(2).i32_mul();
    o.define_func("twice", v_i(), body, flags::BINDING_LOCAL)
}

/// `c.o`: strong `pick` (2), its own local `twice` (2 × 9) called by
/// `c_twice` (exported through a NO_STRIP symbol, so it stays), data
/// `table` = [&value, slot of callee, &arr + 4] and `.bss` `zeros`.
pub fn c_object() -> ObjectModel {
    let mut c = ObjectModel::new();
    c.import_memory();
    c.import_table();
    let mut body = Body::new();
    body.i32_const(2);
    c.define_func("pick", v_i(), body, 0);
    let twice = local_twice(&mut c, 9);
    let mut body = Body::new();
    body.call(twice);
    c.define_func("c_twice", v_i(), body, flags::NO_STRIP | flags::EXPORTED);
    let value = c.undefined_data("value", 0);
    let arr = c.undefined_data("arr", 0);
    let callee = c.undefined_func("callee", "env", "callee", v_i(), 0);
    let tbl = c.define_data("table", ".data.table", &[0; 12], 0);
    let seg = c.segment_of(tbl).unwrap();
    c.add_data_reloc(seg, 0, RelocType::MemoryAddrI32, value, 0);
    c.add_data_reloc(seg, 4, RelocType::TableIndexI32, callee, 0);
    c.add_data_reloc(seg, 8, RelocType::MemoryAddrI32, arr, 4);
    c
}

/// `extra.o`: a strong `value` (= 99) and a strong `pick` (3), never
/// extracted from an archive after `b.o` (which defines `value` first;
/// `pick` is already defined by `c.o`).
pub fn extra_object() -> ObjectModel {
    let mut x = ObjectModel::new();
    x.import_memory();
    let mut body = Body::new();
    body.i32_const(3);
    x.define_func("pick", v_i(), body, 0);
    x.define_data("value", ".data.value", &99i32.to_le_bytes(), 0);
    x
}

/// `a.o`, `c.o` and `libb.a` holding `b.o` and [`extra_object`].
pub fn archive_inputs() -> Vec<InputObject> {
    let lib = linkcheck_object::archive(&[("b.o", &encode(&b_object())), ("extra.o", &encode(&extra_object()))]);
    vec![
        InputObject::new("a.o", encode(&a_object())),
        InputObject::new("c.o", encode(&c_object())),
        InputObject::new("libb.a", lib),
    ]
}

/// The three inputs, encoded.
pub fn inputs() -> Vec<InputObject> {
    vec![
        InputObject::new("a.o", encode(&a_object())),
        InputObject::new("b.o", encode(&b_object())),
        InputObject::new("c.o", encode(&c_object())),
    ]
}

fn args(inputs: &[InputObject]) -> Vec<String> {
    ARGS.iter().map(|s| s.to_string()).chain(inputs.iter().map(|i| i.name.clone())).collect()
}

/// Links with refld in memory: the output and its link map.
pub fn link_refld(inputs: &[InputObject]) -> refld::Linked {
    link_refld_with(inputs, ARGS)
}

/// Links `inputs` with refld in memory under `options` (the inputs follow
/// them on the command line).
pub fn link_refld_with(inputs: &[InputObject], options: &[&str]) -> refld::Linked {
    let args: Vec<String> = options.iter().map(|s| s.to_string()).chain(inputs.iter().map(|i| i.name.clone())).collect();
    let no_files = |p: &str| Err(format!("no file {p}"));
    let config = match refld::args::parse_args(&args, &no_files) {
        Ok(refld::args::Action::Link(c)) => c,
        _ => panic!("refld does not parse {args:?}"),
    };
    let mut files = refld::MemoryInputs::default();
    for i in inputs {
        files.add(i.name.clone(), i.bytes.clone());
    }
    refld::link(&config, &files).unwrap_or_else(|e| panic!("refld rejects the program:\n{e}"))
}

/// Links with rust-lld in a temporary folder.
pub fn link_rust_lld(inputs: &[InputObject]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    for i in inputs {
        std::fs::write(dir.path().join(&i.name), &i.bytes).unwrap();
    }
    let out = Command::new(testkit::rust_lld()).current_dir(dir.path()).args(args(inputs)).args(["-o", "out.wasm"]).output().unwrap();
    assert!(out.status.success(), "rust-lld rejects the program:\n{}", String::from_utf8_lossy(&out.stderr));
    std::fs::read(dir.path().join("out.wasm")).unwrap()
}

/// The canonical form, or a panic saying why there is none.
pub fn canon(output: &[u8], inputs: &[InputObject]) -> Canon {
    canonicalize(output, inputs).unwrap_or_else(|e| panic!("no canonical form: {e}"))
}

/// What `main` returns: helper 40 + close (host) + value 2 + arr[0] 5 +
/// callee 1000 + *(&arr+4) 300 + callee2 10000 + arr[1] 300 + pick 2 +
/// twice 14 + *(&arr+4) 300.
pub const MAIN_RESULT_WITHOUT_CLOSE: i32 = 40 + 2 + 5 + 1000 + 300 + 10000 + 300 + 2 + 14 + 300;

/// Runs `main` with `env.close` returning `close`.
pub fn run_main(wasm: &[u8], close: i32) -> i32 {
    let mut exec = testkit::Exec::new(wasm, &[("env", "close", close)]).unwrap_or_else(|e| panic!("{e}"));
    exec.call("main", &[]).expect("main runs")
}
