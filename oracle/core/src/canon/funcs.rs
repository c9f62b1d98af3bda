//! Output functions matched to the input functions they came from, and
//! their bodies as canonical text.
//!
//! A defined output function is matched by name (the name section) to the
//! input definitions of that name; the input and output bodies are decoded
//! in lockstep, operator by operator. They match exactly when every
//! operator without a relocation is equal and every relocated one has the
//! same opcode; failing that, loosely when only the opcodes agree (then
//! the bodies' differing immediates show in the canonical text). The
//! relocations of the matched input operator say which output constants
//! are addresses or table slots (sites).

use super::ids::Ctx;
use super::inputs::{InObject, InSym, SymKind};
use super::ops::{render_op, render_site_op, site_kind, site_value, SiteKind};
use super::output::OutModule;
use super::{Item, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use wasmparser::{ExternalKind, FunctionBody, Operator, RelocationEntry, ValType};

/// An output function decoded with the input it came from.
pub(crate) struct Matched<'a> {
    /// Input object.
    pub obj: usize,
    /// Function index in the object.
    pub index: u32,
    /// The object's symbol for the function with the output's name.
    pub symbol: Option<u32>,
    /// Whether non-relocated immediates agree too.
    pub exact: bool,
    /// Output operators, each with the relocations of its input operator.
    pub ops: Vec<(Operator<'a>, Vec<RelocationEntry>)>,
    pub locals: Vec<(u32, ValType)>,
}

/// Where a defined output function came from.
pub(crate) enum FuncOrigin<'a> {
    Input(Matched<'a>),
    /// No input body of its name matches (a linker-made function, a stub,
    /// or a body no input has): decoded from the output alone.
    Unmatched { ops: Vec<Operator<'a>>, locals: Vec<(u32, ValType)> },
    /// The body could not be decoded.
    Broken(String),
}

/// A relocated constant of an output function (see [`SiteKind`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Site {
    pub obj: usize,
    pub reloc: RelocationEntry,
    /// The constant in the output.
    pub value: u64,
}

/// Matches every defined output function: with the input definitions of
/// its name (as the name section spells it, or demangled, as wasm-ld
/// writes C++ names by default); a function without a name with the one
/// input function of the same body, if there is exactly one.
pub(crate) fn match_functions<'a>(ctx: &Ctx<'a, '_>) -> Vec<FuncOrigin<'a>> {
    let out = ctx.out;
    let mut used: HashSet<(usize, u32)> = HashSet::new();
    let mut demangled: Option<HashMap<String, Vec<(usize, u32)>>> = None;
    let mut shapes: Option<HashMap<u64, Vec<(usize, u32)>>> = None;
    let mut origins = Vec::new();
    for (d, body) in out.bodies.iter().enumerate() {
        let f = out.num_imported_funcs + d as u32;
        let (ops, locals) = match decode(body) {
            Ok(x) => x,
            Err(e) => {
                origins.push(FuncOrigin::Broken(e));
                continue;
            }
        };
        let name = out.names.funcs.get(&f);
        let defs_of = |list: &[(usize, u32)]| -> Vec<(usize, u32, u32)> {
            list.iter().map(|&(o, s)| (o, ctx.ins[o].symbols[s as usize].index, s)).collect()
        };
        // Zig (and LLVM) tell local functions of one name apart in the name
        // section by a `.N` suffix (`ctor1`, `ctor1.1`): the stem's
        // definitions when the name itself has none.
        let defs_named = |n: &String| {
            ctx.defs.get(&(SymKind::Func, n.clone())).or_else(|| {
                let (stem, digits) = n.rsplit_once('.')?;
                (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| ctx.defs.get(&(SymKind::Func, stem.to_string()))).flatten()
            })
        };
        let candidates: Vec<(usize, u32, u32)> = match name {
            Some(n) => match defs_named(n) {
                Some(defs) => defs_of(defs),
                None => {
                    let index = demangled.get_or_insert_with(|| demangle_index(ctx));
                    let n = squeeze(n);
                    let found = index.get(&n).or_else(|| without_params(&n).and_then(|p| index.get(&format!("~{p}"))));
                    found.map_or_else(Vec::new, |defs| defs_of(defs))
                }
            },
            None => {
                let shapes = shapes.get_or_insert_with(|| shape_index(ctx.ins));
                let same = shapes.get(&shape(&ops, &locals)).map_or(&[][..], Vec::as_slice);
                same.iter().filter_map(|&(o, index)| Some((o, index, symbol_of(ctx, o, index)?))).collect()
            }
        };
        // One symbol per function: the first in its symbol table (aliases
        // such as C++'s D1/D2 destructors demangle alike).
        let mut candidates = candidates;
        candidates.sort_unstable();
        candidates.dedup_by_key(|c| (c.0, c.1));
        let mut best: Option<(u32, Matched<'a>)> = None;
        let mut exact_count = 0;
        // An exported function whose body a local and a global definition
        // of its name share is the global one: the export names it.
        let exported = out.exports.iter().any(|(e, kind, index)| *kind == ExternalKind::Func && *index == f && Some(e) == name);
        for (o, index, s) in candidates {
            let obj = &ctx.ins[o];
            let Some(in_body) = obj.body(index) else { continue };
            let Some((exact, relocs)) = lockstep(obj, in_body, &ops, &locals) else { continue };
            exact_count += u32::from(exact);
            let local_for_export = exported && obj.symbols[s as usize].is_local();
            // Same-shaped bodies (two local `ctor1`s calling different
            // functions) told apart by whom their calls name.
            let strays = stray_calls(ctx, obj, &ops, &relocs);
            let rank = (u32::from(!exact) * 4 + u32::from(local_for_export) * 2 + u32::from(used.contains(&(o, index)))) * 1024 + strays.min(1023);
            if best.as_ref().is_none_or(|(r, _)| rank < *r) {
                let ops = ops.iter().cloned().zip(relocs).collect();
                best = Some((rank, Matched { obj: o, index, symbol: Some(s), exact, ops, locals: locals.clone() }));
            }
        }
        if name.is_none() && exact_count != 1 {
            best = None;
        }
        origins.push(match best {
            Some((_, mut m)) => {
                used.insert((m.obj, m.index));
                m.symbol = m.symbol.map(|s| first_alias(ctx.ins[m.obj].symbols.as_slice(), m.index, s));
                FuncOrigin::Input(m)
            }
            None => FuncOrigin::Unmatched { ops, locals },
        });
    }
    origins
}

/// How many direct calls of `ops` name, in the output's name section, a
/// function other than the symbol their input relocation names (a call
/// whose target has no name counts as agreeing).
fn stray_calls(ctx: &Ctx<'_, '_>, obj: &InObject<'_>, ops: &[Operator<'_>], relocs: &[Vec<RelocationEntry>]) -> u32 {
    let mut strays = 0;
    for (op, rs) in ops.iter().zip(relocs) {
        let Operator::Call { function_index } = op else { continue };
        let Some(out_name) = ctx.out.names.funcs.get(function_index) else { continue };
        for r in rs {
            let named = obj.symbols.get(r.index as usize).and_then(|s| s.name.as_deref());
            if named.is_some_and(|n| n != out_name && !out_name.strip_prefix(n).is_some_and(|rest| rest.starts_with('.'))) {
                strays += 1;
            }
        }
    }
    strays
}

/// The symbol naming function `index` of an object whose symbol `s`
/// defines it: the first global symbol of its symbol table defining it (a
/// musl `weak_alias`, C++'s D1/D2 destructors), so that the name does not
/// depend on which alias a linker writes in the name section (wasm-ld the
/// first, Wild and Zig the one a reference went through:
/// corpus/found/zig_alias_named_by_reference); `s` itself when it is local
/// or no other global symbol defines the function.
fn first_alias(symbols: &[InSym], index: u32, s: u32) -> u32 {
    if symbols[s as usize].is_local() {
        return s;
    }
    let defines = |t: &InSym| t.kind == SymKind::Func && t.is_defined() && !t.is_local() && t.index == index && t.name.is_some();
    symbols.iter().position(defines).map_or(s, |i| i as u32)
}

/// A name without whitespace (demanglers differ in spacing: `> >`, `>>`).
fn squeeze(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Defined input functions by demangled, [`squeeze`]d symbol name, and
/// by that name without its parameter list after a `~` (demanglers differ
/// in how they print parameter packs).
fn demangle_index(ctx: &Ctx<'_, '_>) -> HashMap<String, Vec<(usize, u32)>> {
    let mut index: HashMap<String, Vec<(usize, u32)>> = HashMap::new();
    for ((kind, name), defs) in &ctx.defs {
        if *kind != SymKind::Func || !name.starts_with("_Z") {
            continue;
        }
        let Ok(sym) = cpp_demangle::Symbol::new(name.as_bytes()) else { continue };
        if let Ok(text) = sym.demangle() {
            let text = squeeze(&text);
            if let Some(p) = without_params(&text) {
                index.entry(format!("~{p}")).or_default().extend(defs.iter().copied());
            }
            index.entry(text).or_default().extend(defs.iter().copied());
        }
    }
    for defs in index.values_mut() {
        defs.sort_unstable();
    }
    index
}

/// A demangled function name without its parameter list (and what
/// follows it: `const`, `&&`).
fn without_params(name: &str) -> Option<&str> {
    let close = name.rfind(')')?;
    let mut depth = 0;
    for (i, c) in name[..=close].char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&name[..i]);
                }
            }
            _ => {}
        }
    }
    None
}

/// A hash of a body's opcodes (immediates aside) and locals.
fn shape(ops: &[Operator<'_>], locals: &[(u32, ValType)]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    locals.hash(&mut h);
    ops.len().hash(&mut h);
    for op in ops {
        std::mem::discriminant(op).hash(&mut h);
    }
    h.finish()
}

/// Every defined input function by [`shape`].
fn shape_index(ins: &[InObject<'_>]) -> HashMap<u64, Vec<(usize, u32)>> {
    let mut index: HashMap<u64, Vec<(usize, u32)>> = HashMap::new();
    for (o, obj) in ins.iter().enumerate() {
        for (d, body) in obj.bodies.iter().enumerate() {
            if let Ok((ops, locals)) = decode(body) {
                index.entry(shape(&ops, &locals)).or_default().push((o, obj.num_imported_funcs + d as u32));
            }
        }
    }
    index
}

/// A named symbol of defined function `index` of object `o`: a non-local
/// one if there is one.
fn symbol_of(ctx: &Ctx<'_, '_>, o: usize, index: u32) -> Option<u32> {
    let syms = ctx.ins[o].symbols.iter().enumerate();
    let mut syms: Vec<_> = syms
        .filter(|(_, s)| s.kind == SymKind::Func && s.is_defined() && s.index == index && s.name.is_some())
        .collect();
    syms.sort_by_key(|(_, s)| s.is_local());
    syms.first().map(|(i, _)| *i as u32)
}

type Decoded<'a> = (Vec<Operator<'a>>, Vec<(u32, ValType)>);

/// Operators and (merged) locals of a body.
fn decode<'a>(body: &FunctionBody<'a>) -> Result<Decoded<'a>, String> {
    let mut locals: Vec<(u32, ValType)> = Vec::new();
    for l in body.get_locals_reader().map_err(|e| e.to_string())? {
        let (n, t) = l.map_err(|e| e.to_string())?;
        match locals.last_mut() {
            Some((m, u)) if *u == t => *m += n,
            _ if n == 0 => {}
            _ => locals.push((n, t)),
        }
    }
    let mut ops = Vec::new();
    let mut r = body.get_operators_reader().map_err(|e| e.to_string())?;
    while !r.eof() {
        ops.push(r.read().map_err(|e| e.to_string())?);
    }
    Ok((ops, locals))
}

/// Decodes `in_body` next to the output's `ops`: `Some((exact, relocations
/// per operator))` when they have the same operators (see the module docs).
fn lockstep(
    obj: &InObject<'_>,
    in_body: &FunctionBody<'_>,
    ops: &[Operator<'_>],
    locals: &[(u32, ValType)],
) -> Option<(bool, Vec<Vec<RelocationEntry>>)> {
    let (in_ops, in_locals) = decode(in_body).ok()?;
    if in_ops.len() != ops.len() || in_locals != locals {
        return None;
    }
    // File offsets of each input operator.
    let mut offsets = Vec::with_capacity(in_ops.len() + 1);
    let mut r = in_body.get_operators_reader().ok()?;
    while !r.eof() {
        offsets.push(r.read_with_offset().ok()?.1 as usize);
    }
    offsets.push(in_body.range().end as usize);
    let mut exact = true;
    let mut relocs = Vec::with_capacity(ops.len());
    for (i, (a, b)) in in_ops.iter().zip(ops).enumerate() {
        let here: Vec<RelocationEntry> = obj.code_relocs_in(offsets[i]..offsets[i + 1]).iter().map(|r| r.entry).collect();
        if std::mem::discriminant(a) != std::mem::discriminant(b) {
            return None;
        }
        if here.is_empty() && a != b {
            exact = false;
        }
        relocs.push(here);
    }
    Some((exact, relocs))
}

/// The address and table-slot constants of every matched function.
pub(crate) fn sites(origins: &[FuncOrigin<'_>]) -> Vec<Site> {
    let mut out = Vec::new();
    for origin in origins {
        if let FuncOrigin::Input(m) = origin {
            for (op, relocs) in &m.ops {
                for r in relocs {
                    if matches!(site_kind(r.ty), SiteKind::MemAddr | SiteKind::TableSlot) {
                        if let Some(value) = site_value(op) {
                            out.push(Site { obj: m.obj, reloc: *r, value });
                        }
                    }
                }
            }
        }
    }
    out
}

/// How a site's constant is written canonically (implemented by the data
/// placement, which knows where every symbol is).
pub(crate) trait SiteRenderer {
    /// The canonical text of a site of object `obj` whose output value is `value`.
    fn site(&self, ctx: &Ctx<'_, '_>, obj: usize, reloc: &RelocationEntry, value: u64) -> String;
}

/// `func.ID` items of every defined output function; notes about
/// functions only decoded from the output.
pub(crate) fn function_items(
    ctx: &Ctx<'_, '_>,
    origins: &[FuncOrigin<'_>],
    sites: &dyn SiteRenderer,
    items: &mut BTreeMap<String, Item>,
    notes: &mut Vec<String>,
) {
    let out: &OutModule<'_> = ctx.out;
    for (d, origin) in origins.iter().enumerate() {
        let f = out.num_imported_funcs + d as u32;
        let id = ctx.func(f);
        let sig = out.func_types.get(f as usize).map_or_else(|| "?".into(), |&t| ctx.sig(t));
        let mut fields = BTreeMap::new();
        fields.insert("type".to_string(), Value::Text(sig.clone()));
        let (lines, locals) = match origin {
            FuncOrigin::Input(m) => {
                let mut lines = Vec::with_capacity(m.ops.len());
                let mut k = 0;
                for (op, relocs) in &m.ops {
                    let site = relocs.iter().find(|r| site_kind(r.ty) != SiteKind::Index);
                    match (site, site_value(op)) {
                        (Some(r), Some(value)) => {
                            lines.push(render_site_op(op, k));
                            fields.insert(format!("site@{k}"), Value::Text(sites.site(ctx, m.obj, r, value)));
                            k += 1;
                        }
                        _ => lines.push(render_op(ctx, op)),
                    }
                }
                if !m.exact {
                    notes.push(format!("func {id}: the body differs from {} in immediates", ctx.ins[m.obj].name));
                }
                (lines, &m.locals)
            }
            FuncOrigin::Unmatched { ops, locals } => {
                if out.names.funcs.contains_key(&f) && ctx.defs.contains_key(&(SymKind::Func, id.clone())) {
                    notes.push(format!("func {id}: no input body of that name matches; constants shown raw"));
                }
                (ops.iter().map(|op| render_op(ctx, op)).collect(), locals)
            }
            FuncOrigin::Broken(e) => {
                notes.push(format!("func {id}: the body cannot be decoded: {e}"));
                (vec![format!("(undecodable: {e})")], &Vec::new())
            }
        };
        let locals = locals.iter().map(|(n, t)| format!("{n} {t}")).collect::<Vec<_>>().join(", ");
        fields.insert("locals".to_string(), Value::Text(locals));
        fields.insert("body".to_string(), Value::Code(lines));
        items.insert(format!("func.{id}"), Item { summary: format!("defined {sig}"), fields });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demangled_names_without_parameters() {
        assert_eq!(squeeze("f<a, b> >(int)"), "f<a,b>>(int)");
        assert_eq!(without_params("ns::f<(1)>(int(*)(int))const"), Some("ns::f<(1)>"));
        assert_eq!(without_params("plain"), None);
    }
}
