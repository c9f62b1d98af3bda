//! Rewriting one function body for an object file: every index immediate
//! that a linker must renumber becomes a 5-byte padded LEB with a
//! relocation site (Linking.md, "Relocation Sections"); every other
//! instruction byte is copied as it is, and the locals declaration is read
//! into a list of types.
//!
//! | instruction | field | relocation |
//! |---|---|---|
//! | `call`, `return_call` | function | `R_WASM_FUNCTION_INDEX_LEB` |
//! | `call_indirect`, `return_call_indirect` | type, table | `R_WASM_TYPE_INDEX_LEB`, `R_WASM_TABLE_NUMBER_LEB` (or the table byte kept, as LLVM writes it without reference types) |
//! | `global.get`, `global.set` | global | `R_WASM_GLOBAL_INDEX_LEB` |
//! | `block`, `loop`, `if` with a type-index block type | type | `R_WASM_TYPE_INDEX_LEB` (the padded LEB of a small index reads as a valid s33) |
//! | `table.copy/size/grow/fill/get/set` | table(s) | `R_WASM_TABLE_NUMBER_LEB` |
//!
//! Instructions naming element or data segments, tags or function
//! references (`ref.func`, `table.init`, `memory.init`, `throw`, ...) cannot
//! be expressed in an object the reference linker accepts:
//! [`SplitError::Unsupported`].

use std::ops::Range;

use wasmparser::{BinaryReader, BlockType, FunctionBody, Operator};

use super::SplitError;
use linkcheck_object::{RelocType, ValTypeModel};

/// Most locals a body may declare (wasmparser's validator allows 50,000).
const MAX_LOCALS: u32 = 50_000;

/// What a relocation site names, in the original module's index spaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SiteTarget {
    /// A function index (import or definition).
    Func(u32),
    /// A global index.
    Global(u32),
    /// A type index (every part copies the whole type section, so the
    /// original index is also the part's).
    Type(u32),
    /// The table (the only one).
    Table,
}

/// One relocation site of a rewritten body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Site {
    /// Offset of the padded LEB in [`RewrittenBody::code`].
    pub offset: usize,
    /// The relocation type.
    pub ty: RelocType,
    /// What it names.
    pub target: SiteTarget,
}

/// A body ready for an object file: its locals and instructions,
/// relocation sites holding 5 zero-padded bytes until
/// [`RewrittenBody::patch`] writes provisional values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RewrittenBody {
    /// The locals beyond the parameters, one entry per local.
    pub locals: Vec<ValTypeModel>,
    /// The instructions (final `end` included).
    pub code: Vec<u8>,
    /// The relocation sites, in order.
    pub sites: Vec<Site>,
}

impl RewrittenBody {
    /// Writes `value(site)` at every site as a 5-byte padded unsigned LEB
    /// (what LLVM leaves there before linking: the object's own index, so
    /// the object validates as a module).
    pub fn patch(&mut self, mut value: impl FnMut(&Site) -> u32) {
        for s in &self.sites {
            let v = linkcheck_object::leb::padded_uleb(value(s) as u64, 5);
            self.code[s.offset..s.offset + 5].copy_from_slice(&v);
        }
    }
}

/// One field of an instruction after its opcode.
#[derive(Clone, Copy)]
enum Field {
    /// An unsigned LEB index rewritten as a relocation site.
    Site(RelocType, SiteTarget),
    /// A signed (s33) block type rewritten as a TYPE_INDEX_LEB site.
    BlockTypeSite(u32),
    /// An unsigned LEB copied as it is.
    Keep,
}

/// Rewrites the body at `range` of `module` (locals declaration and
/// instructions, no size prefix). `relocate_table` is asked at each
/// `call_indirect` whether to relocate its table field (else the byte is
/// kept: table 0, which the output's indirect function table also is).
///
/// Errors: [`SplitError::Malformed`] for bytes wasmparser cannot read,
/// [`SplitError::Unsupported`] for instructions an object cannot express.
pub fn rewrite(
    module: &[u8],
    range: Range<usize>,
    relocate_table: &mut dyn FnMut() -> bool,
) -> Result<RewrittenBody, SplitError> {
    let malformed = |e: wasmparser::BinaryReaderError| {
        SplitError::Malformed(format!("function body at byte {}: {}", e.offset(), e.message()))
    };
    let body = FunctionBody::new(BinaryReader::new(&module[range.clone()], range.start as u64));
    let mut out = RewrittenBody::default();
    let mut declared = 0u32;
    for group in body.get_locals_reader().map_err(malformed)? {
        let (count, ty) = group.map_err(malformed)?;
        declared = declared.saturating_add(count);
        if declared > MAX_LOCALS {
            return Err(SplitError::Unsupported(format!("more than {MAX_LOCALS} locals")));
        }
        out.locals.extend(std::iter::repeat_n(val_type(ty), count as usize));
    }
    let mut ops = body.get_operators_reader().map_err(malformed)?;
    while !ops.eof() {
        let (op, pos) = ops.read_with_offset().map_err(malformed)?;
        let (pos, end) = (pos as usize, ops.original_position() as usize);
        let table = |relocate: bool| if relocate { Field::Site(RelocType::TableNumberLeb, SiteTarget::Table) } else { Field::Keep };
        let fields: Vec<Field> = match op {
            Operator::Call { function_index } | Operator::ReturnCall { function_index } => {
                vec![Field::Site(RelocType::FunctionIndexLeb, SiteTarget::Func(function_index))]
            }
            Operator::CallIndirect { type_index, .. } | Operator::ReturnCallIndirect { type_index, .. } => {
                vec![Field::Site(RelocType::TypeIndexLeb, SiteTarget::Type(type_index)), table(relocate_table())]
            }
            Operator::GlobalGet { global_index } | Operator::GlobalSet { global_index } => {
                vec![Field::Site(RelocType::GlobalIndexLeb, SiteTarget::Global(global_index))]
            }
            Operator::Block { blockty: BlockType::FuncType(t) }
            | Operator::Loop { blockty: BlockType::FuncType(t) }
            | Operator::If { blockty: BlockType::FuncType(t) } => vec![Field::BlockTypeSite(t)],
            Operator::TableCopy { .. } => vec![table(true), table(true)],
            Operator::TableSize { .. }
            | Operator::TableGrow { .. }
            | Operator::TableFill { .. }
            | Operator::TableGet { .. }
            | Operator::TableSet { .. } => vec![table(true)],
            Operator::RefFunc { .. }
            | Operator::TableInit { .. }
            | Operator::ElemDrop { .. }
            | Operator::MemoryInit { .. }
            | Operator::DataDrop { .. }
            | Operator::Throw { .. }
            | Operator::Rethrow { .. }
            | Operator::ThrowRef
            | Operator::Try { .. }
            | Operator::TryTable { .. }
            | Operator::Catch { .. }
            | Operator::Delegate { .. }
            | Operator::CallRef { .. }
            | Operator::ReturnCallRef { .. } => {
                return Err(SplitError::Unsupported(format!("instruction {op:?} at byte {pos}")));
            }
            _ => Vec::new(),
        };
        if fields.is_empty() {
            out.code.extend_from_slice(&module[pos..end]);
            continue;
        }
        rewrite_fields(module, pos, end, &fields, &mut out).map_err(malformed)?;
    }
    Ok(out)
}

/// Copies the instruction at `pos..end`: its opcode (with the LEB
/// sub-opcode of prefixed instructions), then `fields` in order, then any
/// remaining bytes.
fn rewrite_fields(
    module: &[u8],
    pos: usize,
    end: usize,
    fields: &[Field],
    out: &mut RewrittenBody,
) -> Result<(), wasmparser::BinaryReaderError> {
    let mut r = BinaryReader::new(&module[pos..end], pos as u64);
    let opcode = r.read_u8()?;
    if matches!(opcode, 0xfb..=0xfe) {
        r.read_var_u32()?;
    }
    let mut at = r.original_position() as usize;
    out.code.extend_from_slice(&module[pos..at]);
    for f in fields {
        match *f {
            Field::Keep => {
                r.read_var_u32()?;
            }
            Field::Site(ty, target) => {
                r.read_var_u32()?;
                out.sites.push(Site { offset: out.code.len(), ty, target });
            }
            Field::BlockTypeSite(t) => {
                r.read_var_s33()?;
                out.sites.push(Site { offset: out.code.len(), ty: RelocType::TypeIndexLeb, target: SiteTarget::Type(t) });
            }
        }
        let next = r.original_position() as usize;
        match f {
            Field::Keep => out.code.extend_from_slice(&module[at..next]),
            _ => out.code.extend_from_slice(&[0x80, 0x80, 0x80, 0x80, 0x00]),
        }
        at = next;
    }
    out.code.extend_from_slice(&module[at..end]);
    Ok(())
}

/// A value type of the module as the object model spells it (reference
/// types, which the split subset excludes, as `funcref` or `externref`).
pub fn val_type(t: wasmparser::ValType) -> ValTypeModel {
    match t {
        wasmparser::ValType::I32 => ValTypeModel::I32,
        wasmparser::ValType::I64 => ValTypeModel::I64,
        wasmparser::ValType::F32 => ValTypeModel::F32,
        wasmparser::ValType::F64 => ValTypeModel::F64,
        wasmparser::ValType::V128 => ValTypeModel::V128,
        wasmparser::ValType::Ref(r) if r.is_extern_ref() => ValTypeModel::ExternRef,
        wasmparser::ValType::Ref(_) => ValTypeModel::FuncRef,
    }
}
