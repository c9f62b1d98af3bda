//! `--build-id` (rule BUILD-ID; wasm-ld `Writer::writeBuildId`): a custom
//! section `build_id`, the last of the module, holding the id as a
//! length-prefixed byte string.

use crate::config::BuildId;

/// Bytes hashed at a time: wasm-ld hashes 1 MiB chunks, then the
/// concatenation of their hashes (so even a small module's id is a hash of
/// a hash).
const CHUNK: usize = 1024 * 1024;

/// The namespace of `fast`'s UUID v5 (wasm-ld's `makeUUID`, a fixed
/// random value).
const UUID_NAMESPACE: [u8; 16] = [0xA1, 0xFA, 0x48, 0x2D, 0x0E, 0x22, 0x03, 0x8D, 0x33, 0x8B, 0x52, 0x1C, 0xD6, 0xD2, 0x12, 0xB2];

/// Appends the `build_id` section to `module` (a finished module): first
/// with the id's bytes as spaces, which is what wasm-ld hashes, then the id
/// in their place. Id lengths: `fast` and `uuid` 16 bytes, `sha1` 20, a
/// hex string its own.
pub(crate) fn append(module: &mut Vec<u8>, id: &BuildId) {
    let len = match id {
        BuildId::Fast | BuildId::Uuid => 16,
        BuildId::Sha1 => 20,
        BuildId::Hex(bytes) => bytes.len(),
    };
    let mut contents = Vec::new();
    leb(&mut contents, "build_id".len());
    contents.extend_from_slice(b"build_id");
    leb(&mut contents, len);
    contents.extend(std::iter::repeat_n(b' ', len));
    module.push(0);
    leb(module, contents.len());
    module.extend_from_slice(&contents);
    let value = match id {
        BuildId::Hex(bytes) => bytes.clone(),
        BuildId::Sha1 => hash_of_hashes(module, |c| sha1_smol::Sha1::from(c).digest().bytes().to_vec()),
        BuildId::Fast => {
            let file_hash = hash_of_hashes(module, |c| xxhash_rust::xxh3::xxh3_64(c).to_le_bytes().to_vec());
            let mut sha = sha1_smol::Sha1::new();
            sha.update(&UUID_NAMESPACE);
            sha.update(&file_hash);
            uuid(5, &sha.digest().bytes()[..16])
        }
        BuildId::Uuid => uuid(4, &random_bytes()),
    };
    let at = module.len() - len;
    module[at..].copy_from_slice(&value);
}

/// wasm-ld's `computeHash`: each 1 MiB chunk hashed, then their hashes.
fn hash_of_hashes(data: &[u8], hash: impl Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
    let hashes: Vec<u8> = data.chunks(CHUNK).flat_map(&hash).collect();
    hash(&hashes)
}

/// A UUID of `version` from 16 bytes: the version in the high nibble of
/// byte 6, the variant bits `10` at the top of byte 8.
fn uuid(version: u8, bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes[..16].to_vec();
    out[6] = (version << 4) | (out[6] & 0x0f);
    out[8] = (out[8] & 0xbf) | 0x80;
    out
}

/// 16 bytes from the standard library's randomly keyed hasher (seeded by
/// the operating system per process): `uuid` asks only for an id unlikely
/// to repeat, not for cryptographic strength.
fn random_bytes() -> Vec<u8> {
    use std::hash::{BuildHasher, Hasher};
    let mut out = Vec::new();
    for i in 0..2u64 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(i);
        out.extend_from_slice(&h.finish().to_le_bytes());
    }
    out
}

fn leb(out: &mut Vec<u8>, mut v: usize) {
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

#[cfg(test)]
mod tests {
    /// BUILD-ID: the UUID bits wasm-ld sets.
    #[test]
    fn uuid_version_and_variant() {
        let u = super::uuid(4, &[0xff; 16]);
        assert_eq!((u[6], u[8]), (0x4f, 0xbf));
        let u = super::uuid(5, &[0; 16]);
        assert_eq!((u[6], u[8]), (0x50, 0x80));
    }
}
