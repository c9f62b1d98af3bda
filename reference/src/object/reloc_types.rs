//! The relocation types of Linking.md as a table: the patched field, the
//! symbol kind each may point at, and what value is written (rules REL-*).

use crate::object::SymbolKind;
use wasmparser::RelocationType as R;

/// How the patched bytes are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// 5-byte padded unsigned LEB128.
    Leb5,
    /// 5-byte padded signed LEB128.
    Sleb5,
    /// 10-byte padded unsigned LEB128.
    Leb10,
    /// 10-byte padded signed LEB128.
    Sleb10,
    /// 4-byte little-endian.
    I32,
    /// 8-byte little-endian.
    I64,
}

impl Field {
    /// Width of the field in bytes.
    pub fn width(self) -> usize {
        match self {
            Field::Leb5 | Field::Sleb5 => 5,
            Field::Leb10 | Field::Sleb10 => 10,
            Field::I32 => 4,
            Field::I64 => 8,
        }
    }
}

/// What the written value is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelocValue {
    /// Output function index (REL-FUNC).
    FunctionIndex,
    /// Table slot of the function, 0 for one without a slot (REL-TABLE).
    TableIndex,
    /// Memory address + addend (REL-MEM).
    MemoryAddr,
    /// Output type index; the relocation index is a type index (REL-TYPE).
    TypeIndex,
    /// Output global index (REL-GLOBAL).
    GlobalIndex,
    /// Offset of the function body in the output code section + addend (REL-FOFF).
    FunctionOffset,
    /// Offset of the input section's contents in its output section + addend (REL-SOFF).
    SectionOffset,
    /// Output tag index (REL-TAG).
    TagIndex,
    /// Output table number (REL-TABLENUM).
    TableNumber,
    /// Address relative to the TLS block start + addend (REL-TLS).
    TlsOffset,
    /// Target address minus the address of the patched field (REL-LOCREL).
    LocRel,
}

/// One row of the relocation table.
#[derive(Debug, Clone, Copy)]
pub struct RelocInfo {
    /// The Linking.md name, `R_WASM_...`.
    pub name: &'static str,
    pub field: Field,
    pub value: RelocValue,
    /// The symbol kind the relocation must point at (`None` for TYPE_INDEX,
    /// whose index is a type index).
    pub symbol_kind: Option<SymbolKind>,
}

const fn row(name: &'static str, field: Field, value: RelocValue, kind: Option<SymbolKind>) -> RelocInfo {
    RelocInfo { name, field, value, symbol_kind: kind }
}

/// The table row of relocation type `ty`.
pub fn info(ty: R) -> RelocInfo {
    use Field::*;
    use SymbolKind::*;
    use RelocValue::*;
    match ty {
        R::FunctionIndexLeb => row("R_WASM_FUNCTION_INDEX_LEB", Leb5, FunctionIndex, Some(Function)),
        R::TableIndexSleb => row("R_WASM_TABLE_INDEX_SLEB", Sleb5, TableIndex, Some(Function)),
        R::TableIndexI32 => row("R_WASM_TABLE_INDEX_I32", I32, TableIndex, Some(Function)),
        R::MemoryAddrLeb => row("R_WASM_MEMORY_ADDR_LEB", Leb5, MemoryAddr, Some(Data)),
        R::MemoryAddrSleb => row("R_WASM_MEMORY_ADDR_SLEB", Sleb5, MemoryAddr, Some(Data)),
        R::MemoryAddrI32 => row("R_WASM_MEMORY_ADDR_I32", I32, MemoryAddr, Some(Data)),
        R::TypeIndexLeb => row("R_WASM_TYPE_INDEX_LEB", Leb5, TypeIndex, None),
        R::GlobalIndexLeb => row("R_WASM_GLOBAL_INDEX_LEB", Leb5, GlobalIndex, Some(Global)),
        R::FunctionOffsetI32 => row("R_WASM_FUNCTION_OFFSET_I32", I32, FunctionOffset, Some(Function)),
        R::SectionOffsetI32 => row("R_WASM_SECTION_OFFSET_I32", I32, SectionOffset, Some(Section)),
        R::EventIndexLeb => row("R_WASM_TAG_INDEX_LEB", Leb5, TagIndex, Some(Tag)),
        // REL-REL, DYN-RELOC: relative to `__memory_base` / `__table_base`, which is
        // the static value as PIC data and slots count from 0.
        R::MemoryAddrRelSleb => row("R_WASM_MEMORY_ADDR_REL_SLEB", Sleb5, MemoryAddr, Some(Data)),
        R::TableIndexRelSleb => row("R_WASM_TABLE_INDEX_REL_SLEB", Sleb5, TableIndex, Some(Function)),
        R::GlobalIndexI32 => row("R_WASM_GLOBAL_INDEX_I32", I32, GlobalIndex, Some(Global)),
        // SIXTYFOUR-RELOC: the wasm64 forms compute what their 32-bit forms do,
        // written into 10-byte padded LEBs or 8-byte fields.
        R::MemoryAddrLeb64 => row("R_WASM_MEMORY_ADDR_LEB64", Leb10, MemoryAddr, Some(Data)),
        R::MemoryAddrSleb64 => row("R_WASM_MEMORY_ADDR_SLEB64", Sleb10, MemoryAddr, Some(Data)),
        R::MemoryAddrI64 => row("R_WASM_MEMORY_ADDR_I64", I64, MemoryAddr, Some(Data)),
        R::MemoryAddrRelSleb64 => row("R_WASM_MEMORY_ADDR_REL_SLEB64", Sleb10, MemoryAddr, Some(Data)),
        R::TableIndexSleb64 => row("R_WASM_TABLE_INDEX_SLEB64", Sleb10, TableIndex, Some(Function)),
        R::TableIndexI64 => row("R_WASM_TABLE_INDEX_I64", I64, TableIndex, Some(Function)),
        R::TableNumberLeb => row("R_WASM_TABLE_NUMBER_LEB", Leb5, TableNumber, Some(Table)),
        R::MemoryAddrTlsSleb => row("R_WASM_MEMORY_ADDR_TLS_SLEB", Sleb5, TlsOffset, Some(Data)),
        R::FunctionOffsetI64 => row("R_WASM_FUNCTION_OFFSET_I64", I64, FunctionOffset, Some(Function)),
        R::MemoryAddrLocrelI32 => row("R_WASM_MEMORY_ADDR_LOCREL_I32", I32, LocRel, Some(Data)),
        R::TableIndexRelSleb64 => row("R_WASM_TABLE_INDEX_REL_SLEB64", Sleb10, TableIndex, Some(Function)),
        R::MemoryAddrTlsSleb64 => row("R_WASM_MEMORY_ADDR_TLS_SLEB64", Sleb10, TlsOffset, Some(Data)),
        R::FunctionIndexI32 => row("R_WASM_FUNCTION_INDEX_I32", I32, FunctionIndex, Some(Function)),
    }
}

/// SIXTYFOUR-RELOC: the wasm32 form of a wasm64 relocation type (the type
/// itself for the others): the phases that ask what a relocation does
/// (takes an address, needs a definition) ask it of this form.
pub fn narrow(ty: R) -> R {
    match ty {
        R::MemoryAddrLeb64 => R::MemoryAddrLeb,
        R::MemoryAddrSleb64 => R::MemoryAddrSleb,
        R::MemoryAddrI64 => R::MemoryAddrI32,
        R::MemoryAddrRelSleb64 => R::MemoryAddrRelSleb,
        R::TableIndexSleb64 => R::TableIndexSleb,
        R::TableIndexI64 => R::TableIndexI32,
        R::FunctionOffsetI64 => R::FunctionOffsetI32,
        R::TableIndexRelSleb64 => R::TableIndexRelSleb,
        R::MemoryAddrTlsSleb64 => R::MemoryAddrTlsSleb,
        other => other,
    }
}

/// Writes `value` into `site` (exactly `field.width()` bytes) in the field's
/// encoding. Padded LEBs keep their width; the caller has checked that the
/// value fits (REL-FIT).
pub fn write_field(field: Field, site: &mut [u8], value: i64) {
    match field {
        Field::Leb5 | Field::Leb10 => write_padded_uleb(site, value as u64),
        Field::Sleb5 | Field::Sleb10 => write_padded_sleb(site, value),
        Field::I32 => site.copy_from_slice(&(value as u32).to_le_bytes()),
        Field::I64 => site.copy_from_slice(&(value as u64).to_le_bytes()),
    }
}

/// True when `value` can be encoded in `field`.
pub fn fits(field: Field, value: i64) -> bool {
    match field {
        Field::Leb5 | Field::I32 => (0..=u32::MAX as i64).contains(&value) || (field == Field::I32 && value >= i32::MIN as i64),
        Field::Sleb5 => (i32::MIN as i64..=i32::MAX as i64).contains(&value) || (0..=u32::MAX as i64).contains(&value),
        Field::Leb10 | Field::Sleb10 | Field::I64 => true,
    }
}

fn write_padded_uleb(site: &mut [u8], mut v: u64) {
    let n = site.len();
    for (i, b) in site.iter_mut().enumerate() {
        let mut byte = (v & 0x7f) as u8;
        v >>= 7;
        if i + 1 < n {
            byte |= 0x80;
        }
        *b = byte;
    }
}

fn write_padded_sleb(site: &mut [u8], mut v: i64) {
    let n = site.len();
    for (i, b) in site.iter_mut().enumerate() {
        let mut byte = (v & 0x7f) as u8;
        v >>= 7;
        if i + 1 < n {
            byte |= 0x80;
        }
        *b = byte;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_uleb(b: &[u8]) -> u64 {
        let mut r = wasmparser::BinaryReader::new(b, 0);
        r.read_var_u64().unwrap()
    }
    fn read_sleb(b: &[u8]) -> i64 {
        let mut r = wasmparser::BinaryReader::new(b, 0);
        r.read_var_i64().unwrap()
    }

    #[test]
    fn padded_leb_round_trips_through_wasmparser() {
        for v in [0u64, 1, 127, 128, 1 << 20, u32::MAX as u64] {
            let mut site = [0u8; 5];
            write_field(Field::Leb5, &mut site, v as i64);
            assert_eq!(read_uleb(&site), v);
            assert_eq!(site[4] & 0x80, 0, "last byte ends the LEB");
        }
        for v in [0i64, -1, 63, -64, 64, -65, i32::MIN as i64, i32::MAX as i64] {
            let mut site = [0u8; 5];
            write_field(Field::Sleb5, &mut site, v);
            assert_eq!(read_sleb(&site), v);
        }
    }

    #[test]
    fn every_type_has_a_width_matching_wasmparser() {
        for code in 0u8..=26 {
            let Ok(ty) = R::try_from(code) else { continue };
            assert_eq!(info(ty).field.width(), ty.extent(), "{}", info(ty).name);
        }
    }
}
