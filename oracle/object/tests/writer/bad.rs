//! Deliberately bad objects: the model writes them as asked (they still
//! validate as modules where the bad part is only in custom sections), and
//! rust-lld rejects each with the error LLVM's object reader gives.

use linkcheck_object::{encode, Body, DataDef, ObjectModel, RelocType, SymbolKind, SymbolModel};

use super::programs::v_i;
use super::tools::{folder, link, read_back};
use testkit::assert_valid;

/// An object whose `main` calls the function symbol `target`.
fn calling(target: u32) -> ObjectModel {
    let mut m = ObjectModel::new();
    m.import_memory();
    let mut body = Body::new();
    body.call(target);
    m.define_func("main", v_i(), body, 0);
    m
}

fn rejected(model: &ObjectModel) -> String {
    let dir = folder(&[("bad.o", &encode(model))]);
    match link(dir.path(), &["--no-entry", "--export=main", "bad.o"]) {
        Ok(_) => panic!("rust-lld accepted a bad object:\n{}", linkcheck_object::dump(model)),
        Err(e) => e,
    }
}

#[test]
fn relocation_against_a_missing_symbol() {
    let m = calling(99);
    let bytes = encode(&m);
    assert_valid(&bytes);
    let rb = read_back(&bytes);
    assert_eq!(rb.relocs_of("CODE")[0].index, 99);
    // wasm-ld 22 says "invalid function relocation" and then prints bytes
    // from beyond its symbol list as the name.
    let err = rejected(&m);
    assert!(err.contains("bad.o: invalid function relocation"), "{err}");
}

#[test]
fn relocation_against_the_wrong_kind_of_symbol() {
    let mut m = calling(1);
    m.define_data("d", ".data.d", &[0; 4], 0);
    let bytes = encode(&m);
    assert_valid(&bytes);
    assert_eq!(read_back(&bytes).symbols[1].kind, 1);
    let err = rejected(&m);
    assert!(err.contains("invalid function relocation"), "{err}");
}

#[test]
fn relocation_outside_its_section() {
    let mut m = calling(0);
    let d = m.define_data("d", ".data.d", &[0; 8], 0);
    m.add_data_reloc(0, 100, RelocType::MemoryAddrI32, d, 0);
    let bytes = encode(&m);
    assert_valid(&bytes);
    let rb = read_back(&bytes);
    let data = rb.position(11, "").unwrap();
    let entry = rb.relocs_of("DATA")[0];
    assert!(entry.offset as usize > rb.sections[data as usize].2.len());
    let err = rejected(&m);
    assert!(err.contains("invalid relocation offset"), "{err}");
}

#[test]
fn symbol_index_out_of_its_space() {
    let mut m = calling(0);
    m.symbols.push(SymbolModel {
        kind: SymbolKind::Function,
        flags: 0,
        name: Some("ghost".into()),
        index: 50,
        data: None,
    });
    m.symbols.push(SymbolModel {
        kind: SymbolKind::Data,
        flags: 0,
        name: Some("nowhere".into()),
        index: 0,
        data: Some(DataDef { segment: 7, offset: 0, size: 4 }),
    });
    let bytes = encode(&m);
    assert_valid(&bytes);
    assert_eq!(read_back(&bytes).symbols[1].index, 50);
    let err = rejected(&m);
    assert!(err.contains("invalid function symbol index"), "{err}");
    m.symbols.remove(1);
    let err = rejected(&m);
    assert!(err.contains("invalid data segment index"), "{err}");
}

#[test]
fn linking_version_other_than_2() {
    let mut m = calling(0);
    m.linking_version = 3;
    let bytes = encode(&m);
    assert_valid(&bytes);
    let linking = wasmparser::Parser::new(0).parse_all(&bytes).find_map(|p| match p.unwrap() {
        wasmparser::Payload::CustomSection(c) if c.name() == "linking" => Some(c.data().to_vec()),
        _ => None,
    });
    assert_eq!(linking.unwrap()[0], 3);
    let err = rejected(&m);
    assert!(err.contains("unexpected metadata version: 3"), "{err}");
}

#[test]
fn unknown_relocation_type() {
    let mut m = calling(0);
    m.functions[0].body.relocs[0].ty = RelocType::Other(99);
    let bytes = encode(&m);
    assert_valid(&bytes);
    let err = rejected(&m);
    assert!(err.contains("bad.o: invalid relocation type: 99"), "{err}");
}
