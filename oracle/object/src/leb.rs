//! LEB128 helpers, minimal and padded (Linking.md, "Relocation sections":
//! relocation sites hold 5-byte padded LEBs so a linker can patch them in
//! place; the 64-bit forms are 10 bytes).

/// Appends `v` as a minimal unsigned LEB128.
pub fn write_uleb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Appends `v` as a minimal signed LEB128.
pub fn write_sleb(out: &mut Vec<u8>, mut v: i64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        let done = (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0);
        if done {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// The length of `v` as a minimal unsigned LEB128.
pub fn uleb_len(v: u64) -> usize {
    let mut buf = Vec::new();
    write_uleb(&mut buf, v);
    buf.len()
}

/// `v` as an unsigned LEB128 padded to exactly `width` bytes (5 for the
/// 32-bit relocation forms, 10 for the 64-bit ones). High bits that do not
/// fit are dropped.
pub fn padded_uleb(v: u64, width: usize) -> Vec<u8> {
    (0..width)
        .map(|i| {
            let byte = ((v.checked_shr(7 * i as u32).unwrap_or(0)) & 0x7f) as u8;
            if i + 1 < width {
                byte | 0x80
            } else {
                byte
            }
        })
        .collect()
}

/// `v` as a signed LEB128 padded to exactly `width` bytes.
pub fn padded_sleb(v: i64, width: usize) -> Vec<u8> {
    (0..width)
        .map(|i| {
            let shift = (7 * i as u32).min(63);
            let byte = ((v >> shift) & 0x7f) as u8;
            if i + 1 < width {
                byte | 0x80
            } else {
                byte
            }
        })
        .collect()
}

/// Appends a name: its byte length as an unsigned LEB128, then the bytes.
pub fn write_name(out: &mut Vec<u8>, name: &str) {
    write_uleb(out, name.len() as u64);
    out.extend_from_slice(name.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_forms() {
        let mut b = Vec::new();
        write_uleb(&mut b, 624485);
        assert_eq!(b, [0xe5, 0x8e, 0x26]);
        b.clear();
        write_sleb(&mut b, -123456);
        assert_eq!(b, [0xc0, 0xbb, 0x78]);
        b.clear();
        write_sleb(&mut b, 64);
        assert_eq!(b, [0xc0, 0x00]);
        assert_eq!(uleb_len(127), 1);
        assert_eq!(uleb_len(128), 2);
    }

    #[test]
    fn padded_forms_read_back() {
        for v in [0i64, 1, 63, 64, -1, -64, -65, 1 << 20, i32::MAX as i64, i32::MIN as i64] {
            let s = padded_sleb(v, 5);
            assert_eq!(s.len(), 5);
            let mut r = wasmparser::BinaryReader::new(&s, 0u64);
            assert_eq!(r.read_var_i32().unwrap() as i64, v, "{s:x?}");
            assert!(r.eof());
        }
        for v in [0u64, 1, 127, 128, u32::MAX as u64] {
            let u = padded_uleb(v, 5);
            let mut r = wasmparser::BinaryReader::new(&u, 0u64);
            assert_eq!(r.read_var_u32().unwrap() as u64, v);
            assert!(r.eof());
        }
        let s = padded_sleb(-5_000_000_000, 10);
        let mut r = wasmparser::BinaryReader::new(&s, 0u64);
        assert_eq!(r.read_var_i64().unwrap(), -5_000_000_000);
        assert!(r.eof());
    }
}
