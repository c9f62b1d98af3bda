//! Instruction-level edits of a function [`Body`]: where its instructions
//! start, and candidates that remove a window of instructions or replace it
//! by one `unreachable` (after which the operand stack is polymorphic, so
//! what follows still validates with fewer operands).
//!
//! Relocation sites lie inside instructions (Linking.md, "Relocation
//! sections": the LEB or fixed field of `call`, `i32.const`, ...), so a
//! window of whole instructions holds whole sites: they go with it, and the
//! sites after it move up by the window's length.

use linkcheck_object::Body;
use wasmparser::{BinaryReader, OperatorsReader};

/// `unreachable`.
const UNREACHABLE: u8 = 0x00;

/// The start offset of each instruction of `code` (function-body bytes
/// without the locals declaration), then `code.len()`. `None` when the
/// bytes do not decode as instructions.
pub fn boundaries(code: &[u8]) -> Option<Vec<usize>> {
    let mut reader = OperatorsReader::new(BinaryReader::new(code, 0));
    let mut starts = Vec::new();
    while !reader.eof() {
        starts.push(reader.original_position() as usize);
        reader.read().ok()?;
    }
    starts.push(code.len());
    Some(starts)
}

/// The instructions of `body` an edit may touch: every one but the final
/// `end` of a [`Body::closed`] body. `None` when the code does not decode.
pub fn editable(body: &Body) -> Option<Vec<usize>> {
    let mut starts = boundaries(&body.code)?;
    if body.closed && starts.len() >= 2 {
        starts.pop();
    }
    Some(starts)
}

/// `body` with bytes `start..end` replaced by `with`: relocation sites
/// inside the range are dropped, those after it move by the change in
/// length.
pub fn splice(body: &Body, start: usize, end: usize, with: &[u8]) -> Body {
    let mut code = body.code[..start].to_vec();
    code.extend_from_slice(with);
    code.extend_from_slice(&body.code[end..]);
    let relocs = body
        .relocs
        .iter()
        .filter(|r| !(start..end).contains(&(r.offset as usize)))
        .map(|r| {
            let mut r = r.clone();
            if r.offset as usize >= end {
                r.offset = (r.offset as usize - end + start + with.len()) as u32;
            }
            r
        })
        .collect();
    Body { code, relocs, closed: body.closed }
}

/// The smallest body: a lone `unreachable` (valid for any signature).
pub fn minimal() -> Body {
    Body { code: vec![UNREACHABLE], relocs: Vec::new(), closed: false }
}

/// Candidate bodies smaller than `body`, largest edits first: each window
/// of `len` instructions (halving from half the body down to one, every
/// start) removed, or replaced by `unreachable` when that makes the code
/// shorter. Every candidate has fewer bytes than `body`.
pub fn window_candidates(body: &Body, len: usize) -> Vec<Body> {
    let Some(starts) = editable(body) else { return Vec::new() };
    let count = starts.len() - 1;
    let mut out = Vec::new();
    if len == 0 || len > count {
        return out;
    }
    for first in 0..=count - len {
        let (a, b) = (starts[first], starts[first + len]);
        out.push(splice(body, a, b, &[]));
        if b - a > 1 {
            out.push(splice(body, a, b, &[UNREACHABLE]));
        }
    }
    out
}

/// Window lengths to try for a body of `count` instructions: `count / 2`
/// halving down, and 3, 2 and 1 (a value, its use and what consumes the
/// result often span that many), longest first.
pub fn window_lengths(count: usize) -> Vec<usize> {
    let mut lens: Vec<usize> = [3, 2, 1].into_iter().filter(|&l| l <= count).collect();
    let mut len = count / 2;
    while len > 3 {
        lens.push(len);
        len /= 2;
    }
    lens.sort_unstable_by(|a, b| b.cmp(a));
    lens.dedup();
    lens
}

#[cfg(test)]
mod tests {
    use super::*;
    use linkcheck_object::RelocType;

    fn sample() -> Body {
        let mut b = Body::new();
        b.local_get(0).i32_const(5).i32_add().local_get(0).call(2).i32_add();
        b
    }

    #[test]
    fn boundaries_follow_instructions() {
        let b = sample();
        // local.get 0 (2), i32.const 5 (2), i32.add (1), local.get 0 (2), call (6), i32.add (1)
        assert_eq!(boundaries(&b.code).unwrap(), vec![0, 2, 4, 5, 7, 13, 14]);
        let mut closed = sample();
        closed.end();
        assert_eq!(editable(&closed).unwrap().len(), 7, "the final end is not editable");
        assert_eq!(boundaries(&[0x10]), None, "a call without its index does not decode");
    }

    #[test]
    fn splicing_moves_and_drops_sites() {
        let b = sample();
        let cut = splice(&b, 0, 5, &[]);
        assert_eq!(cut.relocs.len(), 1);
        assert_eq!((cut.relocs[0].ty, cut.relocs[0].offset), (RelocType::FunctionIndexLeb, 3));
        assert_eq!(cut.code[cut.relocs[0].offset as usize - 1], 0x10);
        let gone = splice(&b, 7, 13, &[UNREACHABLE]);
        assert!(gone.relocs.is_empty());
        assert_eq!(gone.code.len(), b.code.len() - 5);
    }

    #[test]
    fn candidates_are_smaller() {
        let b = sample();
        for len in window_lengths(6) {
            for c in window_candidates(&b, len) {
                assert!(c.code.len() < b.code.len());
            }
        }
        assert_eq!(window_lengths(6), vec![3, 2, 1]);
        assert_eq!(window_lengths(9), vec![4, 3, 2, 1]);
        assert_eq!(window_lengths(40), vec![20, 10, 5, 3, 2, 1]);
        assert_eq!(window_lengths(1), vec![1]);
    }
}
