//! Integration tests of the oracle: one test binary (wasmtime links once).

mod cli;
mod common;
mod diff;
mod explain;
mod hostcalls;
mod linker;
mod run;
