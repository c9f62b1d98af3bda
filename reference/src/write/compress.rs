//! `--compress-relocations` (OPT-COMPRESS-RELOCS): the padded LEB128
//! fields that relocations patch in input function bodies are written in
//! their shortest form (wasm-ld `InputFunction::writeCompressed`).

use crate::object::reloc_types::{self, Field};
use crate::object::Relocation;
use wasm_encoder::Encode;

/// Rewrites `body` (a patched input function body without its size, whose
/// relocation offsets count from `start` bytes before it) with each LEB or
/// SLEB relocation field in its shortest encoding; 4- and 8-byte fields
/// stay. `relocs` are sorted by offset and lie inside `body` (OBJ-4).
pub(crate) fn compress_body(body: &[u8], relocs: &[Relocation], start: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut copied = 0;
    for r in relocs {
        let field = reloc_types::info(r.ty).field;
        let at = r.offset as usize - start;
        let width = field.width();
        let Some(site) = body.get(at..at + width) else { continue };
        if at < copied {
            continue;
        }
        out.extend_from_slice(&body[copied..at]);
        match field {
            Field::Leb5 | Field::Leb10 => read_unsigned(site).encode(&mut out),
            Field::Sleb5 => read_signed(site, 32).encode(&mut out),
            Field::Sleb10 => read_signed(site, 64).encode(&mut out),
            Field::I32 | Field::I64 => out.extend_from_slice(site),
        }
        copied = at + width;
    }
    out.extend_from_slice(&body[copied..]);
    out
}

/// The value of a padded unsigned LEB128.
fn read_unsigned(bytes: &[u8]) -> u64 {
    bytes.iter().enumerate().fold(0u64, |v, (i, b)| v | (((b & 0x7f) as u64).checked_shl(7 * i as u32).unwrap_or(0)))
}

/// The value of a padded signed LEB128 of a `bits`-bit field.
fn read_signed(bytes: &[u8], bits: u32) -> i64 {
    let v = read_unsigned(bytes);
    let shift = 64 - bits;
    ((v << shift) as i64) >> shift
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_fields_are_shortened() {
        assert_eq!(read_unsigned(&[0x80, 0x80, 0x84, 0x80, 0x00]), 65536);
        assert_eq!(read_signed(&[0xff, 0xff, 0xff, 0xff, 0x0f], 32), -1);
        assert_eq!(read_signed(&[0x80, 0x80, 0x80, 0x80, 0x08], 32), i32::MIN as i64);
        let r = |ty, offset| Relocation { ty, offset, index: 0, addend: 0, entry_offset: 0 };
        let body = [0x00, 0x41, 0x80, 0x80, 0x84, 0x80, 0x00, 0x10, 0x83, 0x80, 0x80, 0x80, 0x00, 0x0b];
        let relocs = [r(wasmparser::RelocationType::MemoryAddrSleb, 12), r(wasmparser::RelocationType::FunctionIndexLeb, 18)];
        assert_eq!(compress_body(&body, &relocs, 10), vec![0x00, 0x41, 0x80, 0x80, 0x04, 0x10, 0x03, 0x0b]);
    }
}
