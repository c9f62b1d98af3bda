//! Relocated constants as symbol + offset, and the `data.*` items: each
//! placed data symbol's bytes, relocated words written as what they point to.

use super::funcs::SiteRenderer;
use super::ids::{base_name, Ctx};
use super::ops::{site_kind, SiteKind};
use super::place::{data_width, Image, Placement};
use super::{Item, Value};
use std::collections::BTreeMap;
use wasmparser::RelocationEntry;

/// Renders sites with a placement and the memory image.
pub(crate) struct Renderer<'p, 'a, 'b> {
    pub placement: &'p Placement,
    pub image: &'p Image<'a, 'b>,
}

/// `&id`, `&id+4`, `&id-8`.
pub(crate) fn sym_plus(id: &str, addend: i64) -> String {
    match addend {
        0 => format!("&{id}"),
        a if a > 0 => format!("&{id}+{a}"),
        a => format!("&{id}-{}", a.unsigned_abs()),
    }
}

impl Renderer<'_, '_, '_> {
    /// What address `value` points into: `&ID+N` of the placed symbol
    /// containing it (or ending there), else `?0xVALUE`.
    pub fn locate(&self, value: u64) -> String {
        let syms = &self.placement.syms;
        let upto = syms.partition_point(|s| s.0 <= value);
        let inside = syms[..upto].iter().rev().filter(|s| value < s.0 + s.1).min_by_key(|s| s.1);
        let at_end = || syms[..upto].iter().rev().find(|s| value == s.0 + s.1);
        match inside.or_else(at_end) {
            Some((a, _, id)) => sym_plus(id, (value - a) as i64),
            None => format!("?{value:#x}"),
        }
    }

    /// An address `value` meant to be `&symbol + addend` (symbol `sym` of
    /// object `o`): `&ID+A` when it is, else what it points to and
    /// `(reloc: &ID+A)`.
    pub fn address(&self, ctx: &Ctx<'_, '_>, o: usize, sym: u32, addend: i64, value: u64) -> String {
        let Some((o2, s2)) = ctx.resolve(o, sym) else {
            // Undefined everywhere: linker-defined (or undefined weak); its
            // value is a `layout.*` entry.
            let name = ctx.ins[o].symbols.get(sym as usize).and_then(|s| s.name.clone()).unwrap_or_default();
            return sym_plus(&name, addend);
        };
        let id = ctx.def_id(o2, s2);
        let intended = sym_plus(&id, addend);
        let Some((seg, off, _)) = ctx.ins[o2].symbols[s2 as usize].data else { return intended };
        match self.placement.segs.get(&(o2, seg)) {
            Some(&a) if (a as i128 + off as i128 + addend as i128) == value as i128 => intended,
            Some(_) => format!("{} (reloc: {intended})", self.locate(value)),
            None => format!("{intended} (unplaced)"),
        }
    }

    /// A table slot meant to hold function symbol `sym` of object `o`.
    pub fn slot(&self, ctx: &Ctx<'_, '_>, o: usize, sym: u32, value: u64) -> String {
        let out = ctx.out;
        let table = ctx.tables.iter().position(|t| t == "__indirect_function_table").unwrap_or(0) as u32;
        let name = ctx.ins[o].symbols.get(sym as usize).and_then(|s| s.name.clone()).unwrap_or_default();
        let (text, id) = match out.table_slot(table, value as i64) {
            None if value == 0 => ("null".to_string(), None),
            None => (format!("slot(?{value})"), None),
            Some(None) => ("slot(null)".to_string(), None),
            Some(Some(f)) => {
                let id = ctx.func(f);
                (format!("slot({id})"), Some(id))
            }
        };
        let consistent = match &id {
            Some(id) => base_name(id) == name || id.ends_with(&format!(":{name}")),
            // A null slot is right for an undefined (weak) function only.
            None => ctx.resolve(o, sym).is_none_or(|(o2, s2)| !ctx.ins[o2].symbols[s2 as usize].is_defined()),
        };
        if consistent {
            text
        } else {
            format!("{text} (reloc: {name})")
        }
    }
}

impl SiteRenderer for Renderer<'_, '_, '_> {
    fn site(&self, ctx: &Ctx<'_, '_>, obj: usize, r: &RelocationEntry, value: u64) -> String {
        let name = || ctx.ins[obj].symbols.get(r.index as usize).and_then(|s| s.name.clone()).unwrap_or_default();
        match site_kind(r.ty) {
            SiteKind::MemAddr => self.address(ctx, obj, r.index, r.addend, value),
            SiteKind::TableSlot => self.slot(ctx, obj, r.index, value),
            SiteKind::FuncIndex => format!("func({})", ctx.func(value as u32)),
            SiteKind::GlobalIndex => format!("global({})", ctx.global(value as u32)),
            // Unchecked: the value depends on a base known at run time.
            SiteKind::Relative => format!("{:?}({})", r.ty, sym_plus(&name(), r.addend)),
            SiteKind::Index | SiteKind::Other => format!("{:?}", r.ty),
        }
    }
}

/// `data.ID` items: one per data symbol of size > 0 in a placed segment
/// (one per segment, named by the segment, when it has no symbol); a weak
/// symbol another definition overrides names nothing.
pub(crate) fn data_items(ctx: &Ctx<'_, '_>, r: &Renderer<'_, '_, '_>, items: &mut BTreeMap<String, Item>) {
    let mut placed: Vec<(&(usize, u32), &u64)> = r.placement.segs.iter().collect();
    placed.sort();
    for (&(o, s), &address) in placed {
        let obj = &ctx.ins[o];
        let seg = &obj.segments[s as usize];
        let mut pieces: Vec<(String, u32, u32)> = obj
            .symbols
            .iter()
            .enumerate()
            .filter_map(|(si, sym)| match sym.data {
                Some((seg_i, off, size)) if seg_i == s && size > 0 && ctx.names_itself(o, si as u32) => {
                    Some((ctx.def_id(o, si as u32), off, size))
                }
                _ => None,
            })
            .collect();
        if pieces.is_empty() {
            let shared = ctx.ins.iter().enumerate().any(|(o2, x)| o2 != o && x.segments.iter().any(|g| g.name == seg.name));
            let id = if shared { format!("{}<{}>", seg.name, obj.name) } else { seg.name.clone() };
            pieces.push((id, 0, seg.bytes.len() as u32));
        }
        let relocs = obj.segment_relocs(s);
        for (id, off, size) in pieces {
            let start = address + off as u64;
            let mut bytes: Vec<Option<u8>> = (0..size as u64).map(|i| Some(r.image.byte(start + i))).collect();
            let mut fields = BTreeMap::new();
            for (at, rel) in relocs.iter().filter(|(at, _)| *at >= off as usize && *at < (off + size) as usize) {
                let n = at - off as usize;
                for b in bytes.iter_mut().skip(n).take(rel.ty.extent()) {
                    *b = None;
                }
                let value = r.image.word(address + *at as u64, data_width(rel.ty));
                let text = match site_kind(rel.ty) {
                    SiteKind::Relative if rel.ty == wasmparser::RelocationType::MemoryAddrLocrelI32 => {
                        // Relative to the field itself.
                        let target = (value as u32 as i32 as i64 + (address + *at as u64) as i64) as u64;
                        r.address(ctx, o, rel.index, rel.addend, target)
                    }
                    _ => r.site(ctx, o, rel, value),
                };
                fields.insert(format!("word@{n}"), Value::Text(text));
            }
            fields.insert("size".to_string(), Value::Text(size.to_string()));
            fields.insert("bytes".to_string(), Value::Bytes(bytes));
            let mut key = format!("data.{id}");
            let mut k = 1;
            while items.contains_key(&key) {
                k += 1;
                key = format!("data.{id}#{k}");
            }
            items.insert(key, Item { summary: format!("{size} bytes in {}", seg.name), fields });
        }
    }
}
