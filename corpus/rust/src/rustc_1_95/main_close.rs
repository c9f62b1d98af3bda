// rust-lang/rust#148347's downstream crate: it calls the foreign item of
// another crate (`test_imports::close`) and libc-style code's `env_close`;
// exits with the sum of both results.
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
    unsafe { proc_exit(test_imports::close(1) + env_close(2)) }
}
