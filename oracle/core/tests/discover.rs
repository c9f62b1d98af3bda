//! `linkcheck_core::discover::discover`: this machine has every linker the
//! project compares (rust-lld; Debian's wasm-ld-14, -16, -19, -22; Wild 0.10;
//! Zig 0.17.1),
//! each answering `--version`, and Wild's wasm backend links a linkcheck-object
//! object into a module that validates.
//!
//! A missing linker fails the test with what installs it (the Debian
//! package, or scripts/setup.sh for Wild); nothing is skipped.

use linkcheck_core::linker::{Linker, Outcome, REFERENCE_NAME, RUST_LLD_NAME};
use linkcheck_core::discover::{discover, discover_all, render_table, Found, WILD_NAME};
use linkcheck_core::zig::ZIG_NAME;
use linkcheck_object::{encode, Body, FuncSig, ObjectModel, ValTypeModel};

/// The linker `name`; when missing, fails naming what installs it.
fn found_or(name: &str, installer: &str) -> Found {
    let all = discover_all();
    match all.iter().find(|r| match r {
        Ok(f) => f.name == name,
        Err(m) => m.name == name,
    }) {
        Some(Ok(f)) => f.clone(),
        Some(Err(m)) => panic!("{name} is missing ({installer}): {}", m.reason),
        None => panic!("discover_all() does not look for {name}:\n{}", render_table(&all)),
    }
}

fn found(name: &str) -> Found {
    let installer = match name {
        WILD_NAME | ZIG_NAME => "run scripts/setup.sh".to_string(),
        RUST_LLD_NAME => "it ships with the Rust toolchain".to_string(),
        "wasm-ld-14" => "Debian package lld".to_string(),
        n => format!("Debian package lld-{}", n.trim_start_matches("wasm-ld-")),
    };
    found_or(name, &installer)
}

#[test]
fn discovery_finds_every_linker_with_a_version() {
    let expected = [REFERENCE_NAME, RUST_LLD_NAME, "wasm-ld-14", "wasm-ld-16", "wasm-ld-19", "wasm-ld-22", WILD_NAME, ZIG_NAME];
    for name in expected {
        let f = found(name);
        assert!(!f.version.trim().is_empty(), "{name}: empty version");
        if name != REFERENCE_NAME {
            let program = f.program.as_ref().unwrap_or_else(|| panic!("{name}: no program"));
            assert!(program.is_file(), "{name}: {} is not a file", program.display());
        }
    }
    let names: Vec<String> = discover().into_iter().map(|f| f.name).collect();
    assert_eq!(names.first().map(String::as_str), Some(REFERENCE_NAME), "refld comes first: {names:?}");
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), names.len(), "names are distinct: {names:?}");

    // The Debian releases report the version their name says.
    for n in ["14", "16", "19", "22"] {
        let f = found(&format!("wasm-ld-{n}"));
        assert!(f.version.contains(&format!("LLD {n}.")), "wasm-ld-{n}: version `{}`", f.version);
    }
    assert!(found(RUST_LLD_NAME).version.contains("LLD"), "rust-lld: {}", found(RUST_LLD_NAME).version);
    let wild = found(WILD_NAME);
    assert!(wild.version.to_lowercase().contains("wild"), "wild: version `{}`", wild.version);
    let zig = found(ZIG_NAME);
    assert_eq!(zig.version, format!("Zig {} (zig build-exe -fno-lld)", linkcheck_core::zig::ZIG_RELEASE));
    assert!(matches!(zig.linker(), Linker::Zig { .. }), "zig goes through its adapter");
}

/// `main` returning 42, and a data symbol `answer` it does not use.
fn trivial_object() -> ObjectModel {
    let mut o = ObjectModel::new();
    o.import_memory();
    let mut body = Body::new();
    body.i32_const(42);
    o.define_func("main", FuncSig::new(&[], &[ValTypeModel::I32]), body, 0);
    o.define_data("answer", ".data.answer", &42i32.to_le_bytes(), 0);
    o
}

#[test]
fn wild_links_an_encoded_object_into_a_valid_module() {
    let wild = found(WILD_NAME);
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("main.o"), encode(&trivial_object())).expect("main.o written");
    let args: Vec<String> =
        ["--no-entry", "--export=main", "-o", "out.wasm", "main.o"].iter().map(|s| s.to_string()).collect();
    let linker = wild.linker();
    assert!(matches!(linker, Linker::External { .. }));
    let bytes = match linker.link(&args, dir.path()) {
        Outcome::Linked { bytes, .. } => bytes,
        other => panic!("wild ({}) did not link main.o: {other:?}", wild.version),
    };
    testkit::validate(&bytes).unwrap_or_else(|e| panic!("wild's output does not validate: {e}"));
    let exports: Vec<String> = wasmparser::Parser::new(0)
        .parse_all(&bytes)
        .filter_map(|p| match p.expect("wild's output parses") {
            wasmparser::Payload::ExportSection(r) => Some(r.into_iter().map(|e| e.unwrap().name.to_string()).collect::<Vec<_>>()),
            _ => None,
        })
        .flatten()
        .collect();
    assert!(exports.iter().any(|e| e == "main"), "wild's output exports {exports:?}, not main");
}
