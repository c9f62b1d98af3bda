//! Measures the two hash-table orders of wasm-ld that refld's quirk module
//! `reference/src/quirks/llvm_order.rs` emulates, on every installed wasm-ld
//! release, and checks the model predicts each observed order exactly:
//!
//! - `--export` order (`Config::exportedSymbols`, an `llvm::StringSet<>`):
//!   every name is defined by its own member of one archive and only
//!   `--export=NAME` pulls it in. wasm-ld extracts the members in the order it
//!   walks the set, and numbers functions in extraction order, so sorting
//!   the output's function exports by index gives the walk order.
//! - signature variants (`SymbolTable::symVariants`, a
//!   `llvm::DenseMap<CachedHashStringRef, _>`): `def.o` defines some names
//!   as `() -> ()` and calls the others as `() -> ()`; then `c<k>.o` calls
//!   name k as `(i32) -> ()`, so the names get their variant in the order of
//!   the `c<k>.o` files. `handleSymbolVariants` warns
//!   `function signature mismatch: NAME` for each defined name it walks and
//!   stops with that error at the first undefined one: the diagnostics show
//!   the walk order.
//!
//! Needs wasm-ld (package lld, LLVM 14), wasm-ld-16 (lld-16), wasm-ld-19
//! (lld-19), wasm-ld-22 (lld-22), rust-lld of the active Rust toolchain,
//! llvm-mc-19 and llvm-ar-19 (llvm-19); `scripts/setup.sh` installs them. A
//! missing tool fails the test.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Linker {
    label: &'static str,
    program: PathBuf,
    prefix: Vec<&'static str>,
    llvm_major: u32,
}

fn linkers() -> Vec<Linker> {
    let debian = [
        ("wasm-ld", 14, "lld"),
        ("wasm-ld-16", 16, "lld-16"),
        ("wasm-ld-19", 19, "lld-19"),
        ("wasm-ld-22", 22, "lld-22"),
    ];
    let mut out = Vec::new();
    for (program, major, package) in debian {
        let version = run_ok(
            Command::new(program).arg("--version"),
            &format!("{program} (install package {package}: scripts/setup.sh)"),
        );
        assert!(
            version.contains(&format!("LLD {major}.")),
            "{program} is not LLVM {major}: {version}"
        );
        out.push(Linker {
            label: program,
            program: program.into(),
            prefix: vec![],
            llvm_major: major,
        });
    }
    let sysroot = run_ok(
        Command::new("rustc").args(["--print", "sysroot"]),
        "rustc (the Rust toolchain)",
    );
    let rust_lld =
        Path::new(sysroot.trim()).join("lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld");
    assert!(
        rust_lld.exists(),
        "rust-lld missing at {} (the Rust toolchain's rust-lld)",
        rust_lld.display()
    );
    let version = run_ok(
        Command::new(&rust_lld).args(["-flavor", "wasm", "--version"]),
        "rust-lld",
    );
    assert!(
        version.contains("LLD 22."),
        "rust-lld is not LLVM 22: {version}; add its release to llvm_order.rs"
    );
    out.push(Linker {
        label: "rust-lld",
        program: rust_lld,
        prefix: vec!["-flavor", "wasm"],
        llvm_major: 22,
    });
    out
}

fn run_ok(cmd: &mut Command, what: &str) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// xorshift64*: a fixed, dependency-free sequence of name sets.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `count` distinct random names of 1 to 300 characters (`[a-z_][a-z0-9_]*`),
/// none a name wasm-ld gives a meaning (`memory`, `__*`).
fn names(rng: &mut Rng, count: usize) -> Vec<String> {
    const FIRST: &[u8] = b"abcdefghijklmnopqrstuvwxyz_";
    const REST: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789_";
    let mut out: Vec<String> = Vec::new();
    while out.len() < count {
        // Half short names, half of up to 300 characters: every length
        // class of both hashes (xxh3: 1-3, 4-8, 9-16, 17-128, 129-240, more;
        // Hashing.h: 1-3, 4-8, 9-16, 17-32, 33-64, more).
        let len = if rng.below(2) == 0 {
            1 + rng.below(6)
        } else {
            7 + rng.below(294)
        } as usize;
        let mut s = String::new();
        s.push(FIRST[rng.below(FIRST.len() as u64) as usize] as char);
        for _ in 1..len {
            s.push(REST[rng.below(REST.len() as u64) as usize] as char);
        }
        if s != "memory" && !s.starts_with("__") && !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// Small sets (2 to 8 names, no growth) and a few large ones that make the
/// tables grow (StringMap past 12 names, DenseMap past 47).
fn name_sets(seed: u64, small: usize, large: &[usize]) -> Vec<Vec<String>> {
    let mut rng = Rng(seed);
    let mut sets: Vec<Vec<String>> = (0..small)
        .map(|_| {
            let n = 2 + rng.below(7) as usize;
            names(&mut rng, n)
        })
        .collect();
    for &n in large {
        sets.push(names(&mut rng, n));
    }
    sets
}

fn assemble(dir: &Path, stem: &str, asm: &str) -> PathBuf {
    let s = dir.join(format!("{stem}.s"));
    let o = dir.join(format!("{stem}.o"));
    std::fs::write(&s, asm).unwrap();
    run_ok(
        Command::new("llvm-mc-19")
            .args(["-triple=wasm32-unknown-unknown", "-filetype=obj"])
            .arg(&s)
            .arg("-o")
            .arg(&o),
        "llvm-mc-19 (install package llvm-19: scripts/setup.sh)",
    );
    o
}

fn define(name: &str) -> String {
    format!(".globl {name}\n{name}:\n  .functype {name} () -> ()\n  end_function\n")
}

fn call(caller: &str, callee: &str, params: &str) -> String {
    let args = if params.is_empty() {
        String::new()
    } else {
        "  i32.const 0\n".to_string()
    };
    format!(
        ".functype {callee} ({params}) -> ()\n.globl {caller}\n{caller}:\n  .functype {caller} () -> ()\n{args}  call {callee}\n  end_function\n"
    )
}

/// Function export names of a linked module, in function index order.
fn exports_by_function_index(wasm: &[u8]) -> Vec<String> {
    let mut exports = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        if let wasmparser::Payload::ExportSection(reader) = payload.unwrap() {
            for e in reader {
                let e = e.unwrap();
                if e.kind == wasmparser::ExternalKind::Func {
                    exports.push((e.index, e.name.to_string()));
                }
            }
        }
    }
    exports.sort();
    exports.into_iter().map(|(_, n)| n).collect()
}

#[test]
fn export_order_is_the_modelled_string_set_order() {
    let linkers = linkers();
    let dir = tempfile::tempdir().unwrap();
    let sets = name_sets(0x5eed_e4b0_77a1_0001, 60, &[13, 20, 40]);
    let mut checked = vec![0usize; linkers.len()];
    let mut reordered = vec![0usize; linkers.len()];
    for (s, set) in sets.iter().enumerate() {
        let sdir = dir.path().join(format!("set{s}"));
        std::fs::create_dir(&sdir).unwrap();
        let members: Vec<PathBuf> = set
            .iter()
            .enumerate()
            .map(|(k, n)| assemble(&sdir, &format!("m{k}"), &define(n)))
            .collect();
        let lib = sdir.join("lib.a");
        run_ok(
            Command::new("llvm-ar-19")
                .arg("rcs")
                .arg(&lib)
                .args(&members),
            "llvm-ar-19 (install package llvm-19: scripts/setup.sh)",
        );
        let refs: Vec<&str> = set.iter().map(String::as_str).collect();
        for (l, linker) in linkers.iter().enumerate() {
            let out = sdir.join(format!("{}.wasm", linker.label));
            let mut cmd = Command::new(&linker.program);
            cmd.args(&linker.prefix).arg("--no-entry");
            for n in set {
                cmd.arg(format!("--export={n}"));
            }
            cmd.arg(&lib).arg("-o").arg(&out);
            run_ok(&mut cmd, linker.label);
            let observed = exports_by_function_index(&std::fs::read(&out).unwrap());
            let predicted: Vec<String> = refld::llvm_string_set_order(&refs, linker.llvm_major)
                .into_iter()
                .map(|i| set[i].clone())
                .collect();
            assert_eq!(
                observed, predicted,
                "{}: --export order of {set:?}",
                linker.label
            );
            checked[l] += 1;
            reordered[l] += usize::from(observed != *set);
        }
    }
    for ((linker, n), r) in linkers.iter().zip(&checked).zip(&reordered) {
        eprintln!(
            "llvm_order: {}: {n} --export name sets as modelled ({r} not in command-line order)",
            linker.label
        );
    }
}

/// `(is_error, name)` of each `function signature mismatch` diagnostic.
fn mismatch_diagnostics(stderr: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    for line in stderr.lines() {
        for (is_error, key) in [
            (false, "warning: function signature mismatch: "),
            (true, "error: function signature mismatch: "),
        ] {
            if let Some(at) = line.find(key) {
                out.push((is_error, line[at + key.len()..].trim().to_string()));
            }
        }
    }
    out
}

#[test]
fn signature_variant_order_is_the_modelled_dense_map_order() {
    let linkers = linkers();
    let dir = tempfile::tempdir().unwrap();
    let sets = name_sets(0x5eed_5167_0000_0002, 60, &[30, 48, 60]);
    let mut rng = Rng(0x0dd_0bad_cafe);
    let mut checked = vec![0usize; linkers.len()];
    let mut stopped = vec![0usize; linkers.len()];
    for (s, set) in sets.iter().enumerate() {
        let sdir = dir.path().join(format!("set{s}"));
        std::fs::create_dir(&sdir).unwrap();
        // Half the small sets have every name defined (warnings only, the
        // whole order shows); the others leave about a quarter undefined.
        let all_defined = s % 2 == 0 || set.len() > 8;
        let defined: Vec<bool> = set
            .iter()
            .map(|_| all_defined || rng.below(4) != 0)
            .collect();
        let mut def = String::new();
        for (k, n) in set.iter().enumerate() {
            def += &if defined[k] {
                define(n)
            } else {
                call(&format!("D{k}"), n, "")
            };
        }
        let mut inputs = vec![assemble(&sdir, "def", &def)];
        for (k, n) in set.iter().enumerate() {
            inputs.push(assemble(
                &sdir,
                &format!("c{k}"),
                &call(&format!("C{k}"), n, "i32"),
            ));
        }
        let refs: Vec<&str> = set.iter().map(String::as_str).collect();
        for (l, linker) in linkers.iter().enumerate() {
            let out = Command::new(&linker.program)
                .args(&linker.prefix)
                .arg("--no-entry")
                .args(&inputs)
                .arg("-o")
                .arg(sdir.join(format!("{}.wasm", linker.label)))
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            let observed = mismatch_diagnostics(&stderr);
            let mut predicted = Vec::new();
            for i in refld::llvm_dense_map_order(&refs, linker.llvm_major) {
                predicted.push((!defined[i], set[i].clone()));
                if !defined[i] {
                    break;
                }
            }
            let failed = predicted.iter().any(|(e, _)| *e);
            assert_eq!(
                out.status.success(),
                !failed,
                "{}: link status of {set:?}: {stderr}",
                linker.label
            );
            assert_eq!(
                observed, predicted,
                "{}: variant order of {set:?} (defined {defined:?})",
                linker.label
            );
            checked[l] += 1;
            stopped[l] += usize::from(failed);
        }
    }
    for ((linker, n), e) in linkers.iter().zip(&checked).zip(&stopped) {
        eprintln!(
            "llvm_order: {}: {n} signature-variant name sets as modelled ({e} stopped at an error)",
            linker.label
        );
    }
}
