//! Bad inputs (SPEC.md, rules OBJ-*, SYN-1): each test builds a malformed or
//! invalid object with the oracle's encoder (`linkcheck_object`, which
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
//! diagnostic, and inputs only refld rejects (
//! GLOBAL_INDEX relocations against functions, a data symbol whose size
//! runs past its segment, a relocation across two segments).


#[path = "bad_inputs/support.rs"]
mod support;

use support::*;

use linkcheck_object::{
    archive, encode, flags, Body, ComdatKind, ComdatMember, ComdatModel, DataDef,
    ObjectModel, RelocType, SymbolKind, SymbolModel, ValTypeModel,
};
use refld::config::InputSpec;
use refld::{Config, MemoryInputs};


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
    m.producers.push(linkcheck_object::ProducerField {
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
    testkit::validate(&bytes).expect("still a valid module");
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
        linkcheck_object::ImportKind::Func { type_index: 99 };
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
    // (`global.get` of a function symbol is no bad input: a GOT entry,
    // DYN-GOT / DYN-STATIC, `rules::pic_code_in_a_static_link`.)
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

#[test]
fn table_import_without_a_symbol() {
    // OBJ-8 (measured, wasm-ld 22): an object without table symbols may
    // import the indirect function table only; any other table import
    // needs its symbol.
    let mut m = good();
    m.imports.push(linkcheck_object::ImportModel { module: "other".into(), field: "t".into(), kind: linkcheck_object::ImportKind::Table { min: 0, table64: false } });
    let (ours, theirs) = both_reject(&encode(&m));
    assert!(theirs.contains("bad.o: table import t is missing a symbol table entry."), "{theirs}");
    assert!(ours.contains("bad.o: table import t is missing a symbol table entry."), "{ours}");
}

#[test]
fn code_indices_without_relocations_are_copied_as_wasm_ld_copies_them() {
    // Found by the parse_objects fuzz target: unrelocated.o's code calls
    // function 0 and reads global 0, but its relocation section is named
    // `relo2.CODE`, so nothing relocates them. refld, as wasm-ld 22, links
    // it and copies the input's indices, which name other things in the
    // output: the same code, which does not validate (the object is at
    // fault, not the link; parse_objects counts such an object invalid).
    let object = include_bytes!("bad_inputs/unrelocated.o");
    let mut provider = MemoryInputs::default();
    provider.add("unrelocated.o", object.to_vec());
    let config = Config { inputs: vec![InputSpec::File { path: "unrelocated.o".into(), whole_archive: false, lazy: false }], entry: None, ..Config::default() };
    let ours = refld::link(&config, &provider).expect("refld links it").bytes;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("unrelocated.o"), object).unwrap();
    let out = std::process::Command::new(testkit::rust_lld()).current_dir(dir.path()).args(["--no-entry", "unrelocated.o", "-o", "out.wasm"]).output().expect("run rust-lld");
    assert!(out.status.success(), "rust-lld links it: {}", String::from_utf8_lossy(&out.stderr));
    let theirs = std::fs::read(dir.path().join("out.wasm")).unwrap();
    let code = |bytes: &[u8]| {
        wasmparser::Parser::new(0).parse_all(bytes).filter_map(Result::ok).find_map(|p| match p {
            wasmparser::Payload::CodeSectionStart { unchecked_range: r, .. } => bytes.get(r.start as usize..r.end as usize).map(<[u8]>::to_vec),
            _ => None,
        })
    };
    assert_eq!(code(&ours), code(&theirs), "the same code");
    assert!(testkit::validate_all_features(&ours).is_err(), "the copied indices do not validate");
}
