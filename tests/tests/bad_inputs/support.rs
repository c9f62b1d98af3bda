//! Helpers of the bad-input tests: building good objects to spoil,
//! linking with refld (in memory, panics caught) and rust-lld, and
//! finding sections and entries in encoded bytes by hand.

#![allow(dead_code)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::Command;

use linkcheck_object::{
    Body, FuncSig,
    ObjectModel, ValTypeModel,
};
use refld::config::InputSpec;
use refld::{Config, MemoryInputs};


// ---------------------------------------------------------------------------
// Helpers

pub fn v_i() -> FuncSig {
    FuncSig::new(&[], &[ValTypeModel::I32])
}

pub fn v_v() -> FuncSig {
    FuncSig::new(&[], &[])
}

/// A good object: `main` returns 7. Symbol 0 is `main`.
pub fn good() -> ObjectModel {
    let mut m = ObjectModel::new();
    m.import_memory();
    let mut body = Body::new();
    body.i32_const(7);
    m.define_func("main", v_i(), body, 0);
    m
}

/// An object whose `main` calls function symbol `target` (symbol 0 is `main`).
pub fn calling(target: u32) -> ObjectModel {
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
pub fn refld_rejects(files: &[(&str, &[u8])], inputs: &[&str]) -> String {
    refld_rejects_with(files, inputs, false)
}

pub fn refld_rejects_with(files: &[(&str, &[u8])], inputs: &[&str], whole_archive: bool) -> String {
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
pub fn refld_rejects_object(bytes: &[u8]) -> String {
    refld_rejects(&[("bad.o", bytes)], &["bad.o"])
}

/// Runs rust-lld on `files` (written to a temporary folder) with
/// `--no-entry` and `inputs`; it must exit with status 1. Returns stderr.
pub fn rust_lld_rejects(files: &[(&str, &[u8])], inputs: &[&str]) -> String {
    let lld = testkit::rust_lld();
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

pub fn rust_lld_rejects_object(bytes: &[u8]) -> String {
    rust_lld_rejects(&[("bad.o", bytes)], &["bad.o"])
}

/// Like [`rust_lld_rejects_object`] for inputs on which wasm-ld 22 stops
/// with an `LLVM ERROR` (a fatal error in LLVM's reader, exiting through
/// abort) instead of a diagnostic: it must fail, either way.
pub fn rust_lld_fails_object(bytes: &[u8]) -> String {
    let lld = testkit::rust_lld();
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
pub fn both_reject(bytes: &[u8]) -> (String, String) {
    let ours = refld_rejects_object(bytes);
    let theirs = rust_lld_rejects_object(bytes);
    eprintln!("refld: {ours}\nrust-lld: {theirs}");
    (ours, theirs)
}

/// The first line of refld's message starts with `prefix`.
pub fn assert_starts(msg: &str, prefix: &str) {
    assert!(
        msg.starts_with(prefix),
        "expected a message starting with `{prefix}`, got:\n{msg}"
    );
}

/// One section of an encoded module.
#[derive(Debug)]
pub struct Section {
    pub id: u8,
    /// The id byte.
    pub start: usize,
    /// The first payload byte.
    pub payload: usize,
    /// One past the last payload byte.
    pub end: usize,
    /// `code`, `data`, ... or a custom section's own name.
    pub name: String,
    /// Custom sections: one past the name (the first byte of their data).
    pub name_end: usize,
}

pub const SECTION_NAMES: [&str; 14] = [
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
pub fn sections(bytes: &[u8]) -> Vec<Section> {
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

pub fn section<'a>(all: &'a [Section], name: &str) -> &'a Section {
    all.iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no {name} section"))
}

pub fn read_uleb(bytes: &[u8], at: &mut usize) -> u64 {
    let mut r = wasmparser::BinaryReader::new(&bytes[*at..], 0);
    let v = r.read_var_u64().unwrap();
    *at += r.original_position() as usize;
    v
}

/// The file offset of each SYMBOL_TABLE entry (wasmparser's reading).
pub fn symbol_entry_offsets(bytes: &[u8]) -> Vec<u64> {
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
pub fn reloc_entry_offsets(bytes: &[u8], name: &str) -> Vec<u64> {
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
pub fn offset_in(msg: &str, section: &str) -> u64 {
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
pub fn replace_payload(bytes: &[u8], s: &Section, payload: &[u8]) -> Vec<u8> {
    let mut content = bytes[s.payload..s.name_end].to_vec();
    content.extend_from_slice(payload);
    let mut out = bytes[..s.start].to_vec();
    out.push(s.id);
    let mut size = Vec::new();
    linkcheck_object::leb::write_uleb(&mut size, content.len() as u64);
    out.extend_from_slice(&size);
    out.extend_from_slice(&content);
    out.extend_from_slice(&bytes[s.end..]);
    out
}

