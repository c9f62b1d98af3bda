//! linkcheck: differential testing of WebAssembly linkers, the command-line
//! tool.
//!
//! The comparison itself (linking, describing, running, canonical forms,
//! differences, allow-lists, case files) is linkcheck-core's; the object
//! model and encoder are linkcheck-object's. This crate runs them over a
//! corpus and for people:
//!
//! - [`corpus`]: finding case folders and preparing their inputs;
//! - [`conform`]: every case through every linker, judged against the first
//!   linker and against the case's expectation, with the known bugs the
//!   policy (`corpus/policy.toml`) explains;
//! - [`releases`]: the corpus through several wasm-ld releases;
//! - [`reduce`]: shrinking a generated case while a divergence stays;
//! - [`explain`]: what becomes of every undefined symbol of a link.

pub mod conform;
pub mod corpus;
pub mod explain;
pub mod reduce;
pub mod releases;
