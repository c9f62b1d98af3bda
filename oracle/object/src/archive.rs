//! A GNU-format `ar` writer (the archive format wasm-ld reads for `-l` and
//! `.a` inputs; Linking.md, "Archives": a member's defined non-local
//! symbols are lazy until referenced).
//!
//! Layout: `!<arch>\n`, then an optional `/` symbol index (big-endian count,
//! big-endian header offsets, NUL-terminated names), a `//` long-name table
//! when a member name is longer than 15 bytes, then the members, each with a
//! 60-byte header and padded to an even size with `\n`.

/// Archive writer options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArchiveOptions {
    /// Write the `/` symbol index (what `ranlib` adds). Its entries are the
    /// defined, non-local, non-section symbols of each wasm member, read
    /// with wasmparser; members that are not objects contribute none.
    pub symbol_index: bool,
    /// Write the `//` long-name table even when every member name fits its
    /// header (an empty table): Zig 0.17's archive reader refuses an
    /// archive without one (`MissingTableName`); wasm-ld and refld accept
    /// both.
    pub always_long_name_table: bool,
}

impl Default for ArchiveOptions {
    fn default() -> Self {
        ArchiveOptions { symbol_index: true, always_long_name_table: false }
    }
}

/// A GNU archive of `members` (name, bytes) with a symbol index.
pub fn archive(members: &[(&str, &[u8])]) -> Vec<u8> {
    archive_with_options(members, ArchiveOptions::default())
}

/// A GNU archive of `members` (name, bytes) written as `options` say.
pub fn archive_with_options(members: &[(&str, &[u8])], options: ArchiveOptions) -> Vec<u8> {
    // Long names go to the `//` table; members refer to them as `/<offset>`.
    let mut long_names = Vec::new();
    let header_names: Vec<String> = members
        .iter()
        .map(|(name, _)| {
            if name.len() <= 15 && !name.contains('/') {
                format!("{name}/")
            } else {
                let offset = long_names.len();
                long_names.extend_from_slice(name.as_bytes());
                long_names.extend_from_slice(b"/\n");
                format!("/{offset}")
            }
        })
        .collect();

    let symbols: Vec<Vec<String>> = if options.symbol_index {
        members.iter().map(|(_, bytes)| defined_symbols(bytes)).collect()
    } else {
        Vec::new()
    };
    let symbol_count: usize = symbols.iter().map(Vec::len).sum();
    let index_size = 4 + 4 * symbol_count + symbols.iter().flatten().map(|s| s.len() + 1).sum::<usize>();

    // Offsets of member headers, known once the index and name table sizes are.
    let mut offset = 8;
    if options.symbol_index {
        offset += 60 + padded(index_size);
    }
    let long_name_table = !long_names.is_empty() || options.always_long_name_table;
    if long_name_table {
        offset += 60 + padded(long_names.len());
    }
    let mut member_offsets = Vec::new();
    for (_, bytes) in members {
        member_offsets.push(offset);
        offset += 60 + padded(bytes.len());
    }

    let mut out = b"!<arch>\n".to_vec();
    if options.symbol_index {
        let mut index = Vec::with_capacity(index_size);
        index.extend_from_slice(&(symbol_count as u32).to_be_bytes());
        for (names, &at) in symbols.iter().zip(&member_offsets) {
            for _ in names {
                index.extend_from_slice(&(at as u32).to_be_bytes());
            }
        }
        for name in symbols.iter().flatten() {
            index.extend_from_slice(name.as_bytes());
            index.push(0);
        }
        member(&mut out, "/", &index);
    }
    if long_name_table {
        member(&mut out, "//", &long_names);
    }
    for (name, (_, bytes)) in header_names.iter().zip(members) {
        member(&mut out, name, bytes);
    }
    out
}

fn padded(n: usize) -> usize {
    n + n % 2
}

/// Appends one header and its content, padded to even length.
fn member(out: &mut Vec<u8>, name: &str, content: &[u8]) {
    let header = format!("{name:<16}{:<12}{:<6}{:<6}{:<8}{:<10}`\n", 0, 0, 0, 644, content.len());
    debug_assert_eq!(header.len(), 60);
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(content);
    if content.len() % 2 == 1 {
        out.push(b'\n');
    }
}

/// Names of the defined, non-local symbols of a wasm object (none if the
/// bytes are not one or cannot be read).
fn defined_symbols(bytes: &[u8]) -> Vec<String> {
    use wasmparser::{KnownCustom, Linking, Parser, Payload, SymbolFlags, SymbolInfo};
    let mut names = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        let Ok(Payload::CustomSection(c)) = payload else { continue };
        let KnownCustom::Linking(reader) = c.as_known() else { continue };
        for sub in reader.subsections() {
            let Ok(Linking::SymbolTable(map)) = sub else { continue };
            for sym in map.into_iter().flatten() {
                let (flags, name) = match sym {
                    SymbolInfo::Func { flags, name, .. }
                    | SymbolInfo::Global { flags, name, .. }
                    | SymbolInfo::Event { flags, name, .. }
                    | SymbolInfo::Table { flags, name, .. } => (flags, name),
                    SymbolInfo::Data { flags, name, .. } => (flags, Some(name)),
                    SymbolInfo::Section { .. } => continue,
                };
                let skip = SymbolFlags::UNDEFINED | SymbolFlags::BINDING_LOCAL;
                if let (false, Some(name)) = (flags.intersects(skip), name) {
                    names.push(name.to_string());
                }
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_and_long_names() {
        let a = archive_with_options(
            &[("a.o", b"abc"), ("a_rather_long_member_name.o", b"wxyz")],
            ArchiveOptions { symbol_index: false, ..ArchiveOptions::default() },
        );
        assert!(a.starts_with(b"!<arch>\n//"));
        let text = String::from_utf8_lossy(&a);
        assert!(text.contains("a_rather_long_member_name.o/\n"));
        assert!(text.contains("a.o/            0 "));
        assert!(text.contains("/0              0 "));
        assert_eq!(a.len() % 2, 0);
        // Headers are 60 bytes and every member starts at an even offset.
        let long_table = 8 + 60 + padded("a_rather_long_member_name.o/\n".len());
        assert_eq!(&a[long_table..long_table + 4], b"a.o/");
        assert_eq!(&a[long_table + 60..long_table + 63], b"abc");
        assert_eq!(&a[long_table + 60 + 4..long_table + 60 + 6], b"/0");
    }

    #[test]
    fn empty_long_name_table_on_request() {
        let without = archive_with_options(&[("a.o", b"abc")], ArchiveOptions { symbol_index: false, ..ArchiveOptions::default() });
        assert!(!String::from_utf8_lossy(&without).contains("//"));
        let with = archive_with_options(
            &[("a.o", b"abc")],
            ArchiveOptions { symbol_index: false, always_long_name_table: true },
        );
        assert_eq!(&with[8..10], b"//");
        // An empty table: size 0, then the member right after its header.
        assert_eq!(with[8 + 48..8 + 58].trim_ascii(), b"0");
        assert_eq!(&with[8 + 60..8 + 64], b"a.o/");
    }
}
