//! Encoded objects and archives linked by rust-lld, run in wasmtime.

use linkcheck_object::{archive, archive_with_options, encode, ArchiveOptions};

use super::programs::{caller, lib_object, main_object, single_func, MAIN_RESULT};
use super::tools::{folder, link, read_back};
use testkit::{assert_valid, call_i32, global_i32};

#[test]
fn two_object_program_links_and_runs() {
    let dir = folder(&[("a.o", &encode(&main_object())), ("b.o", &encode(&lib_object()))]);
    let out = link(dir.path(), &["--no-entry", "--export=main", "--export=arr", "a.o", "b.o"])
        .unwrap_or_else(|e| panic!("rust-lld rejected the objects:\n{e}"));
    assert_valid(&out);
    assert_eq!(call_i32(&out, "main"), MAIN_RESULT);

    // The custom section's relocations were applied at the offsets the
    // encoder wrote (counted after the section name).
    let arr = global_i32(&out, "arr");
    assert!(arr >= 1024, "arr at {arr}");
    let rb = read_back(&out);
    let meta = rb.position(0, "my_meta").expect("rust-lld keeps my_meta");
    let meta = rb.payload(&out, meta);
    assert_eq!(i32::from_le_bytes(meta[0..4].try_into().unwrap()), arr + 4);
    let main_index = wasmparser::Parser::new(0)
        .parse_all(&out)
        .filter_map(|p| match p.unwrap() {
            wasmparser::Payload::ExportSection(r) => r.into_iter().map(|e| e.unwrap()).find(|e| e.name == "main"),
            _ => None,
        })
        .next()
        .unwrap()
        .index;
    assert_eq!(u32::from_le_bytes(meta[4..8].try_into().unwrap()), main_index);
}

#[test]
fn input_order_does_not_change_the_result() {
    let dir = folder(&[("a.o", &encode(&main_object())), ("b.o", &encode(&lib_object()))]);
    let out = link(dir.path(), &["--no-entry", "--export=main", "b.o", "a.o"]).unwrap();
    assert_eq!(call_i32(&out, "main"), MAIN_RESULT);
}

/// A member is extracted only when referenced: the unreferenced member's
/// strong `dup` would clash with the main object's.
#[test]
fn archive_members_are_extracted_only_when_referenced() {
    let used = encode(&single_func("used_fn", 7, false));
    let unused = encode(&single_func("unused_fn", 100, true));
    for options in [true, false].map(|symbol_index| ArchiveOptions { symbol_index, ..ArchiveOptions::default() }) {
        let lib = archive_with_options(&[("used.o", &used), ("an_unused_member_with_a_long_name.o", &unused)], options);
        let dir = folder(&[
            ("main.o", &encode(&caller(&["used_fn"]))),
            ("main2.o", &encode(&caller(&["used_fn", "unused_fn"]))),
            ("lib.a", &lib),
        ]);
        let out = link(dir.path(), &["--no-entry", "--export=main", "main.o", "lib.a"])
            .unwrap_or_else(|e| panic!("{options:?}: rust-lld rejected the archive:\n{e}"));
        assert_valid(&out);
        assert_eq!(call_i32(&out, "main"), 7, "{options:?}");

        let err = link(dir.path(), &["--no-entry", "--export=main", "main2.o", "lib.a"])
            .expect_err("referencing unused_fn extracts the member with the second dup");
        assert!(err.contains("duplicate symbol: dup"), "{options:?}: {err}");
        assert!(err.contains("lib.a(an_unused_member_with_a_long_name.o)"), "{options:?}: {err}");
    }
}

#[test]
fn archive_symbol_index_lists_defined_globals_only() {
    let with_dup = encode(&single_func("f", 1, true));
    let mut local = single_func("g", 2, false);
    local.symbols[0].flags = linkcheck_object::flags::BINDING_LOCAL;
    let lib = archive(&[("x.o", &with_dup), ("y.o", &encode(&local)), ("notes.txt", b"hello")]);
    // "/" member: count 2, two offsets, "f\0dup\0".
    assert_eq!(&lib[8..9], b"/");
    let body = &lib[68..];
    assert_eq!(&body[0..4], &2u32.to_be_bytes());
    let x_offset = u32::from_be_bytes(body[4..8].try_into().unwrap()) as usize;
    assert_eq!(body[8..12], body[4..8]);
    assert_eq!(&body[12..18], b"f\0dup\0");
    assert_eq!(&lib[x_offset..x_offset + 4], b"x.o/");
    assert_eq!(&lib[x_offset + 60..x_offset + 64], b"\0asm");
}
