//! One operator as canonical text: every function, global, table, tag and
//! type index replaced by what it denotes (an id, a signature); everything
//! else as wasmparser prints it.

use super::ids::Ctx;
use wasmparser::{Operator, RelocationType};

/// What a relocation at an operator means for the canonical form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SiteKind {
    /// An index immediate (function, global, type, table, tag): the
    /// operator's own rendering names its target; no site.
    Index,
    /// An absolute memory address (`MEMORY_ADDR_{LEB,SLEB,I32}` and 64-bit).
    MemAddr,
    /// A table slot (`TABLE_INDEX_{SLEB,I32}` and 64-bit).
    TableSlot,
    /// A value relative to a base the module computes at run time
    /// (`*_REL_SLEB`, `*_TLS_SLEB`, `MEMORY_ADDR_LOCREL_I32`): rendered
    /// from the relocation alone, not checked against the output.
    Relative,
    /// A function index stored as data (`FUNCTION_INDEX_I32`).
    FuncIndex,
    /// A global index stored as data (`GLOBAL_INDEX_I32`).
    GlobalIndex,
    /// Offsets into sections (debug info): not canonicalized.
    Other,
}

/// The kind of site a relocation type makes.
pub(crate) fn site_kind(ty: RelocationType) -> SiteKind {
    use RelocationType::*;
    match ty {
        FunctionIndexLeb | TypeIndexLeb | GlobalIndexLeb | EventIndexLeb | TableNumberLeb => SiteKind::Index,
        MemoryAddrLeb | MemoryAddrSleb | MemoryAddrI32 | MemoryAddrLeb64 | MemoryAddrSleb64 | MemoryAddrI64 => {
            SiteKind::MemAddr
        }
        TableIndexSleb | TableIndexI32 | TableIndexSleb64 | TableIndexI64 => SiteKind::TableSlot,
        MemoryAddrRelSleb | TableIndexRelSleb | MemoryAddrRelSleb64 | TableIndexRelSleb64 | MemoryAddrTlsSleb
        | MemoryAddrTlsSleb64 | MemoryAddrLocrelI32 => SiteKind::Relative,
        FunctionIndexI32 => SiteKind::FuncIndex,
        GlobalIndexI32 => SiteKind::GlobalIndex,
        FunctionOffsetI32 | SectionOffsetI32 | FunctionOffsetI64 => SiteKind::Other,
    }
}

/// The value a relocated constant holds in an operator: the constant of
/// `i32.const`/`i64.const`, or the offset of a memory access.
pub(crate) fn site_value(op: &Operator<'_>) -> Option<u64> {
    match op {
        Operator::I32Const { value } => Some(*value as u32 as u64),
        Operator::I64Const { value } => Some(*value as u64),
        other => memarg_offset(other),
    }
}

/// The `offset` of an operator's memory argument, read from its printed
/// form (every load, store and atomic prints `offset: N`).
fn memarg_offset(op: &Operator<'_>) -> Option<u64> {
    let text = format!("{op:?}");
    let (_, rest) = text.split_once("offset: ")?;
    rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

/// An operator with its relocated constant shown as site `@K`.
pub(crate) fn render_site_op(op: &Operator<'_>, k: usize) -> String {
    match op {
        Operator::I32Const { .. } => format!("i32.const @{k}"),
        Operator::I64Const { .. } => format!("i64.const @{k}"),
        other => generic(other, Some(k)),
    }
}

/// Type prefixes and families whose operators wat writes `prefix.rest`.
const DOTTED: &[&str] = &[
    "I32x4", "I64x2", "F32x4", "F64x2", "I8x16", "I16x8", "V128", "I32", "I64", "F32", "F64", "Local", "Global", "Table",
    "Memory", "Ref", "Elem", "Data", "Struct", "Array", "Any", "Extern", "I31",
];

/// wasmparser's operator name in wat's spelling: `I32Load8S` ->
/// `i32.load8_s`, `BrIf` -> `br_if`.
fn wat_name(name: &str) -> String {
    let snake = |s: &str| {
        let mut out = String::new();
        let mut prev: Option<char> = None;
        for c in s.chars() {
            if c.is_ascii_uppercase() && prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit()) {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev = Some(c);
        }
        out
    };
    for prefix in DOTTED {
        if let Some(rest) = name.strip_prefix(prefix) {
            if rest.starts_with(|c: char| c.is_ascii_uppercase()) {
                return format!("{}.{}", prefix.to_ascii_lowercase(), snake(rest));
            }
        }
    }
    snake(name)
}

/// An operator as wat-like text: its wat name, then a memory argument as
/// `offset=N align=N` (the offset `@K` for site K), other immediates as
/// wasmparser prints them.
fn generic(op: &Operator<'_>, site: Option<usize>) -> String {
    let text = format!("{op:?}");
    let (name, rest) = text.split_once(' ').unwrap_or((&text, ""));
    let name = wat_name(name);
    let field = |key: &str| {
        let (_, tail) = rest.split_once(key)?;
        Some(tail.split(|c: char| !c.is_ascii_digit()).next()?.to_string())
    };
    // Only a memory argument: `{ memarg: MemArg { ... } }`.
    let only_memarg = rest.starts_with("{ memarg: MemArg {") && rest.ends_with("} }") && rest.matches(": ").count() == 6;
    if only_memarg && rest.contains("ordering: None") {
        let offset = site.map_or_else(|| field("offset: ").unwrap_or_default(), |k| format!("@{k}"));
        let mut s = format!("{name} offset={offset} align={}", field("align: ").unwrap_or_default());
        if let Some(m) = field("Memory(").filter(|m| m != "0") {
            s += &format!(" memory={m}");
        }
        return s;
    }
    let rest = match (site, rest.split_once("offset: ")) {
        (Some(k), Some((head, tail))) => format!("{head}offset: @{k}{}", tail.trim_start_matches(|c: char| c.is_ascii_digit())),
        (Some(k), None) => format!("{rest} @{k}"),
        _ => rest.to_string(),
    };
    if rest.is_empty() {
        name
    } else {
        format!("{name} {rest}")
    }
}

/// An operator as canonical text.
pub(crate) fn render_op(ctx: &Ctx<'_, '_>, op: &Operator<'_>) -> String {
    use Operator::*;
    match op {
        Call { function_index } => format!("call {}", ctx.func(*function_index)),
        ReturnCall { function_index } => format!("return_call {}", ctx.func(*function_index)),
        RefFunc { function_index } => format!("ref.func {}", ctx.func(*function_index)),
        CallIndirect { type_index, table_index } => {
            format!("call_indirect {} {}", ctx.table(*table_index), ctx.sig(*type_index))
        }
        ReturnCallIndirect { type_index, table_index } => {
            format!("return_call_indirect {} {}", ctx.table(*table_index), ctx.sig(*type_index))
        }
        CallRef { type_index } => format!("call_ref {}", ctx.sig(*type_index)),
        ReturnCallRef { type_index } => format!("return_call_ref {}", ctx.sig(*type_index)),
        GlobalGet { global_index } => format!("global.get {}", ctx.global(*global_index)),
        GlobalSet { global_index } => format!("global.set {}", ctx.global(*global_index)),
        TableGet { table } => format!("table.get {}", ctx.table(*table)),
        TableSet { table } => format!("table.set {}", ctx.table(*table)),
        TableGrow { table } => format!("table.grow {}", ctx.table(*table)),
        TableSize { table } => format!("table.size {}", ctx.table(*table)),
        TableFill { table } => format!("table.fill {}", ctx.table(*table)),
        TableCopy { dst_table, src_table } => format!("table.copy {} {}", ctx.table(*dst_table), ctx.table(*src_table)),
        TableInit { elem_index, table } => format!("table.init {} elem#{elem_index}", ctx.table(*table)),
        Throw { tag_index } => format!("throw {}", ctx.tag(*tag_index)),
        Catch { tag_index } => format!("catch {}", ctx.tag(*tag_index)),
        I32Const { value } => format!("i32.const {value}"),
        I64Const { value } => format!("i64.const {value}"),
        LocalGet { local_index } => format!("local.get {local_index}"),
        LocalSet { local_index } => format!("local.set {local_index}"),
        LocalTee { local_index } => format!("local.tee {local_index}"),
        other => generic(other, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wat_names() {
        for (name, wat) in [
            ("I32Load8S", "i32.load8_s"),
            ("BrIf", "br_if"),
            ("I64ExtendI32U", "i64.extend_i32_u"),
            ("I32TruncSatF32S", "i32.trunc_sat_f32_s"),
            ("MemoryGrow", "memory.grow"),
            ("RefIsNull", "ref.is_null"),
            ("End", "end"),
            ("I32x4Add", "i32x4.add"),
        ] {
            assert_eq!(wat_name(name), wat);
        }
    }

    #[test]
    fn memory_arguments_and_sites() {
        let memarg = wasmparser::MemArg { align: 2, max_align: 2, offset: 16, target: wasmparser::MemArgTarget::Memory(0), ordering: None };
        let load = Operator::I32Load { memarg };
        assert_eq!(generic(&load, None), "i32.load offset=16 align=2");
        assert_eq!(render_site_op(&load, 3), "i32.load offset=@3 align=2");
        assert_eq!(site_value(&load), Some(16));
        assert_eq!(site_value(&Operator::I32Const { value: -1 }), Some(0xffff_ffff));
    }
}
