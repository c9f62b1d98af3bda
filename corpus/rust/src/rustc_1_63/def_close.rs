// A definition of `close`, as libc has one: fd + 40.
#![no_std]

#[no_mangle]
pub extern "C" fn close(fd: i32) -> i32 {
    fd + 40
}
