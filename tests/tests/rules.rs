//! One test per rule of `reference/SPEC.md` (the tests it names
//! `rules::NAME`): each builds small objects with the oracle's encoder
//! (`linkcheck_object`), links them with refld in memory and, wherever it
//! is cheap, with rust-lld (wasm-ld 22) too, and checks the rule's
//! behaviour on the outputs: run results, imports, exports, names, layout.
//! Expected values come from the rules, never from refld's own output.

#[path = "rules/support.rs"]
mod support;

#[path = "rules/archives.rs"]
mod archives;
#[path = "rules/symbols.rs"]
mod symbols;
#[path = "rules/gc.rs"]
mod gc;
#[path = "rules/undefined.rs"]
mod undefined;
#[path = "rules/layout.rs"]
mod layout;
#[path = "rules/exports.rs"]
mod exports;
#[path = "rules/signatures.rs"]
mod signatures;
#[path = "rules/quirks.rs"]
mod quirks;
#[path = "rules/quirks_wild.rs"]
mod quirks_wild;
#[path = "rules/quirks_zig.rs"]
mod quirks_zig;
#[path = "rules/dynamic.rs"]
mod dynamic;
#[path = "rules/threads.rs"]
mod threads;
#[path = "rules/options.rs"]
mod options;
#[path = "rules/output_options.rs"]
mod output_options;
#[path = "rules/merge_strings.rs"]
mod merge_strings;
#[path = "rules/memory_options.rs"]
mod memory_options;
#[path = "rules/link_options.rs"]
mod link_options;
#[path = "rules/wasm64.rs"]
mod wasm64;
#[path = "rules/tags.rs"]
mod tags;
#[path = "rules/relocatable.rs"]
mod relocatable;
#[path = "rules/trace.rs"]
mod trace;
