//! Integration tests of the oracle: one test binary (wasmtime links once).

mod diff;
mod explain;
mod hostcalls;
mod linker;
mod loader;
mod run;
