//! End-to-end test support for refld and linkcheck.
//!
//! [`real`] compiles real C and C++ programs to wasm32-wasi objects and
//! hands out the wasm-ld command lines that link them.

pub mod real;
