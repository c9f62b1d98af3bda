// The rlib of rust-lang/rust#148347's shape: a `#[link(wasm_import_module)]`
// block whose item is named like a libc function. rustc (since #67363)
// gives such an item a mangled symbol and keeps `close` as its explicit
// import name, so it cannot meet libc's `close` (module env); rustc 1.91.0
// lost the mangling for items used from another crate (#148347, fixed by
// #148363 in 1.91.1).
#![feature(no_core, lang_items, auto_traits)]
#![allow(internal_features)]
#![no_core]
#![crate_type = "rlib"]

#[path = "minicore.rs"]
mod minicore;

#[link(wasm_import_module = "test")]
extern "C" {
    #[link_name = "close"]
    pub fn close(fd: i32) -> i32;
}

/// Not inlined: a crate calling it needs this rlib's object (the linker
/// extracts that member of the rlib).
#[inline(never)]
pub fn close_via_lib(fd: i32) -> i32 {
    unsafe { close(fd) }
}
