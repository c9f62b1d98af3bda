//! refld: a deliberately simple reference linker for WebAssembly object
//! files (tool-conventions Linking.md; wasm-ld's behaviour where the spec is
//! silent). Every rule is numbered in `reference/SPEC.md`.
//!
//! The pipeline, one module per phase, each taking the previous phase's
//! data:
//!
//! ```text
//! inputs -> resolve (object, archive, symtab) -> live -> undefined
//!        -> layout (memory, exports) -> write (relocate, features) -> bytes
//! ```

pub mod archive;
pub mod args;
pub mod config;
pub mod ctors;
pub mod diag;
pub mod didyoumean;
pub mod driver;
pub mod error;
pub mod explain;
pub mod exports;
pub mod features;
pub mod input;
pub mod layout;
pub mod linkmap;
pub mod live;
pub mod memory;
pub mod object;
pub mod reloc_types;
pub mod relocate;
pub mod resolve;
pub mod signatures;
pub mod symtab;
pub mod undefined;
pub mod write;

pub use config::Config;
pub use diag::{Diagnostic, Severity};
pub use input::{InputProvider, MemoryInputs};
pub use linkmap::LinkMap;

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

/// A failed link: every error found (not only the first), and the
/// warnings that came before.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct LinkError {
    pub diagnostics: Vec<Diagnostic>,
}

/// Links the inputs of `config`, read through `provider`. Pure: no file
/// system, no global state; the same inputs give the same bytes (OUT-VALID).
///
/// Errors: malformed inputs (the first one), then every resolution,
/// undefined-symbol, feature and layout error of the link.
pub fn link(config: &Config, provider: &dyn InputProvider) -> Result<Linked, LinkError> {
    let fail = |diagnostics: Vec<Diagnostic>| Err(LinkError { diagnostics });
    // UND-DYNAMIC (measured, wasm-ld 22 `checkOptions`): import-dynamic
    // without -pie/-shared is accepted with this warning, given before the
    // inputs are read (so `--fatal-warnings` stops the link right here).
    let mut early = Vec::new();
    if config.unresolved == config::UnresolvedPolicy::ImportDynamic {
        early.push(Diagnostic::warning("dynamic imports are not yet stable (--unresolved-symbols=import-dynamic)"));
        if has_errors(config, &early) {
            return fail(promote(config, early));
        }
    }
    let res = match resolve::resolve(config, provider) {
        Ok(r) => r,
        Err(e) => return fail(early.into_iter().chain([Diagnostic::error(e.to_string())]).collect()),
    };
    // DIAG-1: wasm-ld stops after each phase that found errors: reading
    // the inputs' symbols; the roots (`-u`, `--export`, the entry, which
    // may extract members) and the entry check; signatures; then
    // `--export` targets, features and undefined symbols together.
    let mut diags = early;
    diags.extend(res.diagnostics.iter().cloned());
    if !res.stopped_after_inputs {
        diags.extend(exports::check_entry(config, &res));
    }
    if has_errors(config, &diags) {
        return fail(promote(config, diags));
    }
    // SIG-1, SIG-2: wasm-ld resolves signature variants after the entry
    // check and stops on their error (measured).
    diags.extend(res.signature_diagnostics.iter().cloned());
    if has_errors(config, &diags) {
        return fail(promote(config, diags));
    }
    let live = live::mark_live(config, &res);
    // EXP-5: wasm-ld checks the `--export` targets when it starts writing,
    // before features and relocations (measured: no stop in between).
    diags.extend(exports::check_exports(config, &res));
    let files: Vec<&object::ObjectFile> = res.files.iter().collect();
    let (_, feature_errors) = features::merge_features(&files, config.check_features);
    diags.extend(feature_errors);
    diags.extend(features::check_tls(&res, &live, config.check_features));
    let und = undefined::decide(config, &res, &live);
    diags.extend(und.diagnostics.iter().cloned());
    if has_errors(config, &diags) {
        return fail(promote(config, diags));
    }
    // SYM-5: a reference that joined a symbol of another kind; wasm-ld
    // crashes where refld stops.
    diags.extend(resolve::mixed_references(&res, &live));
    if has_errors(config, &diags) {
        return fail(promote(config, diags));
    }
    let layout = match layout::lay_out(config, &res, &live, &und) {
        Ok(l) => l,
        Err(e) => {
            diags.push(Diagnostic::error(e));
            return fail(diags);
        }
    };
    let written = write::write_module(config, &res, &live, &layout);
    diags.extend(written.errors.into_iter().map(Diagnostic::error));
    if has_errors(config, &diags) {
        return fail(promote(config, diags));
    }
    let map = linkmap::build(&res, &layout);
    Ok(Linked { bytes: written.bytes, warnings: diags, map })
}

/// CLI-FATAL: with `--fatal-warnings` a warning fails the link.
fn has_errors(config: &Config, diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error || config.fatal_warnings)
}

fn promote(config: &Config, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if !config.fatal_warnings {
        return diags;
    }
    diags.into_iter().map(|d| Diagnostic { severity: Severity::Error, ..d }).collect()
}

/// refld's package version (`0.1.0`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
