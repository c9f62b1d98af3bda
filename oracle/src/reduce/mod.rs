//! Test-case reduction of generated cases ([`GeneratedCase`]): greedy
//! delta-debugging passes, repeated until none makes progress, that keep a
//! candidate only when the caller's predicate still holds (for `linkcheck
//! reduce`: the same divergence between the same linkers, [`cli`]).
//!
//! Passes, in order (each tries one removal at a time, last first, and
//! keeps every removal the predicate accepts):
//!
//! | pass | removes |
//! |---|---|
//! | `flags` | a link argument that is not an input (or a flag and its value) |
//! | `files` | a plain object, an archive, an archive member |
//! | `functions` | a defined function with its symbols, COMDAT memberships and INIT_FUNCS entries ([`edit`]) |
//! | `init functions`, `comdats` | an INIT_FUNCS entry, a COMDAT group |
//! | `segments`, `globals` | a data segment / defined global with its symbols |
//! | `bodies` | a whole body (replaced by `unreachable`), its locals, windows of instructions (removed, or replaced by `unreachable`) with the relocations inside them ([`body`]) |
//! | `relocations` | a data or custom-section relocation (the bytes stay) |
//! | `symbols` | a symbol no relocation names |
//! | `exports` | the EXPORTED flag of a symbol |
//! | `imports`, `types`, `custom sections`, `metadata` | an unused import (not the memory), type, custom section; the `producers` and `target_features` contents |
//!
//! Every candidate must still encode to objects that validate
//! (wasmparser, all features) when the original did, so a predicate never
//! sees a broken object (a body whose stack no longer types, an
//! instruction naming an index that moved). Every accepted candidate is
//! strictly smaller, so the fixed point is reached.

pub mod body;
pub mod cli;
pub mod edit;

use linkcheck_core::casefile::GeneratedCase;
use linkcheck_object::{encode, flags, ObjectModel};
use serde::Serialize;
use std::collections::BTreeSet;

/// Sizes of a case, as `linkcheck reduce` reports them before and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Sizes {
    /// Object files: plain objects and archive members.
    pub files: usize,
    /// Defined functions, over all files.
    pub functions: usize,
    /// Relocations (code, data, custom sections), over all files.
    pub relocations: usize,
    /// Symbols, over all files.
    pub symbols: usize,
    /// Bytes of the encoded objects (archives not counted).
    pub bytes: usize,
}

/// The [`Sizes`] of `case`.
pub fn sizes(case: &GeneratedCase) -> Sizes {
    let mut s = Sizes { files: 0, functions: 0, relocations: 0, symbols: 0, bytes: 0 };
    for (_, m) in case.models() {
        s.files += 1;
        s.functions += m.functions.len();
        s.relocations += edit::relocs(m).count();
        s.symbols += m.symbols.len();
        s.bytes += encode(m).len();
    }
    s
}

/// What the reducer reports as it goes: a pass has begun (its name and
/// the round, from 1), or a candidate was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress<'a> {
    /// A pass starts.
    Pass { name: &'a str, round: usize },
    /// A smaller case passed the predicate.
    Kept { pass: &'a str, sizes: Sizes },
}

/// Reduces `case` while `predicate` holds; see [`reduce_with_progress`].
pub fn reduce(case: GeneratedCase, predicate: impl FnMut(&GeneratedCase) -> bool) -> GeneratedCase {
    reduce_with_progress(case, predicate, |_| {})
}

/// Reduces `case` to a fixed point of the passes (module documentation):
/// the result is the smallest case found for which `predicate` held (or
/// `case` itself when no candidate passed). `predicate` is not called on
/// `case` itself. `progress` hears of each pass and each kept candidate.
pub fn reduce_with_progress(
    case: GeneratedCase,
    predicate: impl FnMut(&GeneratedCase) -> bool,
    mut progress: impl FnMut(Progress<'_>),
) -> GeneratedCase {
    let valid_at_start = case.models().filter(|(_, m)| validates(m)).map(|(n, _)| n.clone()).collect();
    let mut r = Reducer { current: case, predicate, valid_at_start, pass: "", progress: &mut progress };
    for round in 1.. {
        let mut changed = false;
        for (name, pass) in passes() {
            r.pass = name;
            (r.progress)(Progress::Pass { name, round });
            changed |= pass(&mut r);
        }
        if !changed {
            break;
        }
    }
    r.current
}

type Pass<P> = fn(&mut Reducer<'_, P>) -> bool;

struct Reducer<'a, P> {
    current: GeneratedCase,
    predicate: P,
    /// Models (by file name) that validated at the start: they must still.
    valid_at_start: BTreeSet<String>,
    pass: &'static str,
    progress: &'a mut dyn FnMut(Progress<'_>),
}

/// Whether `m` encodes to a module that validates.
pub fn validates(m: &ObjectModel) -> bool {
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all()).validate_all(&encode(m)).is_ok()
}

/// Where a model lives: a plain object, or member `j` of archive `a`.
#[derive(Clone, Copy)]
enum At {
    Object(usize),
    Member(usize, usize),
}

fn at_list(case: &GeneratedCase) -> Vec<At> {
    let objects = (0..case.objects.len()).map(At::Object);
    let members = case.archives.iter().enumerate().flat_map(|(a, (_, ms))| (0..ms.len()).map(move |j| At::Member(a, j)));
    objects.chain(members).collect()
}

fn model_at(case: &GeneratedCase, at: At) -> &(String, ObjectModel) {
    match at {
        At::Object(i) => &case.objects[i],
        At::Member(a, j) => &case.archives[a].1[j],
    }
}

fn model_at_mut(case: &mut GeneratedCase, at: At) -> &mut (String, ObjectModel) {
    match at {
        At::Object(i) => &mut case.objects[i],
        At::Member(a, j) => &mut case.archives[a].1[j],
    }
}

impl<P: FnMut(&GeneratedCase) -> bool> Reducer<'_, P> {
    /// Keeps `candidate` when it validates and the predicate holds.
    fn try_case(&mut self, candidate: GeneratedCase) -> bool {
        let broken = candidate.models().any(|(n, m)| self.valid_at_start.contains(n) && !validates(m));
        if broken || !(self.predicate)(&candidate) {
            return false;
        }
        self.current = candidate;
        (self.progress)(Progress::Kept { pass: self.pass, sizes: sizes(&self.current) });
        true
    }

    /// Tries `edit` on every model and every index `count(model)` gives,
    /// last first; keeps what passes. `edit` returns `None` when an index
    /// cannot be removed.
    fn per_item(
        &mut self,
        count: impl Fn(&ObjectModel) -> usize,
        edit: impl Fn(&ObjectModel, usize) -> Option<ObjectModel>,
    ) -> bool {
        let mut changed = false;
        for at in at_list(&self.current) {
            let mut i = count(&model_at(&self.current, at).1);
            while i > 0 {
                i -= 1;
                let model = &model_at(&self.current, at).1;
                if i >= count(model) {
                    continue;
                }
                if let Some(smaller) = edit(model, i) {
                    let mut candidate = self.current.clone();
                    model_at_mut(&mut candidate, at).1 = smaller;
                    changed |= self.try_case(candidate);
                }
            }
        }
        changed
    }
}

fn is_input(case: &GeneratedCase, arg: &str) -> bool {
    case.input_names().contains(&arg)
}

fn flags_pass<P: FnMut(&GeneratedCase) -> bool>(r: &mut Reducer<'_, P>) -> bool {
    let mut changed = false;
    let mut i = r.current.args.len();
    while i > 0 {
        i -= 1;
        if i >= r.current.args.len() || is_input(&r.current, &r.current.args[i]) {
            continue;
        }
        let mut one = r.current.clone();
        one.args.remove(i);
        if r.try_case(one) {
            changed = true;
            continue;
        }
        // A flag with its value as the next argument (`-e start`).
        if i + 1 < r.current.args.len() && !is_input(&r.current, &r.current.args[i + 1]) {
            let mut two = r.current.clone();
            two.args.drain(i..i + 2);
            changed |= r.try_case(two);
        }
    }
    changed
}

fn files_pass<P: FnMut(&GeneratedCase) -> bool>(r: &mut Reducer<'_, P>) -> bool {
    let mut changed = false;
    // Out of the main link and of any link before it (a `-r` part).
    let without_input = |case: &mut GeneratedCase, name: &str| {
        case.args.retain(|a| a != name);
        for side in &mut case.side_modules {
            side.args.retain(|a| a != name);
        }
    };
    for i in (0..r.current.objects.len()).rev() {
        let mut c = r.current.clone();
        let (name, _) = c.objects.remove(i);
        without_input(&mut c, &name);
        changed |= r.try_case(c);
    }
    for a in (0..r.current.archives.len()).rev() {
        let mut c = r.current.clone();
        let (name, _) = c.archives.remove(a);
        without_input(&mut c, &name);
        if r.try_case(c) {
            changed = true;
            continue;
        }
        for j in (0..r.current.archives[a].1.len()).rev() {
            let mut c = r.current.clone();
            c.archives[a].1.remove(j);
            if c.archives[a].1.is_empty() {
                let (name, _) = c.archives.remove(a);
                without_input(&mut c, &name);
            }
            changed |= r.try_case(c);
        }
    }
    changed
}

fn functions_pass<P: FnMut(&GeneratedCase) -> bool>(r: &mut Reducer<'_, P>) -> bool {
    r.per_item(|m| m.functions.len(), edit::remove_function)
}

fn init_funcs_pass<P: FnMut(&GeneratedCase) -> bool>(r: &mut Reducer<'_, P>) -> bool {
    r.per_item(|m| m.init_funcs.len(), |m, i| {
        let mut out = m.clone();
        out.init_funcs.remove(i);
        Some(out)
    })
}

fn comdats_pass<P: FnMut(&GeneratedCase) -> bool>(r: &mut Reducer<'_, P>) -> bool {
    r.per_item(|m| m.comdats.len(), |m, i| {
        let mut out = m.clone();
        out.comdats.remove(i);
        Some(out)
    })
}

fn segments_pass<P: FnMut(&GeneratedCase) -> bool>(r: &mut Reducer<'_, P>) -> bool {
    r.per_item(|m| m.segments.len(), edit::remove_segment)
}

fn globals_pass<P: FnMut(&GeneratedCase) -> bool>(r: &mut Reducer<'_, P>) -> bool {
    r.per_item(|m| m.globals.len(), edit::remove_global)
}

fn bodies_pass<P: FnMut(&GeneratedCase) -> bool>(r: &mut Reducer<'_, P>) -> bool {
    let mut changed = false;
    for at in at_list(&r.current) {
        for f in (0..model_at(&r.current, at).1.functions.len()).rev() {
            changed |= reduce_body(r, at, f);
        }
    }
    changed
}

/// One function's body: the whole body as `unreachable`, no locals, then
/// windows of instructions, longest first.
fn reduce_body<P: FnMut(&GeneratedCase) -> bool>(r: &mut Reducer<'_, P>, at: At, f: usize) -> bool {
    let with = |r: &Reducer<'_, P>, change: &dyn Fn(&mut linkcheck_object::FunctionModel)| {
        let mut c = r.current.clone();
        change(&mut model_at_mut(&mut c, at).1.functions[f]);
        c
    };
    let func = |r: &Reducer<'_, P>| model_at(&r.current, at).1.functions[f].clone();
    let mut changed = false;
    let minimal = body::minimal();
    if func(r).body.code.len() > minimal.code.len() || !func(r).body.relocs.is_empty() {
        changed |= r.try_case(with(r, &|fm| fm.body = minimal.clone()));
    }
    if !func(r).locals.is_empty() {
        changed |= r.try_case(with(r, &|fm| fm.locals.clear()));
    }
    let Some(count) = body::editable(&func(r).body).map(|s| s.len() - 1) else { return changed };
    for len in body::window_lengths(count) {
        let mut k = 0;
        // Candidates are rebuilt after each kept one; `k` walks on.
        loop {
            let candidates = body::window_candidates(&func(r).body, len);
            let Some(b) = candidates.get(k).cloned() else { break };
            if r.try_case(with(r, &|fm| fm.body = b.clone())) {
                changed = true;
            } else {
                k += 1;
            }
        }
    }
    changed
}

fn relocations_pass<P: FnMut(&GeneratedCase) -> bool>(r: &mut Reducer<'_, P>) -> bool {
    let data_relocs = |m: &ObjectModel| {
        m.segments.iter().map(|s| s.relocs.len()).sum::<usize>()
            + m.custom_sections.iter().map(|c| c.relocs.len()).sum::<usize>()
    };
    r.per_item(data_relocs, |m, mut i| {
        let mut out = m.clone();
        let lists = out.segments.iter_mut().map(|s| &mut s.relocs).chain(out.custom_sections.iter_mut().map(|c| &mut c.relocs));
        for list in lists {
            if i < list.len() {
                list.remove(i);
                break;
            }
            i -= list.len();
        }
        Some(out)
    })
}

fn symbols_pass<P: FnMut(&GeneratedCase) -> bool>(r: &mut Reducer<'_, P>) -> bool {
    r.per_item(|m| m.symbols.len(), edit::remove_symbol)
}

fn exports_pass<P: FnMut(&GeneratedCase) -> bool>(r: &mut Reducer<'_, P>) -> bool {
    r.per_item(|m| m.symbols.len(), |m, s| {
        (m.symbols[s].flags & flags::EXPORTED != 0).then(|| {
            let mut out = m.clone();
            out.symbols[s].flags &= !flags::EXPORTED;
            out
        })
    })
}

fn imports_pass<P: FnMut(&GeneratedCase) -> bool>(r: &mut Reducer<'_, P>) -> bool {
    r.per_item(|m| m.imports.len(), edit::remove_import)
}

fn types_pass<P: FnMut(&GeneratedCase) -> bool>(r: &mut Reducer<'_, P>) -> bool {
    r.per_item(|m| m.types.len(), edit::remove_type)
}

fn customs_pass<P: FnMut(&GeneratedCase) -> bool>(r: &mut Reducer<'_, P>) -> bool {
    r.per_item(|m| m.custom_sections.len(), edit::remove_custom)
}

fn metadata_pass<P: FnMut(&GeneratedCase) -> bool>(r: &mut Reducer<'_, P>) -> bool {
    r.per_item(
        |m| usize::from(!m.features.is_empty() || !m.producers.is_empty()),
        |m, _| {
            let mut out = m.clone();
            out.features.clear();
            out.producers.clear();
            Some(out)
        },
    )
}

/// The passes, in the order of the module documentation.
fn passes<P: FnMut(&GeneratedCase) -> bool>() -> [(&'static str, Pass<P>); 15] {
    [
        ("flags", flags_pass),
        ("files", files_pass),
        ("functions", functions_pass),
        ("init functions", init_funcs_pass),
        ("comdats", comdats_pass),
        ("segments", segments_pass),
        ("globals", globals_pass),
        ("bodies", bodies_pass),
        ("relocations", relocations_pass),
        ("symbols", symbols_pass),
        ("exports", exports_pass),
        ("imports", imports_pass),
        ("types", types_pass),
        ("custom sections", customs_pass),
        ("metadata", metadata_pass),
    ]
}
