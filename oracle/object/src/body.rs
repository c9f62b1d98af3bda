//! A function body builder that writes real wasm code and records each
//! relocation site (Linking.md, "Relocation sections": code relocations
//! patch 5-byte padded LEBs inside instructions).
//!
//! Sites are written as padded zeros; the encoder fills in the provisional
//! value LLVM would write (the object's own function/global/type index, the
//! data symbol's offset in the object's data) so the object validates as a
//! module. Offsets in [`Body::relocs`] count from the first instruction byte;
//! the encoder adds the locals declaration and the body's place in the code
//! section.

use serde::{Deserialize, Serialize};

use super::leb::{padded_sleb, padded_uleb, write_sleb, write_uleb};
use super::reloc_type::{Field, RelocModel, RelocType};

/// Instructions of one function (without the locals declaration) and the
/// relocation sites inside them.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Body {
    /// Instruction bytes.
    pub code: Vec<u8>,
    /// Relocation sites; offsets count from the start of `code`.
    #[serde(default)]
    pub relocs: Vec<RelocModel>,
    /// Whether [`Body::end`] closed the function; if not, the encoder appends
    /// the final `end` (0x0b).
    #[serde(default)]
    pub closed: bool,
}

impl Body {
    /// An empty body.
    pub fn new() -> Body {
        Body::default()
    }

    /// Appends raw instruction bytes (blocks inside must bring their own `end`).
    pub fn raw(&mut self, bytes: &[u8]) -> &mut Self {
        self.code.extend_from_slice(bytes);
        self
    }

    /// Appends a relocation site of type `ty` at the current position: a
    /// zero in the field's encoding (padded LEB or fixed width), recorded
    /// against `index` with `addend`. `Other` types get a 5-byte padded LEB.
    pub fn site(&mut self, ty: RelocType, index: u32, addend: i64) -> &mut Self {
        let offset = self.code.len() as u32;
        let field = ty.field().unwrap_or(Field::Uleb(5));
        let bytes = match field {
            Field::Uleb(w) => padded_uleb(0, w),
            Field::Sleb(w) => padded_sleb(0, w),
            Field::Fixed(w) => vec![0; w],
        };
        self.code.extend_from_slice(&bytes);
        self.relocs.push(RelocModel { ty, offset, index, addend });
        self
    }

    /// `unreachable`
    pub fn unreachable(&mut self) -> &mut Self {
        self.raw(&[0x00])
    }

    /// `nop`
    pub fn nop(&mut self) -> &mut Self {
        self.raw(&[0x01])
    }

    /// `return`
    pub fn ret(&mut self) -> &mut Self {
        self.raw(&[0x0f])
    }

    /// `drop`
    pub fn drop(&mut self) -> &mut Self {
        self.raw(&[0x1a])
    }

    /// `end` of the function: no further `end` is appended by the encoder.
    pub fn end(&mut self) -> &mut Self {
        self.closed = true;
        self.raw(&[0x0b])
    }

    /// `i32.const v` (minimal LEB, no relocation).
    pub fn i32_const(&mut self, v: i32) -> &mut Self {
        self.code.push(0x41);
        write_sleb(&mut self.code, v as i64);
        self
    }

    /// `i64.const v` (minimal LEB, no relocation).
    pub fn i64_const(&mut self, v: i64) -> &mut Self {
        self.code.push(0x42);
        write_sleb(&mut self.code, v);
        self
    }

    /// `i32.const <address of data symbol + addend>`: `R_WASM_MEMORY_ADDR_SLEB`.
    pub fn i32_const_addr(&mut self, symbol: u32, addend: i32) -> &mut Self {
        self.code.push(0x41);
        self.site(RelocType::MemoryAddrSleb, symbol, addend as i64)
    }

    /// `i32.const <table slot of function symbol>`: `R_WASM_TABLE_INDEX_SLEB`.
    pub fn i32_const_table(&mut self, symbol: u32) -> &mut Self {
        self.code.push(0x41);
        self.site(RelocType::TableIndexSleb, symbol, 0)
    }

    /// `i64.const <address of data symbol + addend>`:
    /// `R_WASM_MEMORY_ADDR_SLEB64` (wasm64).
    pub fn i64_const_addr(&mut self, symbol: u32, addend: i32) -> &mut Self {
        self.code.push(0x42);
        self.site(RelocType::MemoryAddrSleb64, symbol, addend as i64)
    }

    /// `i64.const <table slot of function symbol>`:
    /// `R_WASM_TABLE_INDEX_SLEB64` (a wasm64 function pointer).
    pub fn i64_const_table(&mut self, symbol: u32) -> &mut Self {
        self.code.push(0x42);
        self.site(RelocType::TableIndexSleb64, symbol, 0)
    }

    /// `call <function symbol>`: `R_WASM_FUNCTION_INDEX_LEB`.
    pub fn call(&mut self, symbol: u32) -> &mut Self {
        self.code.push(0x10);
        self.site(RelocType::FunctionIndexLeb, symbol, 0)
    }

    /// `call_indirect <type> <table>`: `R_WASM_TYPE_INDEX_LEB` against the
    /// type index, then `R_WASM_TABLE_NUMBER_LEB` against `table_symbol`
    /// or, with `None`, the single byte 0 (table 0, no relocation).
    pub fn call_indirect(&mut self, type_index: u32, table_symbol: Option<u32>) -> &mut Self {
        self.code.push(0x11);
        self.site(RelocType::TypeIndexLeb, type_index, 0);
        match table_symbol {
            Some(t) => self.site(RelocType::TableNumberLeb, t, 0),
            None => self.raw(&[0x00]),
        }
    }

    /// `global.get <global symbol>`: `R_WASM_GLOBAL_INDEX_LEB`.
    pub fn global_get(&mut self, symbol: u32) -> &mut Self {
        self.code.push(0x23);
        self.site(RelocType::GlobalIndexLeb, symbol, 0)
    }

    /// `global.set <global symbol>`: `R_WASM_GLOBAL_INDEX_LEB`.
    pub fn global_set(&mut self, symbol: u32) -> &mut Self {
        self.code.push(0x24);
        self.site(RelocType::GlobalIndexLeb, symbol, 0)
    }

    /// `i32.load align=2 offset=<offset>` (no relocation).
    pub fn i32_load(&mut self, offset: u32) -> &mut Self {
        self.raw(&[0x28, 0x02]);
        write_uleb(&mut self.code, offset as u64);
        self
    }

    /// `i32.store align=2 offset=<offset>` (no relocation).
    pub fn i32_store(&mut self, offset: u32) -> &mut Self {
        self.raw(&[0x36, 0x02]);
        write_uleb(&mut self.code, offset as u64);
        self
    }

    /// `i32.load align=2 offset=<address of data symbol + addend>`:
    /// `R_WASM_MEMORY_ADDR_LEB` in the memarg (LLVM's form for a load from a
    /// global at a constant address; the address operand is usually 0).
    pub fn i32_load_sym(&mut self, symbol: u32, addend: i32) -> &mut Self {
        self.raw(&[0x28, 0x02]);
        self.site(RelocType::MemoryAddrLeb, symbol, addend as i64)
    }

    /// `local.get i`
    pub fn local_get(&mut self, i: u32) -> &mut Self {
        self.code.push(0x20);
        write_uleb(&mut self.code, i as u64);
        self
    }

    /// `local.set i`
    pub fn local_set(&mut self, i: u32) -> &mut Self {
        self.code.push(0x21);
        write_uleb(&mut self.code, i as u64);
        self
    }

    /// `i32.add`
    pub fn i32_add(&mut self) -> &mut Self {
        self.raw(&[0x6a])
    }

    /// `i32.sub`
    pub fn i32_sub(&mut self) -> &mut Self {
        self.raw(&[0x6b])
    }

    /// `i32.mul`
    pub fn i32_mul(&mut self) -> &mut Self {
        self.raw(&[0x6c])
    }

    /// A finished copy (for `define_func(.., body.take(), ..)` chains).
    pub fn take(&mut self) -> Body {
        std::mem::take(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_are_recorded_where_the_field_starts() {
        let mut b = Body::new();
        b.i32_const(1).call(3).i32_const_addr(4, -8).call_indirect(2, Some(5)).call_indirect(2, None);
        assert_eq!(&b.code[..3], &[0x41, 0x01, 0x10]);
        let r: Vec<_> = b.relocs.iter().map(|r| (r.ty, r.offset, r.index, r.addend)).collect();
        assert_eq!(
            r,
            [
                (RelocType::FunctionIndexLeb, 3, 3, 0),
                (RelocType::MemoryAddrSleb, 9, 4, -8),
                (RelocType::TypeIndexLeb, 15, 2, 0),
                (RelocType::TableNumberLeb, 20, 5, 0),
                (RelocType::TypeIndexLeb, 26, 2, 0),
            ]
        );
        assert_eq!(b.code.len(), 32);
        assert_eq!(*b.code.last().unwrap(), 0x00);
        assert!(!b.closed);
    }
}
