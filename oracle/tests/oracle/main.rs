//! Integration tests of the oracle: one test binary (wasmtime links once).

mod cli;
mod common;
mod diff;
mod hostcalls;
mod linker;
mod run;
