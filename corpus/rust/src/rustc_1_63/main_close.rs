// rustc_1_95/main_close.rs for rustc 1.63: calls the foreign item of
// another crate (`test_imports::close`) and libc-style code's
// `env_close`; exits with the sum of both results.
#![no_std]

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
