//! Bad inputs (SPEC.md, rules OBJ-*, SYN-1): each test builds a malformed or
//! invalid object with the oracle's encoder (`linkcheck::objgen`, which
//! keeps indices raw so a test can write any mistake), links it with refld
//! in memory and checks that the link fails without a panic and that the
//! error names the file (`lib.a(x.o)` for archive members) and, for
//! malformed sections (OBJ-2), the section and the byte offset:
//! `FILE: SECTION section at offset 0xN: ...`.
//!
//! Each input is also given to rust-lld (wasm-ld 22), which must reject it
//! too (exit status 1): that shows the input really is bad and the test is
//! not merely pinning a refld quirk. Exceptions, each said where it is:
//! inputs on which wasm-ld stops with an `LLVM ERROR` (abort) instead of a
//! diagnostic, and inputs only refld rejects (wasm64 relocation types,
//! GLOBAL_INDEX relocations against functions, a data symbol whose size
//! runs past its segment, a relocation across two segments).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::Command;

use linkcheck::objgen::{
    archive, encode, flags, Body, ComdatKind, ComdatMember, ComdatModel, DataDef, FuncSig,
    ObjectModel, RelocType, SymbolKind, SymbolModel, ValTypeModel,
};
use refld::config::InputSpec;
use refld::{Config, MemoryInputs};

// ---------------------------------------------------------------------------
// Helpers

fn v_i() -> FuncSig {
    FuncSig::new(&[], &[ValTypeModel::I32])
}

fn v_v() -> FuncSig {
    FuncSig::new(&[], &[])
}

/// A good object: `main` returns 7. Symbol 0 is `main`.
fn good() -> ObjectModel {
    let mut m = ObjectModel::new();
    m.import_memory();
    let mut body = Body::new();
    body.i32_const(7);
    m.define_func("main", v_i(), body, 0);
    m
}

/// An object whose `main` calls function symbol `target` (symbol 0 is `main`).
fn calling(target: u32) -> ObjectModel {
    let mut m = ObjectModel::new();
    m.import_memory();
    let mut body = Body::new();
    body.call(target);
    m.define_func("main", v_i(), body, 0);
    m
}

/// Links `inputs` (paths into `files`) with refld in memory, `--no-entry`.
/// The link must fail without a panic; returns every diagnostic, one per
/// line.
fn refld_rejects(files: &[(&str, &[u8])], inputs: &[&str]) -> String {
    refld_rejects_with(files, inputs, false)
}

fn refld_rejects_with(files: &[(&str, &[u8])], inputs: &[&str], whole_archive: bool) -> String {
    let mut provider = MemoryInputs::default();
    for (path, bytes) in files {
        provider.add(*path, bytes.to_vec());
    }
    let config = Config {
        inputs: inputs
            .iter()
            .map(|p| InputSpec::File {
                path: p.to_string(),
                whole_archive,
                lazy: false,
            })
            .collect(),
        entry: None,
        ..Default::default()
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| refld::link(&config, &provider)));
    match outcome {
        Err(panic) => {
            let what = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("refld panicked on a bad input ({inputs:?}): {what}")
        }
        Ok(Ok(_)) => panic!("refld accepted a bad input ({inputs:?})"),
        Ok(Err(e)) => {
            assert!(
                !e.diagnostics.is_empty(),
                "a failed link reports at least one error"
            );
            assert!(
                e.diagnostics
                    .iter()
                    .any(|d| d.severity == refld::Severity::Error),
                "a failed link reports an error: {e}"
            );
            e.to_string()
        }
    }
}

/// One bad object `bad.o` alone.
fn refld_rejects_object(bytes: &[u8]) -> String {
    refld_rejects(&[("bad.o", bytes)], &["bad.o"])
}

/// Runs rust-lld on `files` (written to a temporary folder) with
/// `--no-entry` and `inputs`; it must exit with status 1. Returns stderr.
fn rust_lld_rejects(files: &[(&str, &[u8])], inputs: &[&str]) -> String {
    let lld =
        refld_tests::real::rust_lld().expect("rust-lld is needed to confirm that the input is bad");
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in files {
        std::fs::write(dir.path().join(path), bytes).unwrap();
    }
    let out = Command::new(&lld)
        .current_dir(dir.path())
        .arg("--no-entry")
        .args(inputs)
        .args(["-o", "out.wasm"])
        .output()
        .expect("run rust-lld");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(1),
        "rust-lld must reject {inputs:?} with exit status 1; stderr:\n{stderr}"
    );
    stderr
}

fn rust_lld_rejects_object(bytes: &[u8]) -> String {
    rust_lld_rejects(&[("bad.o", bytes)], &["bad.o"])
}

/// Like [`rust_lld_rejects_object`] for inputs on which wasm-ld 22 stops
/// with an `LLVM ERROR` (a fatal error in LLVM's reader, exiting through
/// abort) instead of a diagnostic: it must fail, either way.
fn rust_lld_fails_object(bytes: &[u8]) -> String {
    let lld =
        refld_tests::real::rust_lld().expect("rust-lld is needed to confirm that the input is bad");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.o"), bytes).unwrap();
    let out = Command::new(&lld)
        .current_dir(dir.path())
        .args(["--no-entry", "bad.o", "-o", "out.wasm"])
        .output()
        .expect("run rust-lld");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let failed =
        out.status.code() == Some(1) || (!out.status.success() && stderr.contains("LLVM ERROR"));
    assert!(
        failed,
        "rust-lld must reject bad.o ({}); stderr:\n{stderr}",
        out.status
    );
    stderr
}

/// Both linkers reject `bytes` as `bad.o`; returns (refld's, rust-lld's)
/// messages.
fn both_reject(bytes: &[u8]) -> (String, String) {
    let ours = refld_rejects_object(bytes);
    let theirs = rust_lld_rejects_object(bytes);
    eprintln!("refld: {ours}\nrust-lld: {theirs}");
    (ours, theirs)
}

/// The first line of refld's message starts with `prefix`.
fn assert_starts(msg: &str, prefix: &str) {
    assert!(
        msg.starts_with(prefix),
        "expected a message starting with `{prefix}`, got:\n{msg}"
    );
}

/// One section of an encoded module.
#[derive(Debug)]
struct Section {
    id: u8,
    /// The id byte.
    start: usize,
    /// The first payload byte.
    payload: usize,
    /// One past the last payload byte.
    end: usize,
    /// `code`, `data`, ... or a custom section's own name.
    name: String,
    /// Custom sections: one past the name (the first byte of their data).
    name_end: usize,
}

const SECTION_NAMES: [&str; 14] = [
    "custom",
    "type",
    "import",
    "function",
    "table",
    "memory",
    "global",
    "export",
    "start",
    "element",
    "code",
    "data",
    "datacount",
    "tag",
];

/// Every section of a well-formed module, read by hand from the headers.
fn sections(bytes: &[u8]) -> Vec<Section> {
    let mut out = Vec::new();
    let mut at = 8;
    while at < bytes.len() {
        let id = bytes[at];
        let mut p = at + 1;
        let size = read_uleb(bytes, &mut p) as usize;
        let (mut name, mut name_end) = (SECTION_NAMES[id as usize].to_string(), p);
        if id == 0 {
            let len = read_uleb(bytes, &mut name_end) as usize;
            name = String::from_utf8(bytes[name_end..name_end + len].to_vec()).unwrap();
            name_end += len;
        }
        out.push(Section {
            id,
            start: at,
            payload: p,
            end: p + size,
            name,
            name_end,
        });
        at = p + size;
    }
    assert_eq!(at, bytes.len());
    out
}

fn section<'a>(all: &'a [Section], name: &str) -> &'a Section {
    all.iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no {name} section"))
}

fn read_uleb(bytes: &[u8], at: &mut usize) -> u64 {
    let mut r = wasmparser::BinaryReader::new(&bytes[*at..], 0);
    let v = r.read_var_u64().unwrap();
    *at += r.original_position() as usize;
    v
}

/// The file offset of each SYMBOL_TABLE entry (wasmparser's reading).
fn symbol_entry_offsets(bytes: &[u8]) -> Vec<u64> {
    use wasmparser::{KnownCustom, Linking, Payload};
    for p in wasmparser::Parser::new(0).parse_all(bytes) {
        if let Payload::CustomSection(c) = p.unwrap() {
            if let KnownCustom::Linking(l) = c.as_known() {
                for sub in l {
                    if let Linking::SymbolTable(map) = sub.unwrap() {
                        return map
                            .into_iter_with_offsets()
                            .map(|e| e.unwrap().0)
                            .collect();
                    }
                }
            }
        }
    }
    panic!("no symbol table")
}

/// The file offset of each entry of relocation section `name`.
fn reloc_entry_offsets(bytes: &[u8], name: &str) -> Vec<u64> {
    use wasmparser::{KnownCustom, Payload};
    for p in wasmparser::Parser::new(0).parse_all(bytes) {
        if let Payload::CustomSection(c) = p.unwrap() {
            if c.name() == name {
                let KnownCustom::Reloc(r) = c.as_known() else {
                    panic!("{name} is not a relocation section")
                };
                return r
                    .entries()
                    .into_iter_with_offsets()
                    .map(|e| e.unwrap().0)
                    .collect();
            }
        }
    }
    panic!("no {name} section")
}

/// The offset N of the first `SECTION section at offset 0xN: ` in `msg`.
fn offset_in(msg: &str, section: &str) -> u64 {
    let key = format!("{section} section at offset 0x");
    let at = msg
        .find(&key)
        .unwrap_or_else(|| panic!("no `{key}` in:\n{msg}"))
        + key.len();
    let hex: String = msg[at..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    u64::from_str_radix(&hex, 16).unwrap()
}

/// `bytes` with section `s` replaced by one of the same id and name whose
/// payload is `payload` (the custom name is kept for custom sections).
fn replace_payload(bytes: &[u8], s: &Section, payload: &[u8]) -> Vec<u8> {
    let mut content = bytes[s.payload..s.name_end].to_vec();
    content.extend_from_slice(payload);
    let mut out = bytes[..s.start].to_vec();
    out.push(s.id);
    let mut size = Vec::new();
    linkcheck::objgen::leb::write_uleb(&mut size, content.len() as u64);
    out.extend_from_slice(&size);
    out.extend_from_slice(&content);
    out.extend_from_slice(&bytes[s.end..]);
    out
}

// ---------------------------------------------------------------------------
// OBJ-1

#[test]
fn not_wasm() {
    // Random bytes (a fixed xorshift sequence) and an ELF header.
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let random: Vec<u8> = (0..256)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let mut elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".to_vec();
    elf.extend_from_slice(&[1, 0, 0x3e, 0, 1, 0, 0, 0]);
    elf.resize(64, 0);
    for bytes in [random, elf] {
        let (ours, _) = both_reject(&bytes);
        assert_starts(&ours, "error: bad.o: ");
    }
}

/// A good object with most sections: types, imports, functions, code,
/// data, a custom section, `linking`, `reloc.CODE`, `reloc.DATA`,
/// `producers`.
fn many_sections() -> ObjectModel {
    let mut m = ObjectModel::new();
    m.import_memory();
    let callee = m.define_func("callee", v_i(), Body::new(), 0);
    let mut body = Body::new();
    body.call(callee);
    m.define_func("main", v_i(), body, 0);
    let d = m.define_data("d", ".data.d", &[1, 2, 3, 4], 0);
    m.add_data_reloc(0, 0, RelocType::MemoryAddrI32, d, 0);
    m.add_custom_section("my_meta", b"some bytes");
    m.producers.push(linkcheck::objgen::ProducerField {
        name: "processed-by".into(),
        values: vec![("objgen".into(), "1".into())],
    });
    m
}

#[test]
fn truncated() {
    // OBJ-1/OBJ-2: a good object cut short anywhere but at a section
    // boundary is an error naming the file, the section that is cut and an
    // offset inside it. (Cut at a boundary, what is left may well be a
    // good object: the sections after `linking` are optional.)
    let bytes = encode(&many_sections());
    let all = sections(&bytes);
    assert!(all.len() >= 10, "{all:?}");
    let mut provider = MemoryInputs::default();
    provider.add("good.o", bytes.clone());
    let config = Config {
        inputs: vec![InputSpec::File {
            path: "good.o".into(),
            whole_archive: false,
            lazy: false,
        }],
        entry: None,
        ..Default::default()
    };
    refld::link(&config, &provider).expect("the uncut object links");

    for len in 0..bytes.len() {
        if all.iter().any(|s| s.start == len) {
            continue;
        }
        let msg = refld_rejects_object(&bytes[..len]);
        assert_starts(&msg, "error: bad.o: ");
        let Some(s) = all.iter().find(|s| s.start < len && len < s.end) else {
            assert!(len < 8, "cut at {len} lies in no section");
            continue;
        };
        let name = match s.id {
            0 if len >= s.name_end => s.name.as_str(),
            id => SECTION_NAMES[id as usize],
        };
        let prefix = format!("error: bad.o: {name} section at offset 0x");
        assert!(
            msg.starts_with(&prefix),
            "cut at {len} inside {s:?}: expected `{prefix}...`, got:\n{msg}"
        );
        let offset = offset_in(&msg, name) as usize;
        assert!(
            (s.start..=len).contains(&offset),
            "cut at {len} inside {s:?}: offset {offset:#x} is not in the section:\n{msg}"
        );
    }

    // rust-lld rejects a cut in the middle of each section too.
    for s in &all {
        let cut = (s.start + s.end) / 2;
        rust_lld_fails_object(&bytes[..cut]);
    }

    // A relocation section cut short inside an otherwise whole file: its
    // header (target section, entry count) is incomplete. Read as an
    // unknown custom section it would be copied to the output.
    let reloc = section(&all, "reloc.CODE");
    let cut = replace_payload(&bytes, reloc, &bytes[reloc.name_end..reloc.name_end + 1]);
    let ours = refld_rejects_object(&cut);
    rust_lld_fails_object(&cut);
    assert_starts(&ours, "error: bad.o: reloc.CODE section at offset 0x");
    let offset = offset_in(&ours, "reloc.CODE") as usize;
    assert!(
        (reloc.start..=reloc.name_end + 1).contains(&offset),
        "{ours}"
    );
}

#[test]
fn no_linking_section() {
    let mut m = good();
    m.omit_linking = true;
    let bytes = encode(&m);
    wasmparser::Validator::new()
        .validate_all(&bytes)
        .expect("still a valid module");
    let (ours, _) = both_reject(&bytes);
    assert_starts(&ours, "error: bad.o: ");
    assert!(ours.contains("no linking section"), "{ours}");
}

#[test]
fn wrong_linking_version() {
    for version in [1, 3] {
        let mut m = good();
        m.linking_version = version;
        let bytes = encode(&m);
        let linking = section(&sections(&bytes), "linking").name_end;
        let (ours, theirs) = both_reject(&bytes);
        assert!(
            theirs.contains(&format!("unexpected metadata version: {version}")),
            "{theirs}"
        );
        assert_starts(
            &ours,
            &format!("error: bad.o: linking section at offset {linking:#x}: "),
        );
        assert!(ours.contains(&format!("version: {version}")), "{ours}");
    }
}

// ---------------------------------------------------------------------------
// OBJ-2

#[test]
fn malformed_symbol_table() {
    let bytes = encode(&good());
    let all = sections(&bytes);
    let linking = section(&all, "linking");
    let mut at = linking.name_end;
    assert_eq!(read_uleb(&bytes, &mut at), 2, "version");
    assert_eq!(bytes[at], 8, "SYMBOL_TABLE");
    at += 1;
    read_uleb(&bytes, &mut at);
    let count_at = at;
    assert_eq!(read_uleb(&bytes, &mut at), 1, "one symbol");
    assert_eq!(bytes[at], 0, "a function symbol");
    assert_eq!(symbol_entry_offsets(&bytes), [at as u64]);

    // An unknown symbol kind: the error points at its byte.
    let mut bad = bytes.clone();
    bad[at] = 0x2a;
    let (ours, theirs) = both_reject(&bad);
    assert!(
        theirs.contains("bad.o: invalid symbol type: 42"),
        "{theirs}"
    );
    assert_starts(
        &ours,
        &format!("error: bad.o: linking section at offset {at:#x}: "),
    );

    // More symbols announced than the subsection holds: the reader runs
    // off the end of the subsection, inside the linking section.
    let mut bad = bytes.clone();
    bad[count_at] = 5;
    let ours = refld_rejects_object(&bad);
    rust_lld_fails_object(&bad);
    assert_starts(&ours, "error: bad.o: linking section at offset 0x");
    let offset = offset_in(&ours, "linking") as usize;
    assert!((at..=linking.end).contains(&offset), "{ours}");
}

#[test]
fn function_type_out_of_range() {
    // Type indices are not symbols but must exist all the same: the
    // function section, a function import and a tag name type 99 of one.
    let mut defined = good();
    defined.functions[0].type_index = 99;
    let mut imported = good();
    imported.import_func("env", "f", v_i());
    imported.imports.last_mut().unwrap().kind =
        linkcheck::objgen::ImportKind::Func { type_index: 99 };
    let mut tag = good();
    tag.tags.push(99);
    for (m, sec) in [(defined, "function"), (imported, "import"), (tag, "tag")] {
        let bytes = encode(&m);
        let all = sections(&bytes);
        let s = section(&all, sec);
        let ours = refld_rejects_object(&bytes);
        assert_starts(&ours, &format!("error: bad.o: {sec} section at offset 0x"));
        assert!(ours.contains("type index 99 out of range"), "{ours}");
        let offset = offset_in(&ours, sec) as usize;
        assert!((s.payload..s.end).contains(&offset), "{ours}");
        let theirs = rust_lld_rejects_object(&bytes);
        assert!(theirs.contains("bad.o: invalid"), "{theirs}");
    }
}

// ---------------------------------------------------------------------------
// OBJ-3

#[test]
fn symbol_index_out_of_range() {
    let ghost = |kind, flags, index| SymbolModel {
        kind,
        flags,
        name: Some("ghost".into()),
        index,
        data: None,
    };
    let cases: Vec<(&str, ObjectModel)> = vec![
        ("defined function past the functions", {
            let mut m = good();
            m.symbols.push(ghost(SymbolKind::Function, 0, 50));
            m
        }),
        ("undefined function past the imports", {
            let mut m = good();
            m.symbols.push(ghost(
                SymbolKind::Function,
                flags::UNDEFINED | flags::EXPLICIT_NAME,
                0,
            ));
            m
        }),
        ("defined function naming an import", {
            let mut m = good();
            m.import_func("env", "imported", v_i());
            m.symbols.push(ghost(SymbolKind::Function, 0, 0));
            m
        }),
        ("defined global past the globals", {
            let mut m = good();
            m.symbols.push(ghost(SymbolKind::Global, 0, 3));
            m
        }),
    ];
    for (what, m) in cases {
        eprintln!("{what}");
        let bytes = encode(&m);
        let entry = *symbol_entry_offsets(&bytes).last().unwrap();
        let (ours, _) = both_reject(&bytes);
        assert_starts(
            &ours,
            &format!("error: bad.o: linking section at offset {entry:#x}: "),
        );
    }
}

#[test]
fn data_symbol_outside_segment() {
    let mut m = good();
    m.define_data("d", ".data.d", &[0; 4], 0);
    // (segment, offset, size); wasm-ld 22 checks only the segment and that
    // the offset is not past the segment's end, refld also the size (a
    // symbol lies inside its segment, OBJ-3).
    for (segment, offset, size, lld_rejects) in [(7, 0, 4, true), (0, 5, 0, true), (0, 2, 4, false)]
    {
        m.symbols[1].data = Some(DataDef {
            segment,
            offset,
            size,
        });
        let bytes = encode(&m);
        let entry = symbol_entry_offsets(&bytes)[1];
        let ours = refld_rejects_object(&bytes);
        eprintln!("{ours}");
        assert_starts(
            &ours,
            &format!("error: bad.o: linking section at offset {entry:#x}: data symbol d "),
        );
        if lld_rejects {
            rust_lld_rejects_object(&bytes);
        }
    }
}

// ---------------------------------------------------------------------------
// OBJ-4

#[test]
fn relocation_outside_section() {
    // A data relocation past the end of the data section.
    let mut m = good();
    let d = m.define_data("d", ".data.d", &[0; 8], 0);
    m.add_data_reloc(0, 100, RelocType::MemoryAddrI32, d, 0);
    let bytes = encode(&m);
    let entry = reloc_entry_offsets(&bytes, "reloc.DATA")[0];
    let (ours, theirs) = both_reject(&bytes);
    assert!(
        theirs.contains("bad.o: invalid relocation offset"),
        "{theirs}"
    );
    assert_starts(
        &ours,
        &format!("error: bad.o: reloc.DATA section at offset {entry:#x}: R_WASM_MEMORY_ADDR_I32: "),
    );
    assert!(ours.contains("outside its section"), "{ours}");

    // A code relocation past the end of the code section.
    let mut m = calling(0);
    m.functions[0].body.relocs[0].offset = 1000;
    let bytes = encode(&m);
    let entry = reloc_entry_offsets(&bytes, "reloc.CODE")[0];
    let (ours, _) = both_reject(&bytes);
    assert_starts(
        &ours,
        &format!(
            "error: bad.o: reloc.CODE section at offset {entry:#x}: R_WASM_FUNCTION_INDEX_LEB: "
        ),
    );

    // A field that starts in one segment and ends in the next: inside the
    // section, but in no one segment (wasm-ld 22 checks the section only).
    let mut m = good();
    let d = m.define_data("d", ".data.d", &[0; 8], 0);
    m.define_data("e", ".data.e", &[0; 8], 0);
    m.add_data_reloc(0, 6, RelocType::MemoryAddrI32, d, 0);
    let ours = refld_rejects_object(&encode(&m));
    assert_starts(&ours, "error: bad.o: reloc.DATA section at offset 0x");
    assert!(
        ours.contains("does not lie inside one data segment"),
        "{ours}"
    );

    // Relocations for a section that does not exist (section 99).
    let mut m = good();
    let d = m.define_data("d", ".data.d", &[0; 8], 0);
    m.add_data_reloc(0, 0, RelocType::MemoryAddrI32, d, 0);
    let mut bytes = encode(&m);
    let index_at = section(&sections(&bytes), "reloc.DATA").name_end;
    assert!(bytes[index_at] < 0x80, "one-byte section index");
    bytes[index_at] = 99;
    let (ours, _) = both_reject(&bytes);
    assert_starts(&ours, "error: bad.o: reloc");
    assert!(ours.contains("section 99"), "{ours}");
}

#[test]
fn relocation_wrong_symbol_kind() {
    // `call` of a data symbol.
    let mut m = calling(1);
    m.define_data("d", ".data.d", &[0; 4], 0);
    let bytes = encode(&m);
    let entry = reloc_entry_offsets(&bytes, "reloc.CODE")[0];
    let (ours, theirs) = both_reject(&bytes);
    assert!(
        theirs.contains("bad.o: invalid function relocation: d"),
        "{theirs}"
    );
    assert_starts(
        &ours,
        &format!(
            "error: bad.o: reloc.CODE section at offset {entry:#x}: R_WASM_FUNCTION_INDEX_LEB: "
        ),
    );
    assert!(ours.contains("Data symbol d"), "{ours}");

    // The address of a function symbol.
    let mut m = good();
    let mut body = Body::new();
    body.i32_const_addr(0, 0);
    m.define_func("f", v_i(), body, 0);
    let (ours, _) = both_reject(&encode(&m));
    assert_starts(&ours, "error: bad.o: reloc.CODE section at offset 0x");
    assert!(
        ours.contains("R_WASM_MEMORY_ADDR_SLEB") && ours.contains("Function symbol main"),
        "{ours}"
    );

    // A table number naming a function symbol.
    let mut m = good();
    let t = m.add_type(v_i());
    let mut body = Body::new();
    body.i32_const(0).call_indirect(t, Some(0));
    m.define_func("f", v_i(), body, 0);
    let (ours, theirs) = both_reject(&encode(&m));
    assert!(
        theirs.contains("bad.o: invalid table relocation"),
        "{theirs}"
    );
    assert_starts(&ours, "error: bad.o: reloc.CODE section at offset 0x");
    assert!(
        ours.contains("R_WASM_TABLE_NUMBER_LEB") && ours.contains("Function symbol main"),
        "{ours}"
    );

    // `global.get` of a function symbol: refld only, as wasm-ld 22 accepts
    // GLOBAL_INDEX relocations against functions and data (it makes a GOT
    // global for them, even without -pie); refld allows global symbols only.
    let mut m = good();
    let mut body = Body::new();
    body.global_get(0);
    m.define_func("f", v_i(), body, 0);
    let ours = refld_rejects_object(&encode(&m));
    assert_starts(&ours, "error: bad.o: reloc.CODE section at offset 0x");
    assert!(
        ours.contains("R_WASM_GLOBAL_INDEX_LEB") && ours.contains("Function symbol main"),
        "{ours}"
    );
}

#[test]
fn relocation_symbol_out_of_range() {
    let bytes = encode(&calling(99));
    let entry = reloc_entry_offsets(&bytes, "reloc.CODE")[0];
    let (ours, theirs) = both_reject(&bytes);
    assert!(
        theirs.contains("bad.o: invalid function relocation"),
        "{theirs}"
    );
    assert_starts(
        &ours,
        &format!(
            "error: bad.o: reloc.CODE section at offset {entry:#x}: R_WASM_FUNCTION_INDEX_LEB: "
        ),
    );
    assert!(ours.contains("symbol index 99"), "{ours}");

    // A data relocation against symbol 99.
    let mut m = good();
    m.define_data("d", ".data.d", &[0; 4], 0);
    m.add_data_reloc(0, 0, RelocType::MemoryAddrI32, 99, 0);
    let (ours, _) = both_reject(&encode(&m));
    assert_starts(&ours, "error: bad.o: reloc.DATA section at offset 0x");
    assert!(ours.contains("symbol index 99"), "{ours}");

    // TYPE_INDEX_LEB names a type, not a symbol: type 99 does not exist.
    let mut m = good();
    let mut body = Body::new();
    body.i32_const(0).call_indirect(99, None);
    m.define_func("f", v_i(), body, 0);
    let (ours, _) = both_reject(&encode(&m));
    assert_starts(&ours, "error: bad.o: reloc.CODE section at offset 0x");
    assert!(
        ours.contains("R_WASM_TYPE_INDEX_LEB") && ours.contains("type index 99"),
        "{ours}"
    );
}

#[test]
fn wasm64_relocation_not_supported() {
    // refld does not support the wasm64 relocation types (OBJ-4) and says
    // so. wasm-ld 22 links these particular objects (it patches the 64-bit
    // fields in a wasm32 output), so there is no rust-lld check: the
    // inputs are unsupported, not malformed.
    let mut data = good();
    let d = data.define_data("d", ".data.d", &[0; 8], 0);
    data.add_data_reloc(0, 0, RelocType::MemoryAddrI64, d, 0);
    let mut code = good();
    let d = code.define_data("d", ".data.d", &[0; 8], 0);
    let mut body = Body::new();
    body.raw(&[0x42])
        .site(RelocType::MemoryAddrSleb64, d, 0)
        .drop();
    code.define_func("f", v_v(), body, 0);
    for (m, sec, ty) in [
        (data, "reloc.DATA", "R_WASM_MEMORY_ADDR_I64"),
        (code, "reloc.CODE", "R_WASM_MEMORY_ADDR_SLEB64"),
    ] {
        let bytes = encode(&m);
        let entry = reloc_entry_offsets(&bytes, sec)[0];
        let ours = refld_rejects_object(&bytes);
        assert_starts(
            &ours,
            &format!("error: bad.o: {sec} section at offset {entry:#x}: {ty}: not supported yet"),
        );
    }
}

// ---------------------------------------------------------------------------
// OBJ-5, OBJ-6

#[test]
fn init_func_not_a_function() {
    let mut m = good();
    let d = m.define_data("d", ".data.d", &[0; 4], 0);
    m.add_init_func(1, d);
    let (ours, theirs) = both_reject(&encode(&m));
    assert!(
        theirs.contains("bad.o: invalid function symbol: 1"),
        "{theirs}"
    );
    assert_starts(&ours, "error: bad.o: linking section");
    assert!(ours.contains("init function refers to symbol 1"), "{ours}");

    let mut m = good();
    m.add_init_func(1, 99);
    let (ours, _) = both_reject(&encode(&m));
    assert_starts(&ours, "error: bad.o: linking section");
    assert!(ours.contains("init function refers to symbol 99"), "{ours}");
}

#[test]
fn comdat_member_out_of_range() {
    use ComdatKind::*;
    for kind in [Data, Function, Global, Tag, Table, Section] {
        let mut m = good();
        m.comdats.push(ComdatModel {
            name: "g".into(),
            members: vec![ComdatMember { kind, index: 1000 }],
        });
        eprintln!("{kind:?}");
        let (ours, _) = both_reject(&encode(&m));
        assert_starts(&ours, "error: bad.o: linking section");
        assert!(ours.contains("COMDAT g"), "{ours}");
    }
}

// ---------------------------------------------------------------------------
// SYN-1, DIAG-1

#[test]
fn reserved_symbol_defined() {
    let mut m = good();
    m.define_global("__stack_pointer", ValTypeModel::I32, true, 0, 0);
    let (ours, theirs) = both_reject(&encode(&m));
    let want =
        "error: duplicate symbol: __stack_pointer\n>>> defined in <internal>\n>>> defined in bad.o";
    assert_eq!(ours, want);
    assert!(
        theirs.contains(&want.replace("error: ", "rust-lld: error: ")),
        "{theirs}"
    );

    // Both reserved names: both errors are reported (DIAG-1).
    m.define_func("__wasm_call_ctors", v_v(), Body::new(), 0);
    let (ours, theirs) = both_reject(&encode(&m));
    let want2 = "error: duplicate symbol: __wasm_call_ctors\n>>> defined in <internal>\n>>> defined in bad.o";
    assert_eq!(ours, format!("{want}\n{want2}"));
    assert!(
        theirs.contains(&want2.replace("error: ", "rust-lld: error: ")),
        "{theirs}"
    );
}

// ---------------------------------------------------------------------------
// OBJ-2 for archive members

#[test]
fn archive_member_named_in_error() {
    // `main.o` calls `f`, defined by member `x.o` of `lib.a`; x.o also has a
    // symbol out of range, found when x.o is extracted and read in full.
    let mut main = ObjectModel::new();
    main.import_memory();
    let f = main.undefined_func("f", "env", "f", v_i(), 0);
    let mut body = Body::new();
    body.call(f);
    main.define_func("main", v_i(), body, 0);
    let main = encode(&main);

    let mut x = ObjectModel::new();
    x.import_memory();
    x.define_func("f", v_i(), Body::new(), 0);
    x.symbols.push(SymbolModel {
        kind: SymbolKind::Function,
        flags: 0,
        name: Some("ghost".into()),
        index: 50,
        data: None,
    });
    let x = encode(&x);
    let entry = symbol_entry_offsets(&x)[1];
    let lib = archive(&[("x.o", &x)]);
    let files: [(&str, &[u8]); 2] = [("main.o", &main), ("lib.a", &lib)];
    let want = format!("error: lib.a(x.o): linking section at offset {entry:#x}: ");
    let ours = refld_rejects(&files, &["main.o", "lib.a"]);
    assert_starts(&ours, &want);
    let theirs = rust_lld_rejects(&files, &["main.o", "lib.a"]);
    // wasm-ld 22 names the member alone.
    assert!(
        theirs.contains("x.o: invalid function symbol index"),
        "{theirs}"
    );
    // The same with --whole-archive, without main.o.
    let ours = refld_rejects_with(&files, &["lib.a"], true);
    assert_starts(&ours, &want);

    // A member whose symbol table cannot be read at all fails while the
    // archive's members are indexed (offsets count from the member's start).
    let mut y = encode(&good());
    let at = symbol_entry_offsets(&y)[0] as usize;
    y[at] = 0x2a;
    let lib = archive(&[("x.o", &encode(&good())), ("y.o", &y)]);
    let ours = refld_rejects(&[("lib.a", &lib)], &["lib.a"]);
    assert_starts(
        &ours,
        &format!("error: lib.a(y.o): linking section at offset {at:#x}: "),
    );

    // A member cut short, anywhere but at a section boundary, is named with
    // the section that is cut, whether it is indexed (lazy) or loaded.
    let bytes = encode(&many_sections());
    let all = sections(&bytes);
    for len in 8..bytes.len() {
        let Some(s) = all.iter().find(|s| s.start < len && len < s.end) else {
            continue;
        };
        let name = match s.id {
            0 if len >= s.name_end => s.name.as_str(),
            id => SECTION_NAMES[id as usize],
        };
        let lib = archive(&[("x.o", &bytes[..len])]);
        for whole_archive in [false, true] {
            let ours = refld_rejects_with(&[("lib.a", &lib)], &["lib.a"], whole_archive);
            let prefix = format!("error: lib.a(x.o): {name} section at offset 0x");
            assert!(
                ours.starts_with(&prefix),
                "cut at {len} inside {s:?}: expected `{prefix}...`, got:\n{ours}"
            );
            let offset = offset_in(&ours, name) as usize;
            assert!(
                (s.start..=len).contains(&offset),
                "cut at {len} inside {s:?}: offset {offset:#x}:\n{ours}"
            );
        }
    }
}
