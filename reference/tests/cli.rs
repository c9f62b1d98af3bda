//! The `refld` binary: exit status 0 on success and for `--help` and
//! `--version`, 1 on any error, every diagnostic on stderr as
//! `refld: error: ...` (CLI-1; OBJ-1 for the bad input). The linking rules
//! themselves are tested in process by `tests/tests/*.rs` of `refld-tests`;
//! this file checks only what the binary adds.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use wasm_encoder::{
    CodeSection, CustomSection, Function, FunctionSection, LinkingSection, Module, SymbolTable,
    TypeSection,
};

/// A fresh, empty folder for one test under Cargo's temporary folder for
/// integration tests.
fn folder(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("refld-cli")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the refld binary in `dir`.
fn refld(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_refld"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run the refld binary")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A minimal relocatable object: one function `_start: () -> ()` with an
/// empty body, and a `linking` section (version 2) whose symbol table
/// defines it.
fn start_object() -> Vec<u8> {
    let mut module = Module::new();
    let mut types = TypeSection::new();
    types.ty().function([], []);
    module.section(&types);
    let mut funcs = FunctionSection::new();
    funcs.function(0);
    module.section(&funcs);
    let mut code = CodeSection::new();
    let mut body = Function::new([]);
    body.instructions().end();
    code.function(&body);
    module.section(&code);
    let mut symbols = SymbolTable::new();
    symbols.function(0, 0, Some("_start"));
    let mut linking = LinkingSection::new();
    linking.symbol_table(&symbols);
    module.section(&linking);
    module.finish()
}

#[test]
fn the_hand_made_object_is_an_object() {
    let bytes = start_object();
    wasmparser::Validator::new()
        .validate_all(&bytes)
        .expect("a valid module");
    let linking = wasmparser::Parser::new(0)
        .parse_all(&bytes)
        .find_map(|p| match p.unwrap() {
            wasmparser::Payload::CustomSection(c) if c.name() == "linking" => {
                Some(c.data().to_vec())
            }
            _ => None,
        });
    assert_eq!(
        linking.expect("a linking section")[0],
        2,
        "linking version 2"
    );
}

#[test]
fn good_link_writes_the_output() {
    let dir = folder("good");
    std::fs::write(dir.join("start.o"), start_object()).unwrap();
    let out = refld(&dir, &["start.o", "-o", "out.wasm"]);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{}", text(&out.stderr));
    assert!(
        out.stderr.is_empty(),
        "no diagnostics expected:\n{}",
        text(&out.stderr)
    );
    let wasm = std::fs::read(dir.join("out.wasm")).expect("-o out.wasm is written");
    wasmparser::Validator::new()
        .validate_all(&wasm)
        .expect("the output validates");
    let mut exports = Vec::new();
    for p in wasmparser::Parser::new(0).parse_all(&wasm) {
        if let wasmparser::Payload::ExportSection(r) = p.unwrap() {
            for e in r {
                let e = e.unwrap();
                exports.push((e.name.to_string(), e.kind));
            }
        }
    }
    assert!(
        exports.contains(&("_start".to_string(), wasmparser::ExternalKind::Func)),
        "the entry is exported: {exports:?}"
    );
}

#[test]
fn bad_input_exits_1_naming_the_file() {
    let dir = folder("bad");
    // A good object cut short inside its last section, `linking` (OBJ-2).
    let good = start_object();
    std::fs::write(dir.join("bad.o"), &good[..good.len() - 5]).unwrap();
    let out = refld(&dir, &["bad.o", "-o", "out.wasm"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("refld: error: bad.o: linking section at offset 0x")),
        "expected a line `refld: error: bad.o: linking section at offset 0x...`, got:\n{stderr}"
    );
    assert!(
        !dir.join("out.wasm").exists(),
        "a failed link writes no output"
    );

    // Not wasm at all.
    std::fs::write(dir.join("notes.txt"), "not an object\n").unwrap();
    let out = refld(&dir, &["notes.txt", "-o", "out.wasm"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
    assert!(stderr.starts_with("refld: error: notes.txt: "), "{stderr}");

    // A missing file.
    let out = refld(&dir, &["missing.o", "-o", "out.wasm"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
    assert!(stderr.starts_with("refld: error: missing.o: "), "{stderr}");
}

#[test]
fn version_and_help_exit_0() {
    let dir = folder("version");
    let out = refld(&dir, &["--version"]);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("refld "),
        "{}",
        text(&out.stdout)
    );

    let out = refld(&dir, &["--help"]);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{}", text(&out.stderr));
    let help = text(&out.stdout);
    assert!(help.contains("USAGE: refld"), "{help}");
    assert!(help.contains("--export"), "{help}");
    assert!(!dir.join("a.out").exists(), "--help links nothing");
}

#[test]
fn unknown_flag_exits_1_naming_it() {
    let dir = folder("unknown");
    std::fs::write(dir.join("start.o"), start_object()).unwrap();
    let out = refld(&dir, &["--frobnicate", "start.o", "-o", "out.wasm"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
    assert!(
        stderr.starts_with("refld: error: ") && stderr.contains("--frobnicate"),
        "{stderr}"
    );
    assert!(
        !dir.join("out.wasm").exists(),
        "a failed link writes no output"
    );
}

#[test]
fn linking_version_3_exits_1() {
    // A module whose `linking` section has version 3 is not an object
    // (OBJ-1): the error names the file and the section.
    let dir = folder("version3");
    let mut module = Module::new();
    module.section(&CustomSection {
        name: "linking".into(),
        data: [3u8].as_slice().into(),
    });
    std::fs::write(dir.join("v3.o"), module.finish()).unwrap();
    let out = refld(&dir, &["--no-entry", "v3.o", "-o", "out.wasm"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
    assert!(
        stderr.starts_with("refld: error: v3.o: linking section at offset 0x"),
        "{stderr}"
    );
}

/// CLI-VERSION, CLI-STDOUT: `-v` prints the version and links; `-v` alone
/// exits 0; no inputs is an error; `-o -` writes the module to stdout.
#[test]
fn version_flag_and_output_to_stdout() {
    let dir = folder("stdout");
    std::fs::write(dir.join("start.o"), start_object()).unwrap();
    let out = refld(&dir, &["-v"]);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("compatible with LLD 22"));
    let out = refld(&dir, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), "refld: error: no input files\n");
    let out = refld(&dir, &["-v", "start.o", "-o", "v.wasm"]);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{}", text(&out.stderr));
    assert!(dir.join("v.wasm").exists(), "-v links");
    let out = refld(&dir, &["start.o", "-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{}", text(&out.stderr));
    assert!(out.stdout.starts_with(b"\0asm"), "the module on stdout");
    assert!(!dir.join("-").exists(), "no file named -");
}

#[test]
fn help_into_a_closed_pipe_is_no_panic() {
    // `refld --help | head -0`: standard output closed before the help is
    // written. The help is lost; refld must not panic over it.
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_refld"))
        .arg("--help")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("refld starts");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("refld ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}
