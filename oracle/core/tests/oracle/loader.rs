//! The loader's rules (oracle/core/src/run/loader.rs, L1 to L8) on modules
//! compiled by clang-19 with -fPIC and linked by rust-lld (wasm-ld 22):
//! each test names the rule it checks. The corpus (corpus/dynamic) runs
//! the loader on every linker's output; these pin the rules down one by
//! one.

use linkcheck_core::run::{Library, RunLimits, RunResult, Runner};
use std::path::Path;
use std::process::Command;

const EXIT: &str = "__attribute__((import_module(\"wasi_snapshot_preview1\"), import_name(\"proc_exit\"))) void proc_exit(int);\n";

/// Compiles `source` as NAME.o and links it with `args` into NAME.wasm.
fn build(dir: &Path, name: &str, source: &str, args: &[&str]) -> Vec<u8> {
    let c = dir.join(format!("{name}.c"));
    std::fs::write(&c, source).unwrap();
    let o = dir.join(format!("{name}.o"));
    let status = Command::new("clang-19")
        .args(["--target=wasm32", "-O1", "-fPIC", "-fvisibility=default", "-c"])
        .arg(&c)
        .arg("-o")
        .arg(&o)
        .status()
        .expect("clang-19 runs (scripts/setup.sh installs it)");
    assert!(status.success(), "clang-19 {name}.c");
    let out = dir.join(format!("{name}.wasm"));
    let lld = testkit::rust_lld_path().expect("rust-lld");
    let output = Command::new(lld).args(args).arg(&o).arg("-o").arg(&out).output().unwrap();
    assert!(output.status.success(), "rust-lld {name}: {}", String::from_utf8_lossy(&output.stderr));
    std::fs::read(out).unwrap()
}

const SIDE: [&str; 4] = ["-shared", "--experimental-pic", "--unresolved-symbols=import-dynamic", "--no-entry"];
const MAIN: [&str; 4] = ["-pie", "--experimental-pic", "--unresolved-symbols=import-dynamic", "--export-dynamic"];

fn run(main: &[u8], libs: &[(&str, &[u8], bool)]) -> RunResult {
    let libraries: Vec<Library<'_>> = libs.iter().map(|&(name, bytes, preload)| Library { name, bytes, preload }).collect();
    Runner::new().unwrap().run_dynamic(main, &libraries, &RunLimits::default())
}

fn main_reading(expr: &str, decls: &str) -> String {
    format!("{EXIT}{decls}\nvoid _start(void) {{ proc_exit({expr}); }}\n")
}

/// L4: a GOT entry takes the first definition in load order: two
/// libraries define `shared_value`, the preload order decides.
#[test]
fn the_first_definition_in_load_order_sets_the_got() {
    let dir = tempfile::tempdir().unwrap();
    let a = build(dir.path(), "a", "int shared_value = 11;\n", &SIDE);
    let b = build(dir.path(), "b", "int shared_value = 22;\n", &SIDE);
    let main = build(dir.path(), "main", &main_reading("shared_value", "extern int shared_value;"), &MAIN);
    assert_eq!(run(&main, &[("liba.so", &a, true), ("libb.so", &b, true)]).exit_code, Some(11));
    assert_eq!(run(&main, &[("libb.so", &b, true), ("liba.so", &a, true)]).exit_code, Some(22));
}

/// L4: a missing symbol imported weak is 0; imported strong, a load error
/// naming it.
#[test]
fn weak_undefined_data_is_null_and_strong_a_load_error() {
    let dir = tempfile::tempdir().unwrap();
    let weak = build(dir.path(), "weak", &main_reading("&gone == 0 ? 5 : 6", "extern int gone __attribute__((weak));"), &MAIN);
    assert_eq!(run(&weak, &[]).exit_code, Some(5));
    let strong = build(dir.path(), "strong", &main_reading("gone", "extern int gone;"), &MAIN);
    let r = run(&strong, &[]);
    assert_eq!(r.trap.as_deref(), Some("load failed"), "{r:?}");
    assert!(r.message.as_deref().unwrap_or("").contains("undefined symbol `gone`"), "{r:?}");
}

/// L1, L3: a module without dylink.0 and a NEEDED library not given are
/// load errors saying so.
#[test]
fn not_position_independent_and_needed_missing_are_load_errors() {
    let dir = tempfile::tempdir().unwrap();
    let plain = build(dir.path(), "plain", &main_reading("0", ""), &["--no-entry", "--export=_start"]);
    let r = run(&plain, &[]);
    assert_eq!(r.trap.as_deref(), Some("load failed"));
    assert!(r.message.as_deref().unwrap_or("").contains("no dylink.0 section"), "{r:?}");

    let lib = build(dir.path(), "lib", "int lib_value = 3;\n", &SIDE);
    std::fs::write(dir.path().join("libdep.so"), &lib).unwrap();
    let o = dir.path().join("needs.o");
    std::fs::write(dir.path().join("needs.c"), main_reading("lib_value", "extern int lib_value;")).unwrap();
    assert!(Command::new("clang-19").args(["--target=wasm32", "-O1", "-fPIC", "-c"]).arg(dir.path().join("needs.c")).arg("-o").arg(&o).status().unwrap().success());
    let lld = testkit::rust_lld_path().unwrap();
    let out = dir.path().join("needs.wasm");
    let status = Command::new(lld).args(["-pie", "--experimental-pic"]).arg(&o).arg(dir.path().join("libdep.so")).arg("-o").arg(&out).status().unwrap();
    assert!(status.success());
    let needs = std::fs::read(out).unwrap();
    let r = run(&needs, &[]);
    assert_eq!(r.trap.as_deref(), Some("load failed"));
    assert!(r.message.as_deref().unwrap_or("").contains("libdep.so, which was not given"), "{r:?}");
    // Given, not preloaded: NEEDED loads it.
    assert_eq!(run(&needs, &[("libdep.so", &lib, false)]).exit_code, Some(3));
}

/// L2, L6: the main module's data at 1024, the stack above it, then the
/// libraries, then `__heap_base`, 16-aligned, past all of them.
#[test]
fn regions_are_placed_in_order_and_the_heap_base_follows() {
    let dir = tempfile::tempdir().unwrap();
    let lib = build(dir.path(), "lib", "int lib_value = 3;\nint *lib_addr(void) { return &lib_value; }\n", &SIDE);
    let decls = "extern char __heap_base;\nint main_value = 1;\nextern int *lib_addr(void);";
    let expr = "((unsigned)&main_value == 1024) + 2 * ((unsigned)lib_addr() >= 1024 + 65536) + 4 * ((unsigned)&__heap_base > (unsigned)lib_addr()) + 8 * ((unsigned)&__heap_base % 16 == 0)";
    let main = build(dir.path(), "main", &main_reading(expr, decls), &MAIN);
    assert_eq!(run(&main, &[("lib.so", &lib, true)]).exit_code, Some(15));
}
