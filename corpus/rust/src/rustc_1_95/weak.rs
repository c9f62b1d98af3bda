// `#[linkage = "extern_weak"]`: a weak undefined data symbol. Exits with
// 7 when nothing defines `maybe_value` (its address is 0), else with the
// value it holds.
#![feature(no_core, lang_items, auto_traits, linkage)]
#![allow(internal_features)]
#![no_core]

#[path = "minicore.rs"]
mod minicore;

#[link(wasm_import_module = "wasi_snapshot_preview1")]
extern "C" {
    fn proc_exit(code: i32) -> !;
}

extern "C" {
    #[linkage = "extern_weak"]
    static maybe_value: *const i32;
}

#[no_mangle]
pub extern "C" fn _start() {
    unsafe {
        let p = maybe_value;
        if p as usize == 0 {
            proc_exit(7)
        }
        proc_exit(*p)
    }
}
