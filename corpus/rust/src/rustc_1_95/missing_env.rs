// The remedy rustc 1.96's release notes give for missing.rs: name the
// import module (`env`) explicitly. The item is then mangled, with the
// explicit import name `missing`, and an import by design. Exits with
// missing(3).
#![feature(no_core, lang_items, auto_traits)]
#![allow(internal_features)]
#![no_core]

#[path = "minicore.rs"]
mod minicore;

#[link(wasm_import_module = "wasi_snapshot_preview1")]
extern "C" {
    fn proc_exit(code: i32) -> !;
}

#[link(wasm_import_module = "env")]
extern "C" {
    fn missing(x: i32) -> i32;
}

#[no_mangle]
pub extern "C" fn _start() {
    unsafe { proc_exit(missing(3)) }
}
