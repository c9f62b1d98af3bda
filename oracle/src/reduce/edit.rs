//! Removals from one [`ObjectModel`] that keep its indices consistent.
//!
//! Each function returns the smaller model, or `None` when the removal
//! would leave a dangling reference. What refers to what (Linking.md,
//! "Symbol table subsection", "Relocation sections"): symbols name a
//! function, global, table or tag by its index in that index space (imports
//! first), a data segment, or a section by its number; relocations and
//! INIT_FUNCS entries name symbols (`R_WASM_TYPE_INDEX_LEB` a type);
//! COMDAT members name functions, globals, segments. A removal renumbers
//! what comes after the removed item in each of these.
//!
//! Symbols of a removed item are removed with it, and INIT_FUNCS entries
//! naming them too; a relocation still naming one (in a body or segment
//! that stays) makes the removal fail. Instructions that name an index
//! without a relocation are not rewritten; the reducer's validation of
//! every candidate catches what that breaks.

use linkcheck_object::{
    section_indices, ComdatKind, ImportKind, ObjectModel, RelocModel, RelocType, SectionIndices, SymbolKind,
};
use std::collections::BTreeSet;

/// An index space of the module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Space {
    Func,
    Global,
    Table,
    Tag,
}

impl Space {
    fn symbol_kind(self) -> SymbolKind {
        match self {
            Space::Func => SymbolKind::Function,
            Space::Global => SymbolKind::Global,
            Space::Table => SymbolKind::Table,
            Space::Tag => SymbolKind::Tag,
        }
    }
    fn comdat_kind(self) -> ComdatKind {
        match self {
            Space::Func => ComdatKind::Function,
            Space::Global => ComdatKind::Global,
            Space::Table => ComdatKind::Table,
            Space::Tag => ComdatKind::Tag,
        }
    }
    fn of_import(kind: &ImportKind) -> Option<Space> {
        match kind {
            ImportKind::Func { .. } => Some(Space::Func),
            ImportKind::Global { .. } => Some(Space::Global),
            ImportKind::Table { .. } => Some(Space::Table),
            ImportKind::Tag { .. } => Some(Space::Tag),
            ImportKind::Memory { .. } => None,
        }
    }
}

/// Every relocation of the model: bodies, segments, custom sections.
pub fn relocs(m: &ObjectModel) -> impl Iterator<Item = &RelocModel> {
    m.functions
        .iter()
        .flat_map(|f| f.body.relocs.iter())
        .chain(m.segments.iter().flat_map(|s| s.relocs.iter()))
        .chain(m.custom_sections.iter().flat_map(|c| c.relocs.iter()))
}

fn relocs_mut(m: &mut ObjectModel) -> impl Iterator<Item = &mut RelocModel> {
    m.functions
        .iter_mut()
        .flat_map(|f| f.body.relocs.iter_mut())
        .chain(m.segments.iter_mut().flat_map(|s| s.relocs.iter_mut()))
        .chain(m.custom_sections.iter_mut().flat_map(|c| c.relocs.iter_mut()))
}

/// Whether the relocation names a symbol (all but `TYPE_INDEX_LEB`).
fn names_symbol(r: &RelocModel) -> bool {
    r.ty != RelocType::TypeIndexLeb
}

/// Index `removed` of `space` is gone: its symbols join `dead`, later
/// indices (symbols, COMDAT members) move down by one.
fn shift_space(m: &mut ObjectModel, space: Space, removed: u32, dead: &mut BTreeSet<u32>) {
    for (i, s) in m.symbols.iter_mut().enumerate() {
        if s.kind == space.symbol_kind() {
            if s.index == removed {
                dead.insert(i as u32);
            } else if s.index > removed {
                s.index -= 1;
            }
        }
    }
    let kind = space.comdat_kind();
    for c in &mut m.comdats {
        c.members.retain(|x| !(x.kind == kind && x.index == removed));
        for x in c.members.iter_mut().filter(|x| x.kind == kind && x.index > removed) {
            x.index -= 1;
        }
    }
}

/// Finishes a removal: section symbols follow their section to its new
/// number (or die with it; `custom` maps old custom-section positions to
/// new ones), INIT_FUNCS entries of dead symbols go, then the dead symbols
/// themselves, renumbering the rest. `None` when a relocation still names a
/// dead symbol.
fn finish(
    before: &SectionIndices,
    mut m: ObjectModel,
    mut dead: BTreeSet<u32>,
    custom: impl Fn(usize) -> Option<usize>,
) -> Option<ObjectModel> {
    let after = section_indices(&m);
    for (i, s) in m.symbols.iter_mut().enumerate() {
        if s.kind != SymbolKind::Section || dead.contains(&(i as u32)) {
            continue;
        }
        let moved = if Some(s.index) == before.code {
            Some(after.code)
        } else if Some(s.index) == before.data {
            Some(after.data)
        } else if Some(s.index) == before.linking {
            Some(after.linking)
        } else {
            before.custom.iter().position(|&c| c == s.index).map(|p| custom(p).map(|q| after.custom[q]))
        };
        match moved {
            Some(Some(new)) => s.index = new,
            Some(None) => {
                dead.insert(i as u32);
            }
            None => {}
        }
    }
    m.init_funcs.retain(|f| !dead.contains(&f.symbol));
    if relocs(&m).any(|r| names_symbol(r) && dead.contains(&r.index)) {
        return None;
    }
    if dead.is_empty() {
        return Some(m);
    }
    let new_index = |old: u32| old - dead.range(..old).count() as u32;
    for r in relocs_mut(&mut m).filter(|r| names_symbol(r)) {
        r.index = new_index(r.index);
    }
    for f in &mut m.init_funcs {
        f.symbol = new_index(f.symbol);
    }
    let mut i = 0u32;
    m.symbols.retain(|_| {
        i += 1;
        !dead.contains(&(i - 1))
    });
    Some(m)
}

fn identity(p: usize) -> Option<usize> {
    Some(p)
}

/// Removes defined function `i` (position in [`ObjectModel::functions`]),
/// its symbols, COMDAT memberships and INIT_FUNCS entries.
pub fn remove_function(m: &ObjectModel, i: usize) -> Option<ObjectModel> {
    let before = section_indices(m);
    let mut out = m.clone();
    let index = out.func_import_count() + i as u32;
    out.functions.remove(i);
    let mut dead = BTreeSet::new();
    shift_space(&mut out, Space::Func, index, &mut dead);
    finish(&before, out, dead, identity)
}

/// Removes defined global `i` and its symbols.
pub fn remove_global(m: &ObjectModel, i: usize) -> Option<ObjectModel> {
    let before = section_indices(m);
    let mut out = m.clone();
    let index = out.global_import_count() + i as u32;
    out.globals.remove(i);
    let mut dead = BTreeSet::new();
    shift_space(&mut out, Space::Global, index, &mut dead);
    finish(&before, out, dead, identity)
}

/// Removes import `i` and its symbols. Not the memory (every object
/// imports it), nor a table while a table-index relocation remains: LLVM
/// writes the table import with every such relocation, and without one
/// every wasm-ld crashes (corpus/found/wasm_ld_table_index_without_table_import_crashes),
/// which would hide the divergence being reduced.
pub fn remove_import(m: &ObjectModel, i: usize) -> Option<ObjectModel> {
    let space = Space::of_import(&m.imports[i].kind)?;
    if space == Space::Table && relocs(m).any(|r| r.ty.is_table_index()) {
        return None;
    }
    let index = m.imports[..i].iter().filter(|x| Space::of_import(&x.kind) == Some(space)).count() as u32;
    let before = section_indices(m);
    let mut out = m.clone();
    out.imports.remove(i);
    let mut dead = BTreeSet::new();
    shift_space(&mut out, space, index, &mut dead);
    finish(&before, out, dead, identity)
}

/// Removes data segment `i`, the data symbols defined in it and its COMDAT
/// memberships.
pub fn remove_segment(m: &ObjectModel, i: usize) -> Option<ObjectModel> {
    let before = section_indices(m);
    let mut out = m.clone();
    out.segments.remove(i);
    let i = i as u32;
    let mut dead = BTreeSet::new();
    for (s, sym) in out.symbols.iter_mut().enumerate() {
        if let (SymbolKind::Data, Some(d)) = (sym.kind, sym.data.as_mut()) {
            if d.segment == i {
                dead.insert(s as u32);
            } else if d.segment > i {
                d.segment -= 1;
            }
        }
    }
    for c in &mut out.comdats {
        c.members.retain(|x| !(x.kind == ComdatKind::Data && x.index == i));
        for x in c.members.iter_mut().filter(|x| x.kind == ComdatKind::Data && x.index > i) {
            x.index -= 1;
        }
    }
    finish(&before, out, dead, identity)
}

/// Removes custom section `i` (its relocations with it) and the section
/// symbols naming it.
pub fn remove_custom(m: &ObjectModel, i: usize) -> Option<ObjectModel> {
    let before = section_indices(m);
    let mut out = m.clone();
    out.custom_sections.remove(i);
    let map = move |p: usize| match p.cmp(&i) {
        std::cmp::Ordering::Less => Some(p),
        std::cmp::Ordering::Equal => None,
        std::cmp::Ordering::Greater => Some(p - 1),
    };
    finish(&before, out, BTreeSet::new(), map)
}

/// Removes symbol `s`, unless a relocation names it; INIT_FUNCS entries
/// naming it go with it.
pub fn remove_symbol(m: &ObjectModel, s: usize) -> Option<ObjectModel> {
    let before = section_indices(m);
    finish(&before, m.clone(), BTreeSet::from([s as u32]), identity)
}

/// Removes type `t` when nothing names it (functions, imports, tags,
/// `TYPE_INDEX_LEB` relocations); later types move down.
pub fn remove_type(m: &ObjectModel, t: usize) -> Option<ObjectModel> {
    let t = t as u32;
    let import_types = m.imports.iter().filter_map(|i| match i.kind {
        ImportKind::Func { type_index } | ImportKind::Tag { type_index } => Some(type_index),
        _ => None,
    });
    let type_relocs = relocs(m).filter(|r| !names_symbol(r)).map(|r| r.index);
    let mut used = m.functions.iter().map(|f| f.type_index).chain(m.tags.iter().copied()).chain(import_types).chain(type_relocs);
    if used.any(|u| u == t) {
        return None;
    }
    let mut out = m.clone();
    out.types.remove(t as usize);
    let shift = |x: &mut u32| {
        if *x > t {
            *x -= 1
        }
    };
    out.functions.iter_mut().for_each(|f| shift(&mut f.type_index));
    out.tags.iter_mut().for_each(shift);
    for i in &mut out.imports {
        if let ImportKind::Func { type_index } | ImportKind::Tag { type_index } = &mut i.kind {
            shift(type_index);
        }
    }
    relocs_mut(&mut out).filter(|r| !names_symbol(r)).for_each(|r| shift(&mut r.index));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use linkcheck_object::{flags, Body, FuncSig, ValTypeModel};

    fn sig() -> FuncSig {
        FuncSig::new(&[ValTypeModel::I32], &[ValTypeModel::I32])
    }

    /// f (calls g), g, h (a ctor), data d; g and the call are imports-after.
    fn model() -> ObjectModel {
        let mut m = ObjectModel::new();
        m.import_memory();
        let d = m.define_data("d", ".data.d", &[1, 2, 3, 4], 0);
        let g = m.define_func("g", sig(), Body::new(), 0);
        let mut b = Body::new();
        b.local_get(0).call(g).i32_const_addr(d, 0).i32_add();
        m.define_func("f", sig(), b, 0);
        let h = m.define_func("h", FuncSig::new(&[], &[]), Body::new(), flags::BINDING_LOCAL);
        m.add_init_func(1, h);
        m.undefined_func("u", "env", "u", sig(), 0);
        m
    }

    #[test]
    fn a_called_function_stays_until_its_caller_goes() {
        let m = model();
        assert_eq!(remove_function(&m, 0), None, "f calls g");
        let without_f = remove_function(&m, 1).unwrap();
        let without_g = remove_function(&without_f, 0).unwrap();
        assert_eq!(without_g.functions.len(), 1);
        let names: Vec<_> = (0..without_g.symbols.len() as u32).map(|s| without_g.symbol_name(s).unwrap()).collect();
        assert_eq!(names, ["d", "h", "u"]);
        // h was function 3 (after the import of u): now 1.
        assert_eq!(without_g.symbols[1].index, 1);
        assert_eq!(without_g.init_funcs[0].symbol, 1);
    }

    #[test]
    fn removing_a_ctor_drops_its_init_entry() {
        let m = model();
        let out = remove_function(&m, 2).unwrap();
        assert!(out.init_funcs.is_empty());
        assert_eq!(out.symbols.len(), m.symbols.len() - 1);
    }

    #[test]
    fn symbols_renumber_relocations() {
        let m = model();
        assert_eq!(remove_symbol(&m, 0), None, "f loads d");
        let out = remove_segment(&m, 0);
        assert_eq!(out, None, "d is still named by f's relocation");
        let out = remove_import(&m, 1).unwrap();
        assert_eq!(out.symbols.len(), m.symbols.len() - 1);
        // g: symbol 1 function 1 before (u's import was 0), function 0 after.
        assert_eq!(out.symbols[1].index, 0);
        let r: Vec<_> = out.functions[1].body.relocs.iter().map(|r| r.index).collect();
        assert_eq!(r, [1, 0]);
        assert_eq!(remove_import(&m, 0), None, "the memory import stays");
    }

    #[test]
    fn the_table_import_stays_while_an_address_is_taken() {
        let mut m = ObjectModel::new();
        m.import_memory();
        m.import_table();
        let g = m.define_func("g", sig(), Body::new(), 0);
        let mut b = Body::new();
        b.i32_const_table(g).drop();
        m.define_func("f", FuncSig::new(&[], &[]), b, 0);
        assert_eq!(remove_import(&m, 1), None, "f takes g's address");
        let without_f = remove_function(&m, 1).unwrap();
        assert!(remove_import(&without_f, 1).is_some(), "no table-index relocation left");
    }

    #[test]
    fn types_in_use_stay() {
        let m = model();
        assert_eq!(remove_type(&m, 0), None);
        let without_h = remove_function(&m, 2).unwrap();
        let out = remove_type(&without_h, 1).unwrap();
        assert_eq!(out.types.len(), 1);
    }

    #[test]
    fn section_symbols_follow_their_section() {
        let mut m = ObjectModel::new();
        m.add_custom_section(".debug_a", &[1]);
        m.add_custom_section(".debug_b", &[2]);
        let at = section_indices(&m);
        m.section_symbol(at.custom[1], flags::BINDING_LOCAL);
        m.section_symbol(at.custom[0], flags::BINDING_LOCAL);
        let out = remove_custom(&m, 0).unwrap();
        assert_eq!(out.symbols.len(), 1);
        assert_eq!(out.symbols[0].index, section_indices(&out).custom[0]);
    }
}
