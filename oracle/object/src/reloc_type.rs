//! Relocation types (Linking.md, "Relocation sections": `R_WASM_*`), with
//! the field each patches and whether an addend is written.

use serde::{Deserialize, Serialize};

/// A relocation type. `Other` holds a type byte this model has no name for
/// (written as is, without addend: for tests of unknown types).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[allow(missing_docs)]
pub enum RelocType {
    FunctionIndexLeb,
    TableIndexSleb,
    TableIndexI32,
    MemoryAddrLeb,
    MemoryAddrSleb,
    MemoryAddrI32,
    TypeIndexLeb,
    GlobalIndexLeb,
    FunctionOffsetI32,
    SectionOffsetI32,
    TagIndexLeb,
    MemoryAddrRelSleb,
    TableIndexRelSleb,
    GlobalIndexI32,
    MemoryAddrLeb64,
    MemoryAddrSleb64,
    MemoryAddrI64,
    MemoryAddrRelSleb64,
    TableIndexSleb64,
    TableIndexI64,
    TableNumberLeb,
    MemoryAddrTlsSleb,
    FunctionOffsetI64,
    MemoryAddrLocrelI32,
    TableIndexRelSleb64,
    MemoryAddrTlsSleb64,
    FunctionIndexI32,
    Other(u8),
}

/// How the patched field is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// Padded unsigned LEB of this many bytes (5 or 10).
    Uleb(usize),
    /// Padded signed LEB of this many bytes (5 or 10).
    Sleb(usize),
    /// Little-endian fixed width of this many bytes (4 or 8).
    Fixed(usize),
}

impl Field {
    /// Width in bytes.
    pub fn width(self) -> usize {
        match self {
            Field::Uleb(w) | Field::Sleb(w) | Field::Fixed(w) => w,
        }
    }
}

/// Every named type, in code order (index = type byte).
const ALL: [(RelocType, &str, Field, bool); 27] = {
    use Field::*;
    use RelocType::*;
    [
        (FunctionIndexLeb, "R_WASM_FUNCTION_INDEX_LEB", Uleb(5), false),
        (TableIndexSleb, "R_WASM_TABLE_INDEX_SLEB", Sleb(5), false),
        (TableIndexI32, "R_WASM_TABLE_INDEX_I32", Fixed(4), false),
        (MemoryAddrLeb, "R_WASM_MEMORY_ADDR_LEB", Uleb(5), true),
        (MemoryAddrSleb, "R_WASM_MEMORY_ADDR_SLEB", Sleb(5), true),
        (MemoryAddrI32, "R_WASM_MEMORY_ADDR_I32", Fixed(4), true),
        (TypeIndexLeb, "R_WASM_TYPE_INDEX_LEB", Uleb(5), false),
        (GlobalIndexLeb, "R_WASM_GLOBAL_INDEX_LEB", Uleb(5), false),
        (FunctionOffsetI32, "R_WASM_FUNCTION_OFFSET_I32", Fixed(4), true),
        (SectionOffsetI32, "R_WASM_SECTION_OFFSET_I32", Fixed(4), true),
        (TagIndexLeb, "R_WASM_TAG_INDEX_LEB", Uleb(5), false),
        (MemoryAddrRelSleb, "R_WASM_MEMORY_ADDR_REL_SLEB", Sleb(5), true),
        (TableIndexRelSleb, "R_WASM_TABLE_INDEX_REL_SLEB", Sleb(5), false),
        (GlobalIndexI32, "R_WASM_GLOBAL_INDEX_I32", Fixed(4), false),
        (MemoryAddrLeb64, "R_WASM_MEMORY_ADDR_LEB64", Uleb(10), true),
        (MemoryAddrSleb64, "R_WASM_MEMORY_ADDR_SLEB64", Sleb(10), true),
        (MemoryAddrI64, "R_WASM_MEMORY_ADDR_I64", Fixed(8), true),
        (MemoryAddrRelSleb64, "R_WASM_MEMORY_ADDR_REL_SLEB64", Sleb(10), true),
        (TableIndexSleb64, "R_WASM_TABLE_INDEX_SLEB64", Sleb(10), false),
        (TableIndexI64, "R_WASM_TABLE_INDEX_I64", Fixed(8), false),
        (TableNumberLeb, "R_WASM_TABLE_NUMBER_LEB", Uleb(5), false),
        (MemoryAddrTlsSleb, "R_WASM_MEMORY_ADDR_TLS_SLEB", Sleb(5), true),
        (FunctionOffsetI64, "R_WASM_FUNCTION_OFFSET_I64", Fixed(8), true),
        (MemoryAddrLocrelI32, "R_WASM_MEMORY_ADDR_LOCREL_I32", Fixed(4), true),
        (TableIndexRelSleb64, "R_WASM_TABLE_INDEX_REL_SLEB64", Sleb(10), false),
        (MemoryAddrTlsSleb64, "R_WASM_MEMORY_ADDR_TLS_SLEB64", Sleb(10), true),
        (FunctionIndexI32, "R_WASM_FUNCTION_INDEX_I32", Fixed(4), false),
    ]
};

impl RelocType {
    /// The type byte written in `reloc.*`.
    pub fn code(self) -> u8 {
        match self {
            RelocType::Other(c) => c,
            named => ALL.iter().position(|e| e.0 == named).expect("every named type is in ALL") as u8,
        }
    }

    /// The type for a type byte (`Other` for unknown bytes).
    pub fn from_code(code: u8) -> RelocType {
        ALL.get(code as usize).map(|e| e.0).unwrap_or(RelocType::Other(code))
    }

    fn entry(self) -> Option<&'static (RelocType, &'static str, Field, bool)> {
        match self {
            RelocType::Other(_) => None,
            named => ALL.iter().find(|e| e.0 == named),
        }
    }

    /// LLVM's name (`R_WASM_MEMORY_ADDR_SLEB`), or `R_WASM_<n>` for `Other`.
    pub fn name(self) -> String {
        match self.entry() {
            Some(e) => e.1.to_string(),
            None => format!("R_WASM_{}", self.code()),
        }
    }

    /// The patched field's encoding; `None` for `Other`.
    pub fn field(self) -> Option<Field> {
        self.entry().map(|e| e.2)
    }

    /// Whether it stands for a function's table slot (`R_WASM_TABLE_INDEX_*`,
    /// relative and 64-bit forms included).
    pub fn is_table_index(self) -> bool {
        self.name().starts_with("R_WASM_TABLE_INDEX_")
    }

    /// Whether the entry carries an addend (SLEB; 64-bit forms too).
    pub fn has_addend(self) -> bool {
        self.entry().is_some_and(|e| e.3)
    }
}

/// A relocation: type, offset, symbol (or type) index, addend (Linking.md,
/// "Relocation sections"). Where `offset` counts from depends on where the
/// relocation is stored: segment start, body start or custom payload start.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelocModel {
    /// The relocation type (`R_WASM_*`).
    pub ty: RelocType,
    /// Byte offset of the patched field.
    pub offset: u32,
    /// Symbol index, or a type index for `TYPE_INDEX_LEB`.
    pub index: u32,
    /// Addend; written only for the types that carry one.
    #[serde(default)]
    pub addend: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_index_types() {
        assert!(RelocType::TableIndexSleb.is_table_index() && RelocType::TableIndexRelSleb64.is_table_index());
        assert!(!RelocType::TableNumberLeb.is_table_index() && !RelocType::FunctionIndexLeb.is_table_index());
    }

    #[test]
    fn table_agrees_with_wasmparser() {
        for code in 0u8..27 {
            let ours = RelocType::from_code(code);
            assert_eq!(ours.code(), code);
            let theirs = wasmparser::RelocationType::try_from(code).unwrap();
            assert_eq!(ours.field().unwrap().width(), theirs.extent(), "{}", ours.name());
            let addend = theirs.addend_kind() != wasmparser::RelocAddendKind::None;
            assert_eq!(ours.has_addend(), addend, "{}", ours.name());
        }
        assert_eq!(RelocType::from_code(200), RelocType::Other(200));
        assert!(!RelocType::Other(200).has_addend());
    }
}
