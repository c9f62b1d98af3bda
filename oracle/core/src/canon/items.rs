//! The module-level items: imports, exports, globals, tables, memories,
//! tags, the start function and the `layout` values.

use super::data::Renderer;
use super::ids::Ctx;
use super::inputs::SymKind;
use super::output::ConstVal;
use super::{Item, Value};
use crate::describe::render_func;
use std::collections::BTreeMap;
use wasmparser::{ExternalKind, TypeRef, ValType};

/// Symbols the linker defines: their values are layout (`layout.NAME`).
pub const LINKER_SYMBOLS: &[&str] = &[
    "__stack_pointer",
    "__heap_base",
    "__heap_end",
    "__data_end",
    "__global_base",
    "__memory_base",
    "__table_base",
    "__dso_handle",
    "__stack_low",
    "__stack_high",
    "__tls_base",
    "__tls_size",
    "__tls_align",
    "__wasm_first_page_end",
];

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn item(summary: impl Into<String>, fields: impl IntoIterator<Item = (&'static str, Value)>) -> Item {
    Item { summary: summary.into(), fields: fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect() }
}

fn global_type(t: ValType, mutable: bool) -> String {
    format!("{}{t}", if mutable { "mut " } else { "" })
}

/// An import's type without limits (they are `layout.*`).
fn import_type(ctx: &Ctx<'_, '_>, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Func(t) | TypeRef::FuncExact(t) => ctx.sig(*t),
        TypeRef::Global(g) => format!("global {}", global_type(g.content_type, g.mutable)),
        TypeRef::Memory(m) => memory_type(m),
        TypeRef::Table(t) => format!("table {}{}", if t.table64 { "i64 " } else { "" }, t.element_type),
        TypeRef::Tag(t) => tag_type(ctx, t.func_type_idx),
    }
}

fn memory_type(m: &wasmparser::MemoryType) -> String {
    let mut s = "memory".to_string();
    if m.memory64 {
        s += " i64";
    }
    if m.shared {
        s += " shared";
    }
    if let Some(p) = m.page_size_log2 {
        s += &format!(" pagesize 2^{p}");
    }
    s
}

fn tag_type(ctx: &Ctx<'_, '_>, t: u32) -> String {
    match ctx.out.func_type(t) {
        Some(f) => format!("tag {}", render_func(f).trim_start_matches("func ")),
        None => format!("tag type#{t}"),
    }
}

/// Adds imports, exports, globals, tables, memories, tags, start and
/// layout values.
pub(crate) fn module_items(ctx: &Ctx<'_, '_>, r: &Renderer<'_, '_, '_>, items: &mut BTreeMap<String, Item>) {
    let out = ctx.out;
    let mut layout: BTreeMap<String, Value> = BTreeMap::new();
    let mut set = |key: String, v: String| {
        layout.insert(key, text(v));
    };

    for imp in &out.imports {
        let (kind, name) = match imp.ty {
            TypeRef::Func(_) | TypeRef::FuncExact(_) => (SymKind::Func, out.names.funcs.get(&imp.index)),
            TypeRef::Global(_) => (SymKind::Global, out.names.globals.get(&imp.index)),
            TypeRef::Tag(_) => (SymKind::Tag, out.names.tags.get(&imp.index)),
            TypeRef::Table(_) => (SymKind::Table, out.names.tables.get(&imp.index)),
            TypeRef::Memory(_) => (SymKind::Section, None),
        };
        let declared = declared_import(ctx, kind, name.unwrap_or(&imp.field));
        let (m, f) = declared.unwrap_or((imp.module.clone(), imp.field.clone()));
        let mut key = format!("import.{m}.{f}");
        let mut k = 1;
        while items.contains_key(&key) {
            k += 1;
            key = format!("import.{m}.{f}#{k}");
        }
        let ty = import_type(ctx, &imp.ty);
        let summary = format!("{}.{} {ty}", imp.module, imp.field);
        items.insert(
            key,
            item(summary, [("module", text(&imp.module)), ("field", text(&imp.field)), ("type", text(ty))]),
        );
    }

    for (name, kind, index) in &out.exports {
        let (kind, target) = match kind {
            ExternalKind::Func | ExternalKind::FuncExact => ("func", ctx.func(*index)),
            ExternalKind::Global => ("global", ctx.global(*index)),
            ExternalKind::Table => ("table", ctx.table(*index)),
            ExternalKind::Memory => ("memory", memory_id(*index)),
            ExternalKind::Tag => ("tag", ctx.tag(*index)),
        };
        items.insert(
            format!("export.{name}"),
            item(format!("{kind} {target}"), [("kind", text(kind)), ("target", text(target))]),
        );
    }

    let imported_globals = out.imports.iter().filter(|i| matches!(i.ty, TypeRef::Global(_))).count();
    for (g, global) in out.globals.iter().enumerate().skip(imported_globals) {
        let id = ctx.global(g as u32);
        let ty = global_type(global.ty.content_type, global.ty.mutable);
        // wasm64: the linker's address globals, GOT entries and data
        // exports are i64.
        let value = match &global.init {
            Some(ConstVal::I32(v)) => Some((*v as u32 as u64, "i32")),
            Some(ConstVal::I64(v)) => Some((*v as u64, "i64")),
            _ => None,
        };
        let init = match (&global.init, value) {
            (_, Some((v, _))) if LINKER_SYMBOLS.contains(&id.as_str()) => {
                set(id.clone(), v.to_string());
                "(layout)".to_string()
            }
            // A GOT entry (DynamicLinking.md) holds an address or a table
            // slot: named by what it points to, as the layout differs.
            (_, Some((v, ty))) => {
                let raw = || if ty == "i32" { format!("i32.const {}", v as u32 as i32) } else { format!("i64.const {}", v as i64) };
                match (id.strip_prefix("GOT.func.internal."), got_data_name(&id)) {
                    (Some(f), _) => match named_def(ctx, SymKind::Func, f) {
                        Some((o, s)) => r.slot(ctx, o, s, v),
                        None => raw(),
                    },
                    (None, data) => match address_global(ctx, data) {
                        Some((o, s)) => r.address(ctx, o, s, 0, v),
                        None => raw(),
                    },
                }
            }
            (Some(ConstVal::GlobalGet(i)), _) => format!("global.get {}", ctx.global(*i)),
            (Some(ConstVal::RefFunc(f)), _) => format!("ref.func {}", ctx.func(*f)),
            (Some(ConstVal::RefNull), _) => "ref.null".to_string(),
            (Some(ConstVal::Other(s)), _) => s.clone(),
            (Some(c @ (ConstVal::I32(_) | ConstVal::I64(_))), None) => format!("{c:?}"),
            (None, _) => "(imported)".to_string(),
        };
        items.insert(format!("global.{id}"), item(format!("global {ty}"), [("type", text(ty)), ("init", text(init))]));
    }

    for (t, table) in out.tables.iter().enumerate() {
        let id = ctx.table(t as u32);
        let mut elements: Vec<String> = out
            .elements
            .iter()
            .filter(|e| e.active.is_some_and(|(et, _)| et == t as u32))
            .flat_map(|e| e.funcs.iter().map(|f| f.map_or_else(|| "null".to_string(), |f| ctx.func(f))))
            .collect();
        elements.sort();
        let ty = format!("{}{}", if table.table64 { "i64 " } else { "" }, table.element_type);
        set(format!("table.{id}.initial"), table.initial.to_string());
        set(format!("table.{id}.maximum"), table.maximum.map_or_else(|| "none".into(), |m| m.to_string()));
        items.insert(
            format!("table.{id}"),
            item(format!("table {ty}"), [("type", text(ty)), ("elements", text(elements.join(", ")))]),
        );
    }

    for (i, m) in out.memories.iter().enumerate() {
        let id = memory_id(i as u32);
        set(format!("{id}.initial"), m.initial.to_string());
        set(format!("{id}.maximum"), m.maximum.map_or_else(|| "none".into(), |m| m.to_string()));
        items.insert(id, item(memory_type(m), [("type", text(memory_type(m)))]));
    }

    for (t, &ty) in out.tags.iter().enumerate() {
        let ty = tag_type(ctx, ty);
        items.insert(format!("tag.{}", ctx.tag(t as u32)), item(ty.clone(), [("type", text(ty))]));
    }

    if let Some(f) = out.start {
        items.insert("start".to_string(), item(ctx.func(f), [("function", text(ctx.func(f)))]));
    }

    for (name, values) in &r.placement.layout {
        let joined: Vec<String> = values.iter().map(u64::to_string).collect();
        layout.insert(name.clone(), text(joined.join(" | ")));
    }
    items.insert("layout".to_string(), Item { summary: "layout values".into(), fields: layout });
}

/// `memory` for memory 0, `memory#N` for the others.
fn memory_id(i: u32) -> String {
    if i == 0 {
        "memory".to_string()
    } else {
        format!("memory.{i}")
    }
}

/// The data symbol a global named `id` holds the address of, if any (see
/// [`super::place::global_addresses`]).
/// The data symbol an internal GOT global of data (`GOT.data.internal.X`)
/// holds the address of, else `id` itself.
fn got_data_name(id: &str) -> &str {
    id.strip_prefix("GOT.data.internal.").unwrap_or(id)
}

/// The first non-local definition of `name` as a `kind` symbol.
fn named_def(ctx: &Ctx<'_, '_>, kind: SymKind, name: &str) -> Option<(usize, u32)> {
    let defs = ctx.defs.get(&(kind, name.to_string()))?;
    defs.iter().find(|&&(o, s)| !ctx.ins[o].symbols[s as usize].is_local()).copied()
}

fn address_global(ctx: &Ctx<'_, '_>, id: &str) -> Option<(usize, u32)> {
    if ctx.defs.contains_key(&(SymKind::Global, id.to_string())) {
        return None;
    }
    let defs = ctx.defs.get(&(SymKind::Data, id.to_string()))?;
    defs.iter().find(|&&(o, s)| !ctx.ins[o].symbols[s as usize].is_local()).copied()
}

/// The `(module, field)` the first input that imports symbol `name` (an
/// undefined symbol of `kind`) declares.
fn declared_import(ctx: &Ctx<'_, '_>, kind: SymKind, name: &str) -> Option<(String, String)> {
    if kind == SymKind::Section {
        return None;
    }
    let want = |t: &TypeRef| match kind {
        SymKind::Func => matches!(t, TypeRef::Func(_) | TypeRef::FuncExact(_)),
        SymKind::Global => matches!(t, TypeRef::Global(_)),
        SymKind::Tag => matches!(t, TypeRef::Tag(_)),
        SymKind::Table => matches!(t, TypeRef::Table(_)),
        _ => false,
    };
    ctx.ins.iter().find_map(|obj| {
        obj.symbols.iter().find_map(|s| {
            if s.kind != kind || s.is_defined() || s.name.as_deref() != Some(name) {
                return None;
            }
            obj.imports.iter().filter(|i| want(&i.2)).nth(s.index as usize).map(|i| (i.0.clone(), i.1.clone()))
        })
    })
}
