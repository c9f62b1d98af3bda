//! linkcheck: differential testing of WebAssembly linkers.
//!
//! One command line (wasm-ld's arguments) is linked by several linkers: the
//! reference linker `refld` in-process and any number of external programs
//! with wasm-ld's command line (rust-lld by default). Each outcome is
//! described from the output bytes alone ([`describe`], wasmparser only, never
//! refld's code), run as a WASI command in wasmtime ([`run`]), and compared
//! ([`diff`]) under stable dotted keys; [`report`] renders the result as text
//! or JSON.
//!
//! The pipeline, one module per job:
//! ```text
//! args --> linker::Linker::link --> linker::Outcome
//!      --> describe::describe   --> describe::ModuleSummary (imports, exports)
//!      --> run::Runner::run     --> run::RunResult (stdout, stderr, exit, trap)
//!      --> check::LinkerReport (one per linker)
//!      --> diff::compare        --> Vec<diff::Difference>
//!      --> report::{render_text, render_json}
//! ```
//!
//! Corpus cases ([`corpus`]: a folder each, `case.toml` and inputs) are
//! prepared and run through the same pipeline by [`conform`], which also
//! holds the first linker to each case's expected outcome.

pub mod allow;
pub mod canon;
pub mod casefile;
pub mod check;
pub mod cmdline;
pub mod conform;
pub mod corpus;
pub mod describe;
pub mod diagkind;
pub mod diagnostics;
pub mod differential;
pub mod diff;
pub mod explain;
pub mod gen;
pub mod linker;
pub mod linkers;
pub mod reduce;
pub mod props;
pub mod releases;
pub mod report;
pub mod run;
pub mod split;

pub use check::{check, CheckOptions, CheckReport, Comparison, LinkerReport};
pub use diff::Difference;
pub use linker::{Linker, Outcome};
pub use run::{RunLimits, RunResult, Runner};
