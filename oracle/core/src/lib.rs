//! linkcheck-core: the comparison core of linkcheck, differential testing
//! of WebAssembly linkers.
//!
//! One command line (wasm-ld's arguments) is linked by several linkers: the
//! reference linker `refld` in-process and any number of external programs
//! with wasm-ld's command line (rust-lld by default, [`discover`] finds the
//! others). Each outcome is described from the output bytes alone
//! ([`describe`], wasmparser only, never refld's code), run as a WASI
//! command in wasmtime ([`run`]), brought into a canonical, layout-free form
//! ([`canon`]), and compared ([`mod@check`], [`diff`]) under [`key::DiffKey`]s;
//! an allow-list ([`allow`]) sets the legitimate differences apart, and
//! [`report`] renders the result as text or JSON.
//!
//! The pipeline, one module per job:
//! ```text
//! args --> linker::Linker::link --> linker::Outcome
//!      --> describe::describe   --> describe::ModuleSummary (imports, exports)
//!      --> run::Runner::run     --> run::RunResult (stdout, stderr, exit, trap)
//!      --> check::LinkerReport (one per linker)
//!      --> check::compare       --> Vec<diff::Difference> (each under a key::DiffKey),
//!                                   + canon's structural ones
//!      --> report::{render_text, render_json}
//! ```
//!
//! Corpus cases (`case.toml` and inputs) are read and written by
//! [`casefile`]; the generators (linkcheck-gen) and the CLI (linkcheck)
//! build on this crate, which knows neither.

pub mod allow;
pub mod canon;
pub mod casefile;
pub mod check;
pub mod cmdline;
pub mod describe;
pub mod diagnostics;
pub mod diff;
pub mod discover;
pub mod dynamic;
pub mod exact;
pub mod dylink;
pub mod key;
pub mod linker;
pub mod outcome;
pub mod policy;
pub mod process;
pub mod report;
pub mod run;
pub mod zig;

pub use check::{check, CheckOptions, CheckReport, Comparison, LinkerReport};
pub use diff::Difference;
pub use linker::{Linker, Outcome};
pub use run::{RunLimits, RunResult, Runner};
