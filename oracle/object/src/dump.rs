//! A short, readable text form of an [`ObjectModel`] (for reducers and
//! failure messages): types, imports, symbols with their `WASM_SYM_*` flags
//! (Linking.md, "Symbol table subsection"), segments with SEGMENT_INFO,
//! relocations with symbol names, bodies as hex with relocation markers.

use std::fmt::Write;

use super::model::*;
use super::reloc_type::{Field, RelocType};

const FLAG_NAMES: [(u32, &str); 9] = [
    (0x1, "WEAK"),
    (0x2, "LOCAL"),
    (0x4, "HIDDEN"),
    (0x10, "UNDEFINED"),
    (0x20, "EXPORTED"),
    (0x40, "EXPLICIT_NAME"),
    (0x80, "NO_STRIP"),
    (0x100, "TLS"),
    (0x200, "ABSOLUTE"),
];

/// `WASM_SYM_*` flags as `WEAK|UNDEFINED` (unknown bits as hex; `-` for none).
pub fn flag_names(flags: u32) -> String {
    let mut parts: Vec<String> =
        FLAG_NAMES.iter().filter(|(bit, _)| flags & bit != 0).map(|(_, n)| n.to_string()).collect();
    let known: u32 = FLAG_NAMES.iter().map(|(b, _)| b).fold(0, |a, b| a | b);
    if flags & !known != 0 {
        parts.push(format!("{:#x}", flags & !known));
    }
    if parts.is_empty() {
        "-".into()
    } else {
        parts.join("|")
    }
}

fn ty(t: ValTypeModel) -> &'static str {
    match t {
        ValTypeModel::I32 => "i32",
        ValTypeModel::I64 => "i64",
        ValTypeModel::F32 => "f32",
        ValTypeModel::F64 => "f64",
        ValTypeModel::V128 => "v128",
        ValTypeModel::FuncRef => "funcref",
        ValTypeModel::ExternRef => "externref",
    }
}

fn sig(s: &FuncSig) -> String {
    let p: Vec<_> = s.params.iter().map(|&t| ty(t)).collect();
    let r: Vec<_> = s.results.iter().map(|&t| ty(t)).collect();
    format!("({}) -> ({})", p.join(", "), r.join(", "))
}

/// A relocation's target as text: `sym 3 (name)+addend` or `type 2`.
fn target(m: &ObjectModel, r: &RelocModel) -> String {
    let short = r.ty.name().trim_start_matches("R_WASM_").to_string();
    if r.ty == RelocType::TypeIndexLeb {
        return format!("{short} type {}", r.index);
    }
    let name = display_name(m, r.index);
    let addend = if r.ty.has_addend() && r.addend != 0 { format!("{:+}", r.addend) } else { String::new() };
    format!("{short} sym {} ({name}){addend}", r.index)
}

/// A symbol's name for the dump: [`ObjectModel::symbol_name`], for a section
/// symbol the section's name (`CODE`, `DATA` or the custom name), `?` if
/// there is none.
fn display_name(m: &ObjectModel, symbol: u32) -> String {
    if let Some(name) = m.symbol_name(symbol) {
        return name;
    }
    match m.symbols.get(symbol as usize) {
        Some(s) if s.kind == SymbolKind::Section => {
            let at = super::encode::section_indices(m);
            let custom = at.custom.iter().position(|&c| c == s.index);
            if let Some(c) = custom {
                m.custom_sections[c].name.clone()
            } else if at.code == Some(s.index) {
                "CODE".into()
            } else if at.data == Some(s.index) {
                "DATA".into()
            } else {
                format!("section {}", s.index)
            }
        }
        _ => "?".into(),
    }
}

/// Bytes as hex with every relocation site shown as `[TYPE sym N (name)]`.
fn hex_with_sites(m: &ObjectModel, bytes: &[u8], relocs: &[RelocModel]) -> String {
    let mut sites: Vec<&RelocModel> = relocs.iter().collect();
    sites.sort_by_key(|r| r.offset);
    let mut out = Vec::new();
    let mut i = 0usize;
    let mut next = sites.into_iter().peekable();
    while i < bytes.len() {
        if let Some(r) = next.next_if(|r| r.offset as usize <= i) {
            let w = r.ty.field().map_or(0, Field::width);
            out.push(format!("[{}]", target(m, r)));
            i = i.max(r.offset as usize + w);
            continue;
        }
        out.push(format!("{:02x}", bytes[i]));
        i += 1;
    }
    for r in next {
        out.push(format!("[{} @{} outside]", target(m, r), r.offset));
    }
    out.join(" ")
}

/// The text dump of `m`.
pub fn dump(m: &ObjectModel) -> String {
    let mut s = String::new();
    let w = &mut s;
    if m.omit_linking {
        let _ = writeln!(w, "module (no linking section)");
    } else {
        let _ = writeln!(w, "object (linking version {})", m.linking_version);
    }
    for (i, t) in m.types.iter().enumerate() {
        let _ = writeln!(w, "type {i}: {}", sig(t));
    }
    let mut counters = [0u32; 5];
    for imp in &m.imports {
        let (slot, what) = match &imp.kind {
            ImportKind::Func { type_index } => (0, format!("func type {type_index}")),
            ImportKind::Global { ty: t, mutable } => {
                (1, format!("global {}{}", if *mutable { "mut " } else { "" }, ty(*t)))
            }
            ImportKind::Table { min, table64 } => (2, format!("table{} min {min}", if *table64 { " i64" } else { "" })),
            ImportKind::Memory { min, memory64 } => (3, format!("memory{} min {min}", if *memory64 { " i64" } else { "" })),
            ImportKind::Tag { type_index } => (4, format!("tag type {type_index}")),
        };
        let _ = writeln!(w, "import {} {}.{}: {what}", counters[slot], imp.module, imp.field);
        counters[slot] += 1;
    }
    for (i, g) in m.globals.iter().enumerate() {
        let mutable = if g.mutable { "mut " } else { "" };
        let init = match &g.init_expr {
            Some(expr) => format!("expr {}", expr.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")),
            None => g.init.to_string(),
        };
        let _ = writeln!(w, "global {}: {mutable}{} = {init}", counters[1] + i as u32, ty(g.ty));
    }
    for e in &m.exports {
        let _ = writeln!(w, "export {:?}: func {}", e.name, e.index);
    }
    for (i, t) in m.tables.iter().enumerate() {
        let _ = writeln!(w, "table {}: min {} max {:?}", counters[2] + i as u32, t.min, t.max);
    }
    for (i, t) in m.tags.iter().enumerate() {
        let _ = writeln!(w, "tag {}: type {t}", counters[4] + i as u32);
    }
    for (i, f) in m.functions.iter().enumerate() {
        let locals: Vec<_> = f.locals.iter().map(|&t| ty(t)).collect();
        let end = if f.body.closed { "" } else { " (+end)" };
        let _ = writeln!(
            w,
            "func {}: type {} locals [{}]: {}{end}",
            counters[0] + i as u32,
            f.type_index,
            locals.join(", "),
            hex_with_sites(m, &f.body.code, &f.body.relocs)
        );
    }
    for (i, seg) in m.segments.iter().enumerate() {
        let zeros = if seg.zeros > 0 { format!(" +{} zeros", seg.zeros) } else { String::new() };
        let _ = writeln!(
            w,
            "segment {i} {:?}: align 2^{} flags {:#x}{} size {}: {}{zeros}",
            seg.name,
            seg.align_log2,
            seg.flags,
            if seg.passive { " passive" } else { "" },
            seg.size(),
            hex_with_sites(m, &seg.data, &seg.relocs)
        );
    }
    for (i, sym) in m.symbols.iter().enumerate() {
        let kind = format!("{:?}", sym.kind).to_lowercase();
        let name = display_name(m, i as u32);
        let place = match (sym.kind, sym.data) {
            (SymbolKind::Data, Some(d)) => format!("segment {} +{} size {}", d.segment, d.offset, d.size),
            (SymbolKind::Data, None) => String::new(),
            _ => format!("index {}", sym.index),
        };
        let _ = writeln!(w, "symbol {i} {kind} {name:?} {place} [{}]", flag_names(sym.flags));
    }
    for f in &m.init_funcs {
        let name = display_name(m, f.symbol);
        let _ = writeln!(w, "init priority {} sym {} ({name})", f.priority, f.symbol);
    }
    for c in &m.comdats {
        let members: Vec<_> = c.members.iter().map(|x| format!("{:?} {}", x.kind, x.index)).collect();
        let _ = writeln!(w, "comdat {:?}: {}", c.name, members.join(", "));
    }
    for c in &m.custom_sections {
        let _ = writeln!(w, "custom {:?}: {}", c.name, hex_with_sites(m, &c.data, &c.relocs));
    }
    for f in &m.features {
        let _ = writeln!(w, "feature {}{}", f.prefix, f.name);
    }
    for p in &m.producers {
        let v: Vec<_> = p.values.iter().map(|(n, v)| format!("{n} {v}")).collect();
        let _ = writeln!(w, "producers {}: {}", p.name, v.join(", "));
    }
    s
}
