//! refld: a deliberately simple reference linker for WebAssembly object
//! files (tool-conventions Linking.md; wasm-ld's behaviour where the spec is
//! silent). Every rule is numbered in `reference/SPEC.md`.
//!
//! [`link`] runs the phases below in order, one module each; every phase
//! takes the values of earlier ones and returns its own, and adds its
//! warnings and errors to one [`Diagnostics`] sink. At each `stop` the link
//! ends when the sink holds an error (DIAG-1, wasm-ld's `errorCount()`
//! checks; with `--fatal-warnings` a warning too).
//!
//! ```text
//! Config, InputProvider
//!  -> config::check_options                        (UND-DYNAMIC)       stop
//!  -> resolve::resolve        -> Resolution        (OBJ AR SYM COMDAT SYN LOAD-ORDER,
//!                                                   DYN-SHLIB DYN-STUB, TRACE-1/2)
//!                                                                      stop
//!  -> exports::check_entry                         (EXP-6)             stop
//!  -> resolve::signature_variants                  (SIG-1, SIG-2)      stop
//!  -> resolve::wrap::apply                         (WRAP-1)
//!  -> layout::memory::check_strings                (MERGE-STRINGS)     stop
//!  -> live::mark_live         -> LiveSet           (GC)
//!  -> report::gc_sections::lines                   (TRACE-3)
//!  -> exports::check_requested                     (EXP-5)
//!  -> features::merge_features -> Features         (FEAT-1, FEAT-2)
//!  -> features::check_shared_memory                (FEAT-SHARED-MEMORY)
//!  -> features::check_tls                          (FEAT-4)
//!  -> undefined::decide       -> Undefined         (UND)               stop
//!  -> undefined::check_mixed_references            (SYM-5)             stop
//!  -> pic::scan               -> Pic               (DYN: GOT, PIC relocations)
//!                                                                      stop
//!  -> init::init_order        -> InitOrder         (INIT-1)
//!  -> exports::select         -> Exports           (EXP, CTOR-2)
//!  -> exports::check_exported_tls_globals           (QUIRK-TLS-MUTABLE) stop
//!  -> layout::lay_out         -> Layout            (LAY, MEM)          stop
//!  -> write::write_module     -> bytes             (REL, OUT, FEAT, PROD)
//!                                                                      stop
//!  -> linkmap::build          -> LinkMap
//! ```

pub mod args;
pub mod config;
pub mod diag;
pub mod driver;
pub mod explain;
pub mod input;
pub mod linkmap;
pub mod quirks;
pub mod report;

mod archive;
mod didyoumean;
mod error;
mod exports;
mod features;
mod ids;
mod init;
mod layout;
mod live;
mod object;
mod pic;
mod relocate;
mod resolve;
mod undefined;
mod write;

pub use config::{Config, InputSpec, UnresolvedPolicy};
pub use diag::{Diagnostic, LinkError, Severity};
pub use error::InputError;
pub use input::{FileSystem, InputProvider, MemoryInputs};
pub use linkmap::LinkMap;
pub use object::SymbolKind;
pub use quirks::{Quirk, Quirks};
pub use report::Reports;

/// A successful link.
#[derive(Debug, Clone)]
pub struct Linked {
    /// The output module.
    pub bytes: Vec<u8>,
    /// Warnings (never errors; with `--fatal-warnings` they fail the link).
    pub warnings: Vec<Diagnostic>,
    /// Where each input function, segment and symbol went.
    pub map: LinkMap,
}

/// Links the inputs of `config`, read through `provider`. Pure: no file
/// system, no global state; the same inputs give the same bytes (OUT-VALID).
///
/// Errors: every diagnostic up to the phase that found errors (see the
/// crate docs): a malformed or unreadable input ends the link at once;
/// otherwise every resolution, undefined-symbol, feature and layout error
/// of that phase is reported, not only the first.
pub fn link(config: &Config, provider: &dyn InputProvider) -> Result<Linked, LinkError> {
    link_keeping_state(config, provider).map(|(linked, _state)| linked)
}

/// What the phases of a successful link built besides its output (the
/// inputs read, the symbol table, the live set, the layout): what
/// [`link`] frees. Opaque.
pub struct LinkState(#[allow(dead_code)] Box<dyn std::any::Any>);

/// [`link`], also handing back the phases' values instead of freeing them,
/// so that a process that exits right after can skip the freeing
/// (`std::mem::forget`): on a link of thousands of objects that is about a
/// tenth of the time (measured by bench-scale), and wasm-ld exits the same
/// way (lld's `exitLld`). Errors: as [`link`].
pub fn link_keeping_state(config: &Config, provider: &dyn InputProvider) -> Result<(Linked, LinkState), LinkError> {
    link_with_reports(config, provider, &mut Reports::default())
}

/// [`link_keeping_state`], also making the side files the command line
/// asks for (`--why-extract`, the map file) in `reports`, which the
/// driver writes: wasm-ld writes the why-extract table once symbol
/// resolution and the entry check passed, also when the link fails later
/// (WHY-1). Errors: as [`link`].
pub fn link_with_reports(config: &Config, provider: &dyn InputProvider, reports: &mut Reports) -> Result<(Linked, LinkState), LinkError> {
    let mut diags = diag::Diagnostics::new(config.fatal_warnings).noinhibit_exec(config.noinhibit_exec);
    config::check_options(config, &mut diags);
    diags.stop_if_errors()?;
    let resolved = resolve::resolve(config, provider, &mut diags);
    let mut res = resolved.map_err(|e| diags.fatal(e))?;
    reports.trace = std::mem::take(&mut res.trace);
    diags.stop_if_errors()?;
    exports::check_entry(config, &res, &mut diags);
    diags.stop_if_errors()?;
    if let Some(path) = &config.why_extract {
        reports.why_extract = Some((path.clone(), report::why_extract::text(&res)));
    }
    resolve::signature_variants(&mut res, config, &mut diags);
    diags.stop_if_errors()?;
    resolve::wrap::apply(&mut res);
    layout::memory::check_strings(config, &res).map_err(|e| diags.stop(e))?;
    let live = live::mark_live(config, &res);
    if config.print_gc_sections {
        reports.trace.extend(report::gc_sections::lines(config, &res, &live));
    }
    // EXP-5: wasm-ld checks the `--export` targets when it starts writing,
    // before features and relocations (measured: no stop in between).
    exports::check_requested(config, &res, &mut diags);
    let features = features::merge_features(&res, config, &mut diags);
    features::check_shared_memory(&features, config, &mut diags);
    features::check_tls(&res, &live, &features, config, &mut diags);
    let undefined = undefined::decide(config, &res, &live, &mut diags);
    diags.stop_if_errors()?;
    undefined::check_mixed_references(config, &res, &live, &mut diags);
    diags.stop_if_errors()?;
    let pic = pic::scan(config, &res, &live, &mut diags);
    diags.stop_if_errors()?;
    let init = init::init_order(&res, &live);
    // REL-OUT-EXPORTS: relocatable output has no exports.
    let exports = if config.relocatable { exports::Exports::default() } else { exports::select(config, &res, &live.symbols, &live.unexported, !init.0.is_empty()) };
    exports::check_exported_tls_globals(config, &res, &exports, &mut diags);
    diags.stop_if_errors()?;
    let layout = layout::lay_out(config, &res, &live, &undefined, &exports, &pic).map_err(|errors| {
        errors.into_iter().for_each(|e| diags.error(e));
        diags.fail()
    })?;
    let bytes = write::write_module(config, &res, &layout, &init, &features, &live.symbols, &mut diags);
    diags.stop_if_errors()?;
    if let Some(path) = &config.map_file {
        reports.map = Some((path.clone(), report::map::text(config, &res, &layout, &bytes)));
    }
    let map = linkmap::build(&res, &layout);
    let state = LinkState(Box::new((res, live, undefined, init, exports, features, layout)));
    Ok((Linked { bytes, warnings: diags.into_vec(), map }, state))
}

/// refld's package version (`0.1.0`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// CLI-VERSION: what `--version` and `-v` print, in the shape lld's tests
/// read (`LLD` then the release): `refld 0.1.0 (compatible with LLD 22)`.
pub fn version_line() -> String {
    format!("refld {VERSION} (compatible with LLD 22)")
}

/// For `tests/tests/llvm_order.rs` only: the order in which wasm-ld of LLVM
/// release `llvm_major` (14, 16, 19 or 22) walks its `--export` names
/// (positions of the distinct names of `names`).
#[doc(hidden)]
pub fn llvm_string_set_order(names: &[&str], llvm_major: u32) -> Vec<usize> {
    let release = quirks::llvm_order::LlvmRelease::from_major(llvm_major).expect("a measured LLVM release");
    quirks::llvm_order::string_set_order(names, release)
}

/// For `tests/tests/llvm_order.rs` only: the order in which wasm-ld of LLVM
/// release `llvm_major` walks the names with signature variants, given in
/// the order each first got a variant.
#[doc(hidden)]
pub fn llvm_dense_map_order(names: &[&str], llvm_major: u32) -> Vec<usize> {
    let release = quirks::llvm_order::LlvmRelease::from_major(llvm_major).expect("a measured LLVM release");
    quirks::llvm_order::dense_map_order(names, release)
}
