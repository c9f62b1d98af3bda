//! testkit: the helpers the workspace's tests share, so that each exists
//! once: where the external tools are ([`tools`]), validating modules
//! ([`mod@validate`]), calling exported functions in wasmtime ([`exec`]), and
//! small hand-made inputs ([`inputs`]).
//!
//! A missing tool fails the test that needs it with what installs it;
//! nothing here skips a test.

pub mod exec;
pub mod inputs;
pub mod tools;
pub mod validate;

pub use exec::{call_i32, global_i32, run_calls, run_export, Exec};
pub use tools::{rust_lld, rust_lld_path, wasm_objdump};
pub use validate::{assert_valid, validate, validate_all_features};
