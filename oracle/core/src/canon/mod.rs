//! Structural comparison of linked modules: a canonical form that does not
//! depend on layout, and the divergences of two canonical forms.
//!
//! [`canonicalize`] reads a linked module and the link's input objects
//! (wasmparser only; nothing of refld's reading or linking code) and names
//! everything by symbol rather than by index or address:
//!
//! - output functions, globals, tables and tags by the name section (table
//!   0 without a name is `__indirect_function_table`), imported functions by
//!   the input symbol that declares their import (linkers name imports
//!   differently in the name section: wasm-ld by the symbol, Wild by the
//!   field), a linker-made stub of an undefined weak function
//!   `undefined_weak:NAME` whatever the name section says; a local symbol
//!   whose name another input defines too becomes `name<file>`;
//! - each defined output function is matched to the input function it came
//!   from (`funcs.rs`): by its name, or its name demangled (wasm-ld writes
//!   C++ names demangled; the id is then the mangled symbol), or, without
//!   a name, by being the one input body of its shape; then both bodies
//!   are decoded in lockstep. Its body becomes canonical text in which
//!   calls, global and table accesses, `call_indirect` types and `ref.func`
//!   name their targets, and every relocated constant (a memory address or
//!   table slot, known from the input's relocation at that operator) is a
//!   site `@K` whose value is written as `&sym+offset` or `slot(func)`;
//! - symbol references resolve as a linker would: to a local or strong
//!   definition, else the strong (then first weak) one of the name, among
//!   the inputs in the link: every object, and the archive members an
//!   output function came from or an undefined reference extracts;
//! - input data segments are placed in the output's memory by the
//!   addresses that point into them (`place.rs`), and each data symbol's
//!   bytes are read from there, relocated words written as what they
//!   point to (a weak symbol another definition overrides names nothing);
//! - imports as (module, field, type); exports as (kind, target symbol);
//!   memory and table limits and the values of linker-defined symbols
//!   (`__heap_base`, `__data_end`, `__stack_pointer`'s initial value, ...)
//!   as `layout.*` values.
//!
//! A constant that does not point where its relocation says is written as
//! what it does point to, followed by `(reloc: &intended)`, and listed in
//! [`Canon::mismatches`]: one output can be checked against its inputs alone.
//!
//! [`inputs_from_args`] finds the inputs of a wasm-ld command line.
//! [`compare_canon`] lists every difference as a [`StructuralDifference`]; those the
//! embedded allow-list's entries for every pair of linkers cover (layout
//! values, `corpus/policy.toml`, [`crate::allow`]) are dropped, and
//! [`compare_canon_all`] keeps them, marked with the reason.
//!
//! # Keys
//!
//! Stable and dotted; an item key alone means the item is on one side only.
//! `ID` is a function, global, table, tag or data id as above.
//!
//! | key | value |
//! |-----|-------|
//! | `import.MODULE.FIELD` | the import (keyed by the module and field the inputs declare for its symbol) |
//! | `import.MODULE.FIELD.module` / `.field` / `.type` | what the output imports |
//! | `export.NAME` / `.kind` / `.target` | `func`, `global`, ...; the exported id |
//! | `func.ID` / `.type` / `.locals` | a defined function: signature, locals |
//! | `func.ID.body` | first differing instruction, `#I: text` |
//! | `func.ID.site@K` | relocated constant K: `&sym+off`, `slot(func)`, `null` |
//! | `global.ID.type` / `.init` | `mut i32`; `i32.const 7`, `&sym`, `(layout)` |
//! | `table.ID.type` / `.elements` | `funcref`; the functions in the table, sorted |
//! | `memory.type`, `tag.ID.type`, `start.function` | |
//! | `data.ID` / `.size` | a placed data symbol: size in bytes |
//! | `data.ID.byte@N` | a run of differing bytes from offset N (hex; relocated bytes `..`) |
//! | `data.ID.word@N` | the relocated word at offset N: `&sym+off`, `slot(func)` |
//! | `layout.NAME` | value of linker-defined symbol NAME (`__heap_base`, `__stack_pointer`, ...) |
//! | `layout.memory.initial` / `.maximum`, `layout.table.ID.initial` / `.maximum` | limits |
//!
//! # Limits
//!
//! Functions are matched by the name section: in a stripped output
//! (`--strip-all`) only functions whose body no other input function
//! shares are matched, the others keyed `func#INDEX`, which depends on
//! layout. Two C++ overloads whose demangled names differ between
//! demanglers only in their parameter lists, and whose bodies are the same,
//! may be told apart wrongly.
//! Functions no input body matches (linker-made ones, stubs) are rendered
//! from the output alone, their constants raw. Relative relocations
//! (`*_REL_SLEB`, TLS) are written from the relocation, not checked.
//! Passive data segments and merged strings are not placed; nor is a
//! segment nothing points into. A segment whose only reference is a wrong
//! constant and whose bytes are all zero is placed where that constant
//! says (the mistake then shows, if at all, in the bytes found there).
//! Custom sections other than `name` (producers, target features, debug
//! info) are not compared.

mod args;
mod compare;
mod data;
mod funcs;
mod ids;
mod inputs;
mod items;
mod ops;
mod output;
mod place;

pub use args::inputs_from_args;
pub use compare::{compare_canon, compare_canon_all, compare_canon_named, Allowance, StructuralDifference, ABSENT};
pub use items::LINKER_SYMBOLS;

use serde::Serialize;
use std::collections::BTreeMap;

/// One input of the link: an object file or an archive (whose WebAssembly
/// members are read as `name(member)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputObject {
    /// The name given on the command line (`a.o`, `libx.a`).
    pub name: String,
    pub bytes: Vec<u8>,
}

impl InputObject {
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        InputObject { name: name.into(), bytes: bytes.into() }
    }
}

/// A field's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Text(String),
    /// A function body: one canonical instruction per line.
    Code(Vec<String>),
    /// Data bytes; `None` marks the bytes of relocated words.
    Bytes(Vec<Option<u8>>),
}

impl Value {
    /// One-line text of the value.
    pub fn text(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Code(lines) => lines.join("; "),
            Value::Bytes(b) => compare::hex(b),
        }
    }
}

/// One thing of the output: an import, export, function, global, table,
/// memory, tag, data symbol, the start function, or the layout values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// One line shown when the other side lacks the item.
    pub summary: String,
    /// Field name -> value; the key of a field is `ITEM.FIELD`.
    pub fields: BTreeMap<String, Value>,
}

/// The canonical form of a linked module.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Canon {
    /// Item key (`func.main`, `data.arr`, `layout`) -> item.
    pub items: BTreeMap<String, Item>,
    /// What could not be canonicalized fully (not compared).
    pub notes: Vec<String>,
    /// Relocated constants and words that do not point where their
    /// relocation says (`KEY: value`), found in this output alone.
    pub mismatches: Vec<String>,
}

impl Canon {
    /// The value of a full key `ITEM.FIELD`, if any.
    pub fn get(&self, key: &str) -> Option<&Value> {
        let mut at = key.len();
        while let Some(dot) = key[..at].rfind('.') {
            if let Some(item) = self.items.get(&key[..dot]) {
                if let Some(v) = item.fields.get(&key[dot + 1..]) {
                    return Some(v);
                }
            }
            at = dot;
        }
        None
    }
}

/// Why there is no canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CanonError {
    /// The output could not be parsed.
    Output(String),
    /// An input (named) could not be parsed.
    Input(String, String),
}

impl std::fmt::Display for CanonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CanonError::Output(e) => write!(f, "unreadable output: {e}"),
            CanonError::Input(name, e) => write!(f, "unreadable input {name}: {e}"),
        }
    }
}

impl std::error::Error for CanonError {}

/// The canonical form of linked module `output`, whose link read `inputs`.
pub fn canonicalize(output: &[u8], inputs: &[InputObject]) -> Result<Canon, CanonError> {
    let out = output::read_output(output)?;
    let ins = inputs::read_inputs(inputs)?;
    let mut ctx = ids::Ctx::new(&out, &ins);
    let origins = funcs::match_functions(&ctx);
    ctx.mark_linked(&origins);
    ctx.name_functions(&origins);
    ctx.name_others();
    let sites = funcs::sites(&origins);
    let image = place::Image::new(&out);
    let placement = place::place(&ctx, &sites, &image);
    let renderer = data::Renderer { placement: &placement, image: &image };
    let mut canon = Canon::default();
    canon.notes.extend(out.names.errors.iter().map(|e| format!("name section: {e}")));
    funcs::function_items(&ctx, &origins, &renderer, &mut canon.items, &mut canon.notes);
    data::data_items(&ctx, &renderer, &mut canon.items);
    items::module_items(&ctx, &renderer, &mut canon.items);
    for (key, item) in &canon.items {
        for (field, value) in &item.fields {
            if let Value::Text(t) = value {
                if t.contains(" (reloc: ") || t.ends_with(" (unplaced)") {
                    canon.mismatches.push(format!("{key}.{field}: {t}"));
                }
            }
        }
    }
    Ok(canon)
}
