// libc-style code: `close` declared as the `libc` crate declares it, no
// import module (so `env`, and the symbol is the plain name `close`).
#![feature(no_core, lang_items, auto_traits)]
#![allow(internal_features)]
#![no_core]

#[path = "minicore.rs"]
mod minicore;

extern "C" {
    fn close(fd: i32) -> i32;
}

#[no_mangle]
pub extern "C" fn env_close(fd: i32) -> i32 {
    unsafe { close(fd) }
}
