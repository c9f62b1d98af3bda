//! Generated object sets for property tests (issue 5).
//!
//! [`ObjectSet`] implements [`arbitrary::Arbitrary`] and lowers to encoded
//! objects (some of them members of one archive `lib.a`, placed after the
//! plain objects) plus a command line ([`ObjectSet::lower`]). The generator is
//! biased towards collisions: every function is named from a pool of four
//! names (`f0`..`f3`), every data symbol from two (`d0`, `d1`), so the same
//! name meets itself across files with another binding (strong, weak, local,
//! hidden), kind (a data symbol named like a function), signature, import
//! module or import name; weak definitions come before and after strong
//! ones; definitions may live only in archive members, with constructors.
//!
//! Programs are observable and bounded: every function has type
//! `(i32) -> i32` (or, as a deliberate signature clash, `(i32, i32) -> i32`)
//! and returns its argument plus a constant plus the values of its uses:
//! direct calls, indirect calls through a relocated table slot
//! (`TABLE_INDEX_SLEB` + `call_indirect`) and loads at relocated addresses
//! (`MEMORY_ADDR_SLEB`). A body of name `fi` uses only `fj` with `j < i`, so
//! there is no recursion whichever definition wins.
//!
//! [`ObjectSet::resolve`] is a small model of symbol resolution and GC
//! (SYM, ARC, GC, UND rules of reference/SPEC.md) for properties that compute
//! expectations from the model rather than from a linker.

mod lower;
mod resolve;

pub use lower::*;
pub use resolve::*;

use std::collections::{BTreeMap, BTreeSet};

use arbitrary::{Arbitrary, Unstructured};

use linkcheck_core::casefile::{Expect, GeneratedCase, SideModuleSpec};
use linkcheck_object::{flags, Body, FuncSig, ObjectModel, ValTypeModel};

/// Function names of the pool.
pub const FUNC_NAMES: usize = 4;
/// Data names of the pool.
pub const DATA_NAMES: usize = 2;
const MAX_FILES: usize = 5;
const MAX_ITEMS: usize = 4;
const MAX_USES: usize = 4;

/// The binding of a definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum Binding {
    /// Global, default visibility.
    Strong,
    /// `BINDING_WEAK`.
    Weak,
    /// `BINDING_LOCAL`.
    Local,
    /// Global with `VISIBILITY_HIDDEN`.
    Hidden,
}

impl Binding {
    fn flags(self) -> u32 {
        match self {
            Binding::Strong => 0,
            Binding::Weak => flags::BINDING_WEAK,
            Binding::Local => flags::BINDING_LOCAL,
            Binding::Hidden => flags::VISIBILITY_HIDDEN,
        }
    }
    /// Weak binding.
    pub fn is_weak(self) -> bool {
        self == Binding::Weak
    }
}

/// How a body refers to a name it does not define itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub struct RefAttrs {
    /// A weak reference.
    pub weak: bool,
    /// Import module `other` instead of `env`.
    pub other_module: bool,
    /// Import field `shared` (EXPLICIT_NAME) instead of the symbol name.
    pub shared_field: bool,
    /// Signature `(i32, i32) -> i32`.
    pub sig2: bool,
}

/// One use inside a body; the name index is reduced below the body's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum Use {
    /// `call fj`.
    Call(u8),
    /// `i32.const <table slot of fj>; call_indirect`.
    CallIndirect(u8),
    /// `i32.const <address of dk>; i32.load`.
    Load(u8),
    /// `i32.const c`.
    Const(i8),
}

/// A definition in one file.
#[derive(Clone, Debug, PartialEq, Eq, Arbitrary)]
pub enum Definition {
    /// A function `f<name % 4>`.
    Func {
        /// Name index.
        name: u8,
        /// Binding.
        binding: Binding,
        /// Signature `(i32, i32) -> i32`.
        sig2: bool,
        /// Added to the argument.
        constant: i8,
        /// Uses, in order.
        uses: Vec<Use>,
    },
    /// A data symbol `d<name % 2>` (or, with `clash`, `f<name % 4>`) of 4 bytes.
    Data {
        /// Name index.
        name: u8,
        /// Binding.
        binding: Binding,
        /// The i32 value stored.
        value: i16,
        /// Named like a function (a kind clash).
        clash: bool,
    },
    /// A local constructor (INIT_FUNCS) `() -> ()` calling `fj` and dropping the result.
    Ctor {
        /// Name index of the callee.
        callee: u8,
        /// Priority.
        priority: u8,
    },
}

/// One input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileModel {
    /// A member of `lib.a` rather than a plain object.
    pub member: bool,
    /// Definitions.
    pub items: Vec<Definition>,
    /// Attributes of references to names this file does not define, by name
    /// index (functions 0..4, data 4..6); missing ones are plain strong.
    pub refs: Vec<RefAttrs>,
}

/// The undefined-symbol flag of a set's command line (none, or one that
/// changes the unresolved-symbols policy).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum UndefinedFlag {
    /// Default: undefined symbols are errors.
    Error,
    /// `--allow-undefined`.
    AllowUndefined,
    /// `--warn-unresolved-symbols`.
    Warn,
}

/// A generated object set and its link options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectSet {
    /// Files (at most 5 are used).
    pub files: Vec<FileModel>,
    /// Names exported with `--export=` (function name indices).
    pub exports: Vec<u8>,
    /// The unresolved-symbols policy.
    pub policy: UndefinedFlag,
    /// `--no-gc-sections`.
    pub no_gc: bool,
    /// `--gc-sections` written explicitly (the default).
    pub explicit_gc: bool,
    /// `--export-all`.
    pub export_all: bool,
    /// `--shared-memory --max-memory=1048576`, every object using the
    /// `atomics` and `bulk-memory` features (FEAT-SHARED-MEMORY): passive
    /// segments and `__wasm_init_memory` (LAY-INIT-MEMORY).
    pub shared_memory: bool,
    /// `-m wasm64`: wasm64 objects (an i64 memory, `i64.const` addresses
    /// with MEMORY_ADDR_SLEB64, i64 function pointers with TABLE_INDEX_SLEB64
    /// into an i64-indexed table, the `memory64` feature), as
    /// clang `--target=wasm64` writes them (SIXTYFOUR-*). Never with
    /// shared memory (refld refuses the pair).
    pub wasm64: bool,
    /// A two-step link (REL-OUT): when 1..=4, the first that many plain
    /// objects (at most all of them) are linked with `-r` into `part.o`
    /// first, which the main link reads in their place; 0: one link.
    pub relocatable_first: u8,
}

/// A lowered set: input files in command-line order and the arguments.
#[derive(Clone, Debug)]
pub struct Lowered {
    /// (file name, bytes); plain objects in order, then `lib.a` if any.
    pub inputs: Vec<(String, Vec<u8>)>,
    /// The command line without the inputs.
    pub args: Vec<String>,
    /// Exported function names, as requested.
    pub exports: Vec<String>,
}

fn vec_of<'a, T: Arbitrary<'a>>(u: &mut Unstructured<'a>, min: usize, max: usize) -> arbitrary::Result<Vec<T>> {
    let n = u.int_in_range(min..=max)?;
    (0..n).map(|_| T::arbitrary(u)).collect()
}

// Lengths are drawn from a range (not the derive's one-bit continuation
// flags) so most sets have several files with several definitions.
impl<'a> Arbitrary<'a> for FileModel {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let member = u.ratio(1, 3)?;
        let n = u.int_in_range(1..=MAX_ITEMS)?;
        let mut items = Vec::new();
        for _ in 0..n {
            items.push(match u.int_in_range(0..=9)? {
                0..=5 => Definition::Func {
                    name: u.arbitrary()?,
                    binding: u.arbitrary()?,
                    sig2: u.ratio(1, 8)?,
                    constant: u.arbitrary()?,
                    uses: vec_of(u, 0, MAX_USES)?,
                },
                6..=8 => Definition::Data { name: u.arbitrary()?, binding: u.arbitrary()?, value: u.arbitrary()?, clash: u.ratio(1, 10)? },
                _ => Definition::Ctor { callee: u.arbitrary()?, priority: u.arbitrary()? },
            });
        }
        let mut refs = Vec::new();
        for _ in 0..FUNC_NAMES + DATA_NAMES {
            refs.push(RefAttrs {
                weak: u.ratio(1, 4)?,
                other_module: u.ratio(1, 6)?,
                shared_field: u.ratio(1, 6)?,
                sig2: u.ratio(1, 10)?,
            });
        }
        Ok(FileModel { member, items, refs })
    }
}

impl<'a> Arbitrary<'a> for ObjectSet {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let files = vec_of(u, 1, MAX_FILES)?;
        let exports = vec_of(u, 0, 3)?;
        let policy = u.arbitrary()?;
        let (no_gc, explicit_gc, export_all) = (u.ratio(1, 4)?, u.arbitrary()?, u.ratio(1, 6)?);
        // Drawn last, each from a byte: an exhausted stream reads 0 (no
        // shared memory, no wasm64), so the sets of short streams stay as
        // they were.
        let shared_memory = u.arbitrary::<u8>()? % 8 == 7;
        let wasm64 = !shared_memory && u.arbitrary::<u8>()? % 8 == 7;
        let relocatable_first = u.arbitrary::<u8>()? % 16;
        let relocatable_first = relocatable_first.saturating_sub(11);
        Ok(ObjectSet { files, exports, policy, no_gc, explicit_gc, export_all, shared_memory, wasm64, relocatable_first })
    }
}

/// Byte stream `i` of a fixed family (400 bytes, a multiplicative hash of
/// the position and `i`): the same sets on every machine, for the property
/// tests' fixed cases, the fuzz seeds and the benchmarks
/// ([`ObjectSet::from_bytes`] draws a set from it).
pub fn fixed_stream(i: u32) -> Vec<u8> {
    (0..400u32).map(|k| (k.wrapping_mul(2654435761).wrapping_add(i.wrapping_mul(40503)) >> 13) as u8).collect()
}

/// Function name `i`.
pub fn func_name(i: usize) -> String {
    format!("f{i}")
}

/// Data name `i`.
pub fn data_name(i: usize) -> String {
    format!("d{i}")
}
