//! The objects the tests build: a two-object program whose `main` returns
//! a value that depends on every relocation being applied right.

use linkcheck_object::{flags, Body, FuncSig, ObjectModel, RelocType, ValTypeModel};

pub fn v_i() -> FuncSig {
    FuncSig::new(&[], &[ValTypeModel::I32])
}

/// What `main` of [`main_object`] linked with [`lib_object`] returns.
pub const MAIN_RESULT: i32 = 40 + 2 + 5 + 1000 + 300 + 10000 + 300;

/// `main` calls `helper` (imported as `env.ext_helper` under the explicit
/// symbol name `helper`), loads `value`, `arr[0]` and `arr[1]` (through a
/// MEMORY_ADDR_SLEB and a MEMORY_ADDR_LEB in a memarg), calls `callee`
/// through its table slot, loads a pointer and a function pointer from
/// `ptrs` (data relocations of the other object) and uses them, and reads
/// `__stack_pointer`. Custom section `my_meta` holds `&arr + 4` and the
/// function index of `main`, both as relocations.
pub fn main_object() -> ObjectModel {
    let mut a = ObjectModel::new();
    a.import_memory();
    let table = a.import_table();
    let sp = a.import_stack_pointer();
    let helper = a.undefined_func("helper", "env", "ext_helper", v_i(), 0);
    let callee = a.undefined_func("callee", "env", "callee", v_i(), 0);
    let value = a.undefined_data("value", 0);
    let arr = a.undefined_data("arr", 0);
    let ptrs = a.undefined_data("ptrs", 0);
    let t = a.add_type(v_i());
    let mut body = Body::new();
    body.call(helper)
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
        .end();
    let main = a.define_func("main", v_i(), body, 0);
    let meta = a.add_custom_section("my_meta", &[0xaa; 8]);
    a.custom_sections[meta].relocs.push(reloc(RelocType::MemoryAddrI32, 0, arr, 4));
    a.custom_sections[meta].relocs.push(reloc(RelocType::FunctionIndexI32, 4, main, 0));
    a
}

/// Defines `helper` (40), `callee` (1000), hidden `callee2` (10000), data
/// `value` = 2, `arr` = [5, 300] and `ptrs` = [&arr + 4, &callee2].
pub fn lib_object() -> ObjectModel {
    let mut b = ObjectModel::new();
    b.import_memory();
    b.import_table();
    for (name, v, f) in [("helper", 40, 0), ("callee", 1000, 0), ("callee2", 10000, flags::VISIBILITY_HIDDEN)] {
        let mut body = Body::new();
        body.i32_const(v);
        b.define_func(name, v_i(), body, f);
    }
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

pub fn reloc(ty: RelocType, offset: u32, index: u32, addend: i64) -> linkcheck_object::RelocModel {
    linkcheck_object::RelocModel { ty, offset, index, addend }
}

/// A function `name` returning `v`, in an object of its own, plus a
/// strong function `dup` when `with_dup`.
pub fn single_func(name: &str, v: i32, with_dup: bool) -> ObjectModel {
    let mut o = ObjectModel::new();
    o.import_memory();
    let mut body = Body::new();
    body.i32_const(v);
    o.define_func(name, v_i(), body, 0);
    if with_dup {
        let mut body = Body::new();
        body.i32_const(-1);
        o.define_func("dup", v_i(), body, 0);
    }
    o
}

/// `main` returning the sum of calls to `callees` (undefined here), plus
/// a strong `dup`.
pub fn caller(callees: &[&str]) -> ObjectModel {
    let mut o = ObjectModel::new();
    o.import_memory();
    let mut body = Body::new();
    body.i32_const(0);
    for name in callees {
        let s = o.undefined_func(name, "env", name, v_i(), 0);
        body.call(s).i32_add();
    }
    o.define_func("main", v_i(), body, 0);
    let mut dup = Body::new();
    dup.i32_const(-2);
    o.define_func("dup", v_i(), dup, 0);
    o
}
