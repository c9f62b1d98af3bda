//! The split-and-relink oracle: a metamorphic test of a linker that needs
//! no second linker. One module (from wasm-smith, [`config`]) is cut into
//! relocatable object files ([`split`]: Linking.md `linking` version 2 with
//! a symbol table, `reloc.CODE`, 5-byte padded LEBs at relocation sites)
//! plus the wasm-ld command line that links them back; refld links them
//! in-process and the result must behave like the original
//! ([`check_split_relink`]): the same exported functions, each call giving
//! the same results or the same trap kind, calling the same imports with the
//! same arguments and leaving the same memory and globals (every global is
//! exported on both sides for that). A split of two parts or more is also
//! linked in two steps (its first part with `-r` first, REL-OUT-ACCEPTED),
//! which must behave the same.
//!
//! ```text
//! module --module::read--> Original --splitter::split--> Split (parts, args)
//!   Split.parts (object models) --linkcheck_object::encode--> objects --refld::link--> relinked
//!   Split.reference, relinked --run::provided::run (same Provision)--> traces, compared
//! ```
//!
//! - [`module`]: reading the original, its reference form (memory and table
//!   imported so both sides get the same ones).
//! - [`body`]: a function body with relocation sites.
//! - [`splitter`]: the split itself (what goes where, symbols, exports),
//!   each part an `ObjectModel` of linkcheck-object, whose encoder writes it.
//! - running a module with provided imports and per-call fuel is
//!   linkcheck-core's `run::provided`.
//! - [`check`]: link, validate, run, compare.
//! - [`known`]: refld bugs found and not fixed yet, as the policy's
//!   `[[known]]` entries for `refld` matched against keyed failures.

pub mod body;
pub mod check;
pub mod config;
pub mod known;
pub mod module;
pub mod splitter;

pub use check::{check_relink, check_split_relink, link, link_two_step, two_step_applies, SplitFailure};
pub use config::{smith_config, smith_module};
pub use known::{check_unless_known, Checked, SPLIT_LINKER};
pub use splitter::split;

use linkcheck_object::{encode, ObjectModel};

/// One module cut into relocatable objects, and how to link them back.
///
/// The parts are plain data, so a test can damage a split on purpose (swap
/// two symbols' indices, drop relocations) and see the oracle catch it.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    /// The object files: (file name `p0.o`, `p1.o`, ..., model), in part
    /// order; every part carries the original's whole type section.
    pub parts: Vec<(String, ObjectModel)>,
    /// wasm-ld's arguments (without the program name): options, the part
    /// files in link order, `-o relinked.wasm`.
    pub args: Vec<String>,
    /// The original with its memory imported as `env.memory` and its table
    /// as `env.__indirect_function_table` (same limits) and only function
    /// exports: what the relinked module is compared with.
    pub reference: Vec<u8>,
    /// The original's function export names, in its export order.
    pub exports: Vec<String>,
    /// The exports kept by a wrapper function (one more frame and a few
    /// more instructions than the original's export).
    pub wrapped: Vec<String>,
}

impl Split {
    /// The encoded object files: (file name, bytes), in part order.
    pub fn objects(&self) -> Vec<(String, Vec<u8>)> {
        self.parts.iter().map(|(name, model)| (name.clone(), encode(model))).collect()
    }
}

/// Why a module could not be split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SplitError {
    /// wasmparser could not read the module (the message names the offset).
    Malformed(String),
    /// The module uses something outside the subset an object for refld
    /// can express (see [`config::smith_config`]); the message names it.
    Unsupported(String),
}

impl std::fmt::Display for SplitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SplitError::Malformed(m) => write!(f, "malformed module: {m}"),
            SplitError::Unsupported(m) => write!(f, "unsupported: {m}"),
        }
    }
}

impl std::error::Error for SplitError {}
