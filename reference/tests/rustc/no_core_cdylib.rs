// A `#![no_core]` cdylib for wasm32-unknown-unknown (this toolchain has no
// wasm standard library): an import with `#[link(wasm_import_module)]` and
// `#[link_name]`, a `#[no_mangle]` export. Built by tests/rustc_linker.rs
// with `rustc -C linker=refld -C linker-flavor=wasm-ld`.
#![feature(no_core, lang_items)]
#![allow(internal_features)]
#![no_core]
#![crate_type = "cdylib"]

#[lang = "pointee_sized"]
pub trait PointeeSized {}
#[lang = "meta_sized"]
pub trait MetaSized: PointeeSized {}
#[lang = "sized"]
pub trait Sized: MetaSized {}
#[lang = "copy"]
pub trait Copy {}
impl Copy for i32 {}

#[link(wasm_import_module = "host")]
extern "C" {
    #[link_name = "log"]
    fn host_log(x: i32);
}

#[no_mangle]
pub extern "C" fn answer(x: i32) -> i32 {
    unsafe { host_log(x) };
    x
}
