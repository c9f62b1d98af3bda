// Reads statics.rs's TABLE from another object (so the optimizer cannot
// fold it): exits with pick(*first + *second) = twice(40 + 2) = 84.
#![feature(no_core, lang_items, auto_traits)]
#![allow(internal_features)]
#![no_core]

#[path = "minicore.rs"]
mod minicore;

#[repr(C)]
pub struct Table {
    first: &'static i32,
    second: &'static i32,
    pick: extern "C" fn(i32) -> i32,
}

#[link(wasm_import_module = "wasi_snapshot_preview1")]
extern "C" {
    fn proc_exit(code: i32) -> !;
}

extern "C" {
    static TABLE: Table;
}

#[no_mangle]
pub extern "C" fn _start() {
    unsafe { proc_exit((TABLE.pick)(*TABLE.first + *TABLE.second)) }
}
