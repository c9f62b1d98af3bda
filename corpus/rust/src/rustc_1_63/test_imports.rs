// rustc_1_95/test_imports.rs for Debian's rustc 1.63 (`#![no_std]`): the
// rlib of rust-lang/rust#148347's shape. rustc 1.63 mangles the item too
// (`_ZN12test_imports5close17h...E`, import test.close): the mangling of
// `wasm_import_module` items dates from rustc 1.42 (#67363). Its rlib's
// `lib.rmeta` is no wasm object (rustc 1.95's is).
#![no_std]
#![crate_type = "rlib"]

#[link(wasm_import_module = "test")]
extern "C" {
    #[link_name = "close"]
    pub fn close(fd: i32) -> i32;
}
