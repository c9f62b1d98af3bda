//! The split-and-relink oracle: split, link the parts with refld
//! in-process, validate, run the reference form of the original and the
//! relinked module under the same [`Provision`], compare the traces.

use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};

use refld::args::{parse_args, Action};
use refld::MemoryInputs;

use linkcheck_core::run::provided::{self, CallRecord, Provision};
use super::{split, Split, SplitError};

/// Why a split did not relink into a module that behaves like the original.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SplitFailure {
    /// The splitter refused the module.
    Split(SplitError),
    /// A part is not a valid module (a splitter bug).
    InvalidPart {
        /// The part's file name.
        part: String,
        /// wasmparser's message.
        message: String,
    },
    /// refld rejected the command line or the parts, or panicked.
    Link {
        /// The wasm-ld command line.
        args: Vec<String>,
        /// refld's diagnostics (or the panic message).
        diagnostics: String,
    },
    /// refld's output does not validate (all features on).
    InvalidOutput {
        /// wasmparser's message.
        message: String,
    },
    /// The harness could not compile, provide for or instantiate a side.
    Harness {
        /// `original` or `relinked`.
        side: &'static str,
        /// What went wrong.
        message: String,
    },
    /// The two modules export different function names.
    Exports {
        /// The original's function exports, sorted.
        original: Vec<String>,
        /// The relinked module's, sorted.
        relinked: Vec<String>,
    },
    /// A call of `export` differs: result, trap kind, host calls or memory.
    Behaviour {
        /// The export called.
        export: String,
        /// Its arguments.
        args: Vec<String>,
        /// What the original did.
        original: String,
        /// What the relinked module did.
        relinked: String,
    },
}

impl fmt::Display for SplitFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SplitFailure::Split(e) => write!(f, "split: {e}"),
            SplitFailure::InvalidPart { part, message } => write!(f, "part {part} is not a valid module: {message}"),
            SplitFailure::Link { args, diagnostics } => {
                write!(f, "refld failed on `wasm-ld {}`:\n{diagnostics}", args.join(" "))
            }
            SplitFailure::InvalidOutput { message } => write!(f, "refld's output does not validate: {message}"),
            SplitFailure::Harness { side, message } => write!(f, "{side} module: {message}"),
            SplitFailure::Exports { original, relinked } => {
                write!(f, "function exports differ: original {original:?}, relinked {relinked:?}")
            }
            SplitFailure::Behaviour { export, args, original, relinked } => write!(
                f,
                "call {export}({}) differs:\n  original: {original}\n  relinked: {relinked}",
                args.join(", ")
            ),
        }
    }
}

impl std::error::Error for SplitFailure {}

/// Splits `module` into `parts` with `choice` ([`split`]) and checks the
/// relinked module behaves like the original ([`check_relink`]).
pub fn check_split_relink(module: &[u8], parts: usize, choice: &[u8]) -> Result<(), SplitFailure> {
    let s = split(module, parts, choice).map_err(SplitFailure::Split)?;
    check_relink(&s)
}

/// Validates every part, links them with refld in-process using
/// [`Split::args`] (parsed as wasm-ld's command line), validates the output
/// and compares the runs of [`Split::reference`] and the output; then the
/// same for the two-step link ([`link_two_step`], REL-OUT-ACCEPTED) of a
/// split of two parts or more. The first difference is the error (a
/// two-step one names its export `NAME (two-step link)`).
pub fn check_relink(s: &Split) -> Result<(), SplitFailure> {
    let all = wasmparser::WasmFeatures::all();
    for (part, bytes) in s.objects() {
        if let Err(e) = wasmparser::Validator::new_with_features(all).validate_all(&bytes) {
            return Err(SplitFailure::InvalidPart { part, message: e.to_string() });
        }
    }
    compare(s, &link(s)?)?;
    if two_step_applies(s) {
        compare(s, &link_two_step(s)?).map_err(|e| match e {
            SplitFailure::Behaviour { export, args, original, relinked } => {
                SplitFailure::Behaviour { export: format!("{export} (two-step link)"), args, original, relinked }
            }
            other => other,
        })?;
    }
    Ok(())
}

/// Whether [`check_relink`] also links `s` in two steps: it has two parts
/// or more and its first part renames no export (see [`renames_exports`]).
pub fn two_step_applies(s: &Split) -> bool {
    s.parts.len() >= 2 && !renames_exports(&s.parts[0].1)
}

/// Whether a part exports a function under a name other than its symbol's:
/// `-r` drops the export section (REL-OUT-EXPORTS), so a two-step link
/// exports it under the symbol's name instead.
fn renames_exports(part: &linkcheck_object::ObjectModel) -> bool {
    part.exports.iter().any(|e| part.symbols.iter().all(|s| !(s.kind == linkcheck_object::SymbolKind::Function && s.index == e.index && s.name.as_deref() == Some(e.name.as_str()))))
}

/// Validates `relinked` and compares its runs with [`Split::reference`]'s.
fn compare(s: &Split, relinked: &[u8]) -> Result<(), SplitFailure> {
    let all = wasmparser::WasmFeatures::all();
    if let Err(e) = wasmparser::Validator::new_with_features(all).validate_all(relinked) {
        return Err(SplitFailure::InvalidOutput { message: e.to_string() });
    }
    let harness_err = |side| move |message| SplitFailure::Harness { side, message };
    let original = provided::compile(&s.reference).map_err(harness_err("original"))?;
    let output = provided::compile(relinked).map_err(harness_err("relinked"))?;
    let types = read_types(&s.reference);
    let provision = Provision::for_modules(&[&original, &output], &types).map_err(harness_err("relinked"))?;
    let a = provided::run(&original, &provision, &s.wrapped).map_err(harness_err("original"))?;
    let b = provided::run(&output, &provision, &s.wrapped).map_err(harness_err("relinked"))?;
    if a.exports != b.exports {
        return Err(SplitFailure::Exports { original: a.exports, relinked: b.exports });
    }
    for i in 0..a.calls.len().max(b.calls.len()) {
        let (x, y) = (a.calls.get(i), b.calls.get(i));
        if x != y {
            let call = x.or(y).expect("one side has call i");
            return Err(SplitFailure::Behaviour {
                export: call.name.clone(),
                args: call.args.clone(),
                original: describe(x),
                relinked: describe(y),
            });
        }
    }
    Ok(())
}

/// Links the parts of `s` with refld in-process; a panic is a failure too.
pub fn link(s: &Split) -> Result<Vec<u8>, SplitFailure> {
    link_files(&s.args, s.objects())
}

/// The two-step link of `s` (REL-OUT-ACCEPTED): its first part linked with
/// `-r` into `part.o`, then [`Split::args`] with `part.o` in its place.
pub fn link_two_step(s: &Split) -> Result<Vec<u8>, SplitFailure> {
    let objects = s.objects();
    let Some((first, bytes)) = objects.first().cloned() else { return link(s) };
    let r_args: Vec<String> = ["-r", "-o", "part.o", first.as_str()].iter().map(|a| a.to_string()).collect();
    let part = link_files(&r_args, vec![(first.clone(), bytes)])?;
    let args: Vec<String> = s.args.iter().map(|a| if *a == first { "part.o".to_string() } else { a.clone() }).collect();
    let rest = objects.into_iter().skip(1).chain([("part.o".to_string(), part)]).collect();
    link_files(&args, rest)
}

/// Links `files` with refld in-process under the command line `args`; a
/// panic is a failure too.
fn link_files(args: &[String], files: Vec<(String, Vec<u8>)>) -> Result<Vec<u8>, SplitFailure> {
    let fail = |diagnostics: String| SplitFailure::Link { args: args.to_vec(), diagnostics };
    let config = match parse_args(args, &|p: &str| Err(format!("no response file {p}"))) {
        Ok(Action::Link(c)) => c,
        Ok(_) => return Err(fail("the command line does not link".into())),
        Err(e) => return Err(fail(e)),
    };
    let mut inputs = MemoryInputs::default();
    for (name, bytes) in files {
        inputs.add(name, bytes);
    }
    match catch_unwind(AssertUnwindSafe(|| refld::link(&config, &inputs))) {
        Ok(Ok(linked)) => Ok(linked.bytes),
        Ok(Err(e)) => Err(fail(e.to_string())),
        Err(payload) => {
            let msg = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(fail(format!("refld panicked: {msg}")))
        }
    }
}

/// The function types of a module's type section (unreadable: none).
fn read_types(module: &[u8]) -> Vec<wasmparser::FuncType> {
    let reader = wasmparser::Parser::new(0).parse_all(module).find_map(|p| match p {
        Ok(wasmparser::Payload::TypeSection(r)) => Some(r),
        _ => None,
    });
    let Some(reader) = reader else { return Vec::new() };
    reader
        .into_iter()
        .filter_map(Result::ok)
        .flat_map(|g| g.into_types())
        .filter_map(|t| match t.composite_type.inner {
            wasmparser::CompositeInnerType::Func(f) => Some(f),
            _ => None,
        })
        .collect()
}

fn describe(c: Option<&CallRecord>) -> String {
    match c {
        None => "not called (the run had stopped)".into(),
        Some(c) => {
            let memory = c.memory.map_or("-".to_string(), |h| format!("{h:016x}"));
            format!("{}; host calls [{}]; memory {memory}; globals [{}]", c.result, c.host.join("; "), c.globals.join(", "))
        }
    }
}
