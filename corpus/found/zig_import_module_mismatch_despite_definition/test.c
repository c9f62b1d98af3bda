// A `#[link(wasm_import_module = "test")] extern { fn close(fd: i32) -> i32; }`
// item: symbol close, import module test, explicit import name close.
__attribute__((import_module("test"), import_name("close"))) int close(int);

int test_close(int fd) { return close(fd); }
