//! Where each input data segment lies in the output's memory, inferred
//! from the output alone (no layout algorithm is assumed):
//!
//! - every relocated address constant of a matched function votes for the
//!   address of the segment holding its symbol (`value - addend - offset`);
//! - so does every global named like a data symbol (an exported address),
//!   and every relocated address word inside a segment already placed;
//! - a candidate address whose memory holds the segment's bytes (relocated
//!   words aside) scores extra, and when the votes point where the bytes
//!   are not, the bytes are searched for.
//!
//! The best-scoring candidate wins; rounds repeat until nothing moves. A
//! segment no constant points into is not placed (its data is not listed),
//! unless it is retained (`NO_STRIP`, `WASM_SEG_FLAG_RETAIN`) and its bytes
//! occur exactly once.

use super::funcs::Site;
use super::ids::Ctx;
use super::inputs::SymKind;
use super::ops::{site_kind, SiteKind};
use super::output::{ConstVal, OutModule};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use wasmparser::RelocationType;

/// Largest memory image built flat (bytes); beyond it bytes are looked up
/// segment by segment and never searched.
const MAX_FLAT_IMAGE: u64 = 1 << 28;

/// The output's initial memory contents.
pub(crate) struct Image<'a, 'b> {
    out: &'b OutModule<'a>,
    base: u64,
    flat: Option<Vec<u8>>,
}

impl<'a, 'b> Image<'a, 'b> {
    pub fn new(out: &'b OutModule<'a>) -> Self {
        let spans: Vec<(u64, u64)> =
            out.data.iter().filter_map(|d| d.address.map(|a| (a, a + d.bytes.len() as u64))).collect();
        let base = spans.iter().map(|s| s.0).min().unwrap_or(0);
        let end = spans.iter().map(|s| s.1).max().unwrap_or(0);
        let flat = (end - base <= MAX_FLAT_IMAGE).then(|| {
            let mut v = vec![0u8; (end - base) as usize];
            for d in &out.data {
                if let Some(a) = d.address {
                    let at = (a - base) as usize;
                    v[at..at + d.bytes.len()].copy_from_slice(d.bytes);
                }
            }
            v
        });
        Image { out, base, flat }
    }

    pub fn byte(&self, address: u64) -> u8 {
        match &self.flat {
            Some(v) => address.checked_sub(self.base).and_then(|i| v.get(i as usize).copied()).unwrap_or(0),
            None => self.out.byte_at(address),
        }
    }

    /// A little-endian word of `width` bytes.
    pub fn word(&self, address: u64, width: usize) -> u64 {
        (0..width as u64).rev().fold(0, |acc, i| (acc << 8) | self.byte(address + i) as u64)
    }

    /// Whether `pattern` (None: any byte) is at `address`.
    fn matches(&self, address: u64, pattern: &[Option<u8>]) -> bool {
        pattern.iter().enumerate().all(|(i, b)| b.is_none_or(|b| self.byte(address + i as u64) == b))
    }

    /// Up to two addresses, multiples of `align`, where `pattern` occurs;
    /// none when the pattern has no non-zero byte.
    fn search(&self, pattern: &[Option<u8>], align: u64) -> Vec<u64> {
        let Some(v) = &self.flat else { return Vec::new() };
        let Some((k, anchor)) = pattern.iter().enumerate().find_map(|(i, b)| b.filter(|&b| b != 0).map(|b| (i, b))) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        for (i, _) in v.iter().enumerate().filter(|(_, &b)| b == anchor) {
            let Some(start) = (self.base + i as u64).checked_sub(k as u64) else { continue };
            if start % align == 0 && self.matches(start, pattern) {
                found.push(start);
                if found.len() == 2 {
                    break;
                }
            }
        }
        found
    }
}

/// The width in bytes of a data relocation's field.
pub(crate) fn data_width(ty: RelocationType) -> usize {
    ty.extent()
}

/// The inferred placement of input data.
#[derive(Default)]
pub(crate) struct Placement {
    /// `(object, segment)` -> address.
    pub segs: HashMap<(usize, u32), u64>,
    /// Placed data symbols: `(address, size, id)`, by address.
    pub syms: Vec<(u64, u64, String)>,
    /// Undefined data symbols (linker-defined ones among them) -> the
    /// addresses sites and globals give them.
    pub layout: BTreeMap<String, BTreeSet<u64>>,
}

/// A segment's bytes as a pattern: relocated fields are `None`.
pub(crate) fn pattern(ctx: &Ctx<'_, '_>, o: usize, s: u32) -> Vec<Option<u8>> {
    let obj = &ctx.ins[o];
    let mut p: Vec<Option<u8>> = obj.segments[s as usize].bytes.iter().map(|&b| Some(b)).collect();
    for (off, r) in obj.segment_relocs(s) {
        for b in p.iter_mut().skip(off).take(r.ty.extent()) {
            *b = None;
        }
    }
    p
}

/// Infers where every referenced input segment lies.
pub(crate) fn place(ctx: &Ctx<'_, '_>, code_sites: &[Site], image: &Image<'_, '_>) -> Placement {
    let mut p = Placement::default();
    let patterns: HashMap<(usize, u32), Vec<Option<u8>>> = ctx
        .ins
        .iter()
        .enumerate()
        .flat_map(|(o, obj)| (0..obj.segments.len() as u32).map(move |s| (o, s)))
        .map(|k| (k, pattern(ctx, k.0, k.1)))
        .collect();
    for _round in 0..8 {
        let mut votes: HashMap<(usize, u32), BTreeMap<u64, u32>> = HashMap::new();
        let mut layout: BTreeMap<String, BTreeSet<u64>> = BTreeMap::new();
        let mut vote = |o: usize, sym: u32, addend: i64, value: u64| {
            match ctx.resolve(o, sym) {
                Some((o2, s2)) => {
                    if let Some((seg, off, _)) = ctx.ins[o2].symbols[s2 as usize].data {
                        let c = value as i128 - addend as i128 - off as i128;
                        if c >= 0 {
                            *votes.entry((o2, seg)).or_default().entry(c as u64).or_default() += 1;
                        }
                    }
                }
                None => {
                    let sym = &ctx.ins[o].symbols[sym as usize];
                    if let (SymKind::Data, Some(name)) = (sym.kind, &sym.name) {
                        layout.entry(name.clone()).or_default().insert(value.wrapping_sub(addend as u64));
                    }
                }
            }
        };
        for site in code_sites.iter().filter(|s| site_kind(s.reloc.ty) == SiteKind::MemAddr) {
            vote(site.obj, site.reloc.index, site.reloc.addend, site.value);
        }
        for (o, s, address) in global_addresses(ctx) {
            vote(o, s, 0, address);
        }
        for (&(o, s), &address) in &p.segs {
            for (off, r) in ctx.ins[o].segment_relocs(s) {
                if site_kind(r.ty) == SiteKind::MemAddr {
                    vote(o, r.index, r.addend, image.word(address + off as u64, data_width(r.ty)));
                }
            }
        }
        let mut segs = HashMap::new();
        for (&(o, s), candidates) in &votes {
            let pat = &patterns[&(o, s)];
            let align = 1u64 << ctx.ins[o].segments[s as usize].align_log2.min(32);
            let nonzero = pat.iter().any(|b| b.is_some_and(|b| b != 0));
            let bonus = |c: u64| match (image.matches(c, pat), nonzero) {
                (false, _) => 0,
                (true, true) => 3,
                (true, false) => 1,
            };
            let mut scored: Vec<(u32, u64)> = candidates.iter().map(|(&c, &n)| (2 * n + bonus(c), c)).collect();
            if nonzero && !candidates.keys().any(|&c| image.matches(c, pat)) {
                scored.extend(image.search(pat, align).into_iter().map(|c| (bonus(c), c)));
            }
            // Highest score; among equals the lowest address.
            if let Some(&(_, c)) = scored.iter().max_by_key(|(score, c)| (*score, std::cmp::Reverse(*c))) {
                segs.insert((o, s), c);
            }
        }
        for (o, obj) in ctx.ins.iter().enumerate() {
            for (s, seg) in obj.segments.iter().enumerate() {
                let key = (o, s as u32);
                if segs.contains_key(&key) || !retained(ctx, o, s as u32, seg.flags) {
                    continue;
                }
                let align = 1u64 << seg.align_log2.min(32);
                if let [c] = image.search(&patterns[&key], align)[..] {
                    segs.insert(key, c);
                }
            }
        }
        p.layout = layout;
        if segs == p.segs {
            break;
        }
        p.segs = segs;
    }
    p.syms = placed_symbols(ctx, &p.segs);
    p
}

/// `(object, data symbol, address)` of each output global that holds a
/// data symbol's address: named like a non-local defined data symbol that
/// no input defines as a wasm global.
pub(crate) fn global_addresses(ctx: &Ctx<'_, '_>) -> Vec<(usize, u32, u64)> {
    let mut out = Vec::new();
    for (g, global) in ctx.out.globals.iter().enumerate() {
        let Some(ConstVal::I32(v)) = global.init else { continue };
        let name = &ctx.globals[g];
        if ctx.defs.contains_key(&(SymKind::Global, name.clone())) {
            continue;
        }
        if let Some(defs) = ctx.defs.get(&(SymKind::Data, name.clone())) {
            if let Some(&(o, s)) = defs.iter().find(|&&(o, s)| !ctx.ins[o].symbols[s as usize].is_local()) {
                out.push((o, s, v as u32 as u64));
            }
        }
    }
    out
}

/// Whether a segment is kept without references: a `NO_STRIP` symbol in
/// it, or `WASM_SEG_FLAG_RETAIN`.
fn retained(ctx: &Ctx<'_, '_>, o: usize, s: u32, flags: u32) -> bool {
    const NO_STRIP: u32 = 0x80;
    const RETAIN: u32 = 0x4;
    flags & RETAIN != 0
        || ctx.ins[o].symbols.iter().any(|sym| sym.flags & NO_STRIP != 0 && sym.data.is_some_and(|d| d.0 == s))
}

fn placed_symbols(ctx: &Ctx<'_, '_>, segs: &HashMap<(usize, u32), u64>) -> Vec<(u64, u64, String)> {
    let mut syms = Vec::new();
    for (o, obj) in ctx.ins.iter().enumerate() {
        for (si, sym) in obj.symbols.iter().enumerate() {
            if let (SymKind::Data, Some((seg, off, size))) = (sym.kind, sym.data) {
                if let (Some(&a), true) = (segs.get(&(o, seg)), ctx.names_itself(o, si as u32)) {
                    syms.push((a + off as u64, size as u64, ctx.def_id(o, si as u32)));
                }
            }
        }
    }
    syms.sort();
    syms
}
