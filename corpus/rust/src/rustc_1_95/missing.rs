// An `extern "C"` function nobody defines, declared without an import
// module: what rustc 1.96's removal of `--allow-undefined` (#149868)
// turned into a link error. Exits with missing(3).
#![feature(no_core, lang_items, auto_traits)]
#![allow(internal_features)]
#![no_core]

#[path = "minicore.rs"]
mod minicore;

#[link(wasm_import_module = "wasi_snapshot_preview1")]
extern "C" {
    fn proc_exit(code: i32) -> !;
}

extern "C" {
    fn missing(x: i32) -> i32;
}

#[no_mangle]
pub extern "C" fn _start() {
    unsafe { proc_exit(missing(3)) }
}
