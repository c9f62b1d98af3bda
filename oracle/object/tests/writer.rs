//! Tests of the oracle's object encoder (linkcheck-object): encoded
//! objects validate, read back through wasmparser as written, are read by
//! wabt's wasm-objdump, and link with rust-lld into programs that run in
//! wasmtime with the expected result. Archives written by `linkcheck_object::archive`
//! are linked by rust-lld with lazy extraction.
//!
//! Missing tools fail the tests with what to install; nothing is skipped.

mod writer {
    mod programs;
    mod tools;

    mod bad;
    mod link;
    mod readback;
}
