// libc-style code: `close` declared as the `libc` crate declares it (no
// import module: `env`, the plain symbol `close`).
#![no_std]

extern "C" {
    fn close(fd: i32) -> i32;
}

#[no_mangle]
pub extern "C" fn env_close(fd: i32) -> i32 {
    unsafe { close(fd) }
}
