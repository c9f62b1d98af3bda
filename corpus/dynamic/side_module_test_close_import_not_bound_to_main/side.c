// As Rust's std declares close for wasm targets: import module "test".
__attribute__((import_module("test"), import_name("close"))) int close(int);
int side_close(int fd) { return close(fd) + 1; }
