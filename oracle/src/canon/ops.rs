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
        other => {
            let text = format!("{other:?}");
            match text.split_once("offset: ") {
                Some((head, rest)) => {
                    let tail = rest.trim_start_matches(|c: char| c.is_ascii_digit());
                    format!("{head}offset: @{k}{tail}")
                }
                None => format!("{text} @{k}"),
            }
        }
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
        other => format!("{other:?}"),
    }
}
