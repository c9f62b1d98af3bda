//! String merging (MERGE-STRINGS): at `-O1` and above (wasm-ld's default
//! is `-O1`) the NUL-terminated strings of mergeable inputs (data segments
//! with the STRINGS flag and 1-byte alignment, `.debug_str`,
//! `.debug_str.dwo`, `.debug_line_str`) are pooled into one merged chunk
//! per output segment or custom section: each distinct string once, laid
//! out in wasm-ld's order (its string table builder sorts the strings by
//! their reversed bytes, descending) and a string that ends another one
//! placed inside it (tail merging, at every level from `-O1` on).
//!
//! This module knows bytes only: which inputs merge is the layout's and the
//! writer's business.

/// MERGE-STRINGS: the custom sections whose strings are merged unless
/// `-O0` (wasm-ld goes by these names alone).
pub const MERGED_CUSTOM: [&str; 3] = [".debug_str", ".debug_str.dwo", ".debug_line_str"];

/// Where one input's strings went: `(input offset, offset in the merged
/// chunk)` of each string, by input offset (bytes).
pub type PieceMap = Vec<(u32, u32)>;

/// A merged chunk: its bytes and, per input in the order given, where that
/// input's strings went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub bytes: Vec<u8>,
    pub maps: Vec<PieceMap>,
}

/// MERGE-STRINGS: the start offsets (bytes) of the NUL-terminated strings
/// of `data`. Errors (wasm-ld's `string is not null terminated`) when the
/// last string has no NUL.
pub fn split(data: &[u8]) -> Result<Vec<u32>, ()> {
    let mut starts = Vec::new();
    let mut at = 0;
    while at < data.len() {
        let end = data[at..].iter().position(|&b| b == 0).ok_or(())?;
        starts.push(at as u32);
        at += end + 1;
    }
    Ok(starts)
}

/// MERGE-STRINGS: merges the strings of `inputs` (each already checked by
/// [`split`]). Every distinct string (its NUL included) is written once;
/// the strings are sorted by their bytes read backwards, greatest first
/// (a string that is a suffix of another comes right after the longest
/// string ending with it); a string that the previously written one ends
/// with is not written but points into it (tail merging). This is the
/// order of LLVM's `StringTableBuilder::finalize` (RAW kind, alignment 1),
/// which wasm-ld's `SyntheticMergedChunk` uses (measured, wasm-ld 22 and 19).
pub fn merge(inputs: &[&[u8]]) -> Merged {
    let mut pieces: Vec<Vec<(u32, &[u8])>> = Vec::with_capacity(inputs.len());
    for data in inputs {
        let starts = split(data).unwrap_or_default();
        let mut v = Vec::with_capacity(starts.len());
        for (i, &s) in starts.iter().enumerate() {
            let end = starts.get(i + 1).map_or(data.len(), |&e| e as usize);
            v.push((s, &data[s as usize..end]));
        }
        pieces.push(v);
    }
    let mut distinct: Vec<&[u8]> = pieces.iter().flatten().map(|&(_, s)| s).collect();
    distinct.sort_by(|a, b| b.iter().rev().cmp(a.iter().rev()));
    distinct.dedup();
    let mut bytes: Vec<u8> = Vec::new();
    let mut offset_of: std::collections::HashMap<&[u8], u32> = std::collections::HashMap::new();
    let mut previous: &[u8] = &[];
    for s in distinct {
        if previous.ends_with(s) {
            offset_of.insert(s, (bytes.len() - s.len()) as u32);
            continue;
        }
        offset_of.insert(s, bytes.len() as u32);
        bytes.extend_from_slice(s);
        previous = s;
    }
    let maps = pieces.iter().map(|v| v.iter().map(|&(at, s)| (at, offset_of[s])).collect()).collect();
    Merged { bytes, maps }
}

/// Where input offset `offset` (bytes) of a merged input lies in its
/// merged chunk: the offset of the string holding it plus its place in
/// that string (wasm-ld `MergeInputChunk::getParentOffset`). `None` for an
/// input without strings; the caller checks the offset lies inside the
/// input.
pub fn translate(map: &[(u32, u32)], offset: u32) -> Option<u32> {
    let i = map.partition_point(|&(at, _)| at <= offset).checked_sub(1)?;
    let (at, out) = map[i];
    Some(out + (offset - at))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// MERGE-STRINGS: the order and tail merging measured on wasm-ld 22
    /// with two C files (`xyz`, `bye`, `hello world`; `world` inside it).
    #[test]
    fn merged_in_reverse_suffix_order_with_tails_shared() {
        let a: &[u8] = b"hello world\0world\0bye\0";
        let b: &[u8] = b"world\0hello world\0xyz\0";
        let m = merge(&[a, b]);
        assert_eq!(m.bytes, b"xyz\0bye\0hello world\0");
        assert_eq!(m.maps[0], vec![(0, 8), (12, 14), (18, 4)]);
        assert_eq!(m.maps[1], vec![(0, 14), (6, 8), (18, 0)]);
        assert_eq!(translate(&m.maps[0], 15), Some(17));
        assert_eq!(translate(&m.maps[1], 20), Some(2));
        assert_eq!(translate(&[], 0), None);
    }

    #[test]
    fn unterminated_strings_are_refused() {
        assert_eq!(split(b"ab\0cd"), Err(()));
        assert_eq!(split(b"ab\0\0"), Ok(vec![0, 3]));
        assert_eq!(split(b""), Ok(vec![]));
    }
}
