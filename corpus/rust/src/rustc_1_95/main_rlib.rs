// Calls a function defined in the test_imports rlib, so the linker must
// extract that rlib's object (its other member, `lib.rmeta`, is a wasm
// object of rustc 1.95 with no symbols); exits with the sum of
// test.close(1) and env_close(2).
#![feature(no_core, lang_items, auto_traits)]
#![allow(internal_features)]
#![no_core]

// The lang items come from test_imports (a crate graph has one set).
extern crate test_imports;

#[link(wasm_import_module = "wasi_snapshot_preview1")]
extern "C" {
    fn proc_exit(code: i32) -> !;
}

extern "C" {
    fn env_close(fd: i32) -> i32;
}

#[no_mangle]
pub extern "C" fn _start() {
    unsafe { proc_exit(test_imports::close_via_lib(1) + env_close(2)) }
}
