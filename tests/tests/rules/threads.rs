//! Shared memory and thread-local storage (MEM-SHARED, MEM-MAX,
//! LAY-INIT-MEMORY, LAY-INIT-TLS, LAY-TLS-BASE, FEAT-SHARED-MEMORY): C
//! objects of clang-19 `-matomics -mbulk-memory`, linked by refld and
//! rust-lld (wasm-ld 22), which must write the same module, section for
//! section (name, producers and target_features aside), or fail with the
//! same diagnostics.

use crate::support::*;

/// Compiles each `(name, C source)` with `clang-19 --target=wasm32 -O1`
/// plus `flags`; returns the inputs `NAME.o`. Fails the test, naming the
/// package, when clang-19 is missing.
fn compile(units: &[(&'static str, &str)], flags: &[&str]) -> Vec<(String, Vec<u8>)> {
    let dir = tempfile::tempdir().expect("temporary folder");
    units
        .iter()
        .map(|(name, source)| {
            let (c, o) = (dir.path().join(format!("{name}.c")), dir.path().join(format!("{name}.o")));
            std::fs::write(&c, source).expect("writing a source");
            let out = std::process::Command::new("clang-19")
                .args(["--target=wasm32-unknown-unknown", "-O1", "-c"])
                .args(flags)
                .arg(&c)
                .arg("-o")
                .arg(&o)
                .output()
                .expect("clang-19 is missing: install package clang-19 (scripts/setup.sh)");
            assert!(out.status.success(), "clang-19 failed on {name}.c: {}", String::from_utf8_lossy(&out.stderr));
            (format!("{name}.o"), std::fs::read(&o).expect("reading an object"))
        })
        .collect()
}

const THREADS: [&str; 2] = ["-matomics", "-mbulk-memory"];



/// The memory's limits and shared flag: (initial, maximum, shared).
fn memory(bytes: &[u8]) -> (u64, Option<u64>, bool) {
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload.expect("a readable module") {
            wasmparser::Payload::MemorySection(r) => {
                let m = r.into_iter().next().expect("one memory").expect("a memory type");
                return (m.initial, m.maximum, m.shared);
            }
            wasmparser::Payload::ImportSection(r) => {
                for imp in r.into_imports() {
                    if let wasmparser::TypeRef::Memory(m) = imp.expect("an import").ty {
                        return (m.initial, m.maximum, m.shared);
                    }
                }
            }
            _ => {}
        }
    }
    panic!("no memory")
}

const DATA: &str = "int counter = 5; const char msg[] = \"hello world\"; int zeros[100];
int get(int i) { return counter + msg[i] + zeros[i]; } void _start(void) {}";
const TLS: &str = "int counter = 5; int zeros[100]; _Thread_local int tv = 7; _Thread_local int tz;
int get(void) { return counter + zeros[3] + tv + tz; } int *tvaddr(void) { return &tv; } void _start(void) {}";
const BUILTINS: &str = "_Thread_local int tv = 7; _Thread_local int tz;
int get(void) { return tv + tz + __builtin_wasm_tls_size() + __builtin_wasm_tls_align(); }
void *base(void) { return __builtin_wasm_tls_base(); }
extern void __wasm_init_tls(void *); void init(void *p) { __wasm_init_tls(p); } void _start(void) {}";
const NO_TLS_INIT: &str = "int counter = 5; extern void __wasm_init_tls(void *);
void init(void *p) { __wasm_init_tls(p); } int get(void) { return counter; }";
const ENDS: &str = "extern char __data_end[], __heap_base[]; char c = 1; int zz[3];
int de(void) { return (int)__data_end + c + zz[1]; } int hb(void) { return (int)__heap_base; } void _start(void) {}";
const EMPTY: &str = "void _start(void) {}";

#[test]
fn shared_memory_modules_as_wasm_ld_writes_them() {
    // MEM-SHARED, LAY-INIT-MEMORY, LAY-INIT-TLS, LAY-TLS-BASE (measured,
    // wasm-ld 22): passive segments, `.bss` zeroed by `__wasm_init_memory`
    // (the start function), its flag after the data and before
    // `__data_end`, DataCount, a mutable `__tls_base` starting at 0.
    let objs = compile(&[("data", DATA), ("tls", TLS), ("builtins", BUILTINS), ("notls", NO_TLS_INIT), ("ends", ENDS), ("empty", EMPTY)], &THREADS);
    let pick = |n: &str| vec![objs.iter().find(|o| o.0 == format!("{n}.o")).expect("compiled").clone()];
    let bytes = same_module(&pick("data"), &["--shared-memory", "--export=get"]);
    assert_eq!(memory(&bytes), (2, Some(2), true));
    same_module(&pick("data"), &["--shared-memory", "--import-memory", "--export=get"]);
    same_module(&pick("tls"), &["--shared-memory", "--export=get", "--export=tvaddr"]);
    same_module(&pick("builtins"), &["--shared-memory", "--export=get", "--export=base", "--export=init"]);
    same_module(&pick("notls"), &["--shared-memory", "--no-entry", "--export=get", "--export=init"]);
    for args in [&["--shared-memory"][..], &["--shared-memory", "--no-stack-first"], &["--shared-memory", "--max-memory=262144"]] {
        let args: Vec<&str> = args.iter().copied().chain(["--export=de", "--export=hb"]).collect();
        same_module(&pick("ends"), &args);
    }
    // No data: no `__wasm_init_memory`, no `__tls_base`.
    let bytes = same_module(&pick("empty"), &["--shared-memory"]);
    assert_eq!(memory(&bytes), (1, Some(1), true));
}

#[test]
fn shared_memory_linker_symbols_kept_and_exported() {
    // LAY-INIT-TLS, EXP-CTORS-FIRST, LAY-INIT-MEMORY (measured, wasm-ld
    // 22): with shared memory `__tls_base`, `__tls_size`, `__tls_align`
    // and `__wasm_init_tls` exist without TLS (kept by --no-gc-sections,
    // exported by --export-all after `__wasm_call_ctors` and
    // `__stack_pointer`), `__tls_align` 0; --export-all exports
    // `__wasm_init_memory_flag` and `__wasm_init_memory` last;
    // --export-dynamic exports `__stack_pointer` alone of them.
    let objs = compile(&[("data", DATA), ("empty", EMPTY), ("tls", TLS)], &THREADS);
    let pick = |n: &str| vec![objs.iter().find(|o| o.0 == format!("{n}.o")).expect("compiled").clone()];
    for unit in ["data", "empty", "tls"] {
        for extra in [&["--no-gc-sections"][..], &["--export-all"], &["--export-dynamic"], &["--export=__tls_size", "--export=__wasm_init_tls"]] {
            let args: Vec<&str> = ["--shared-memory"].into_iter().chain(extra.iter().copied()).collect();
            let bytes = same_module(&pick(unit), &args);
            let s = summary(&bytes);
            let has_tls_size = s.exports.iter().any(|e| e.0 == "__tls_size");
            assert_eq!(has_tls_size, extra != ["--no-gc-sections"] && extra != ["--export-dynamic"], "{unit} {extra:?}");
        }
        let exports = summary(&same_module(&pick(unit), &["--shared-memory", "--export-all"])).exports;
        let names: Vec<&str> = exports.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(names[..7], ["memory", "__wasm_call_ctors", "__stack_pointer", "__tls_base", "__tls_size", "__tls_align", "__wasm_init_tls"], "{unit}");
        let init_memory = unit != "empty";
        assert_eq!(names.ends_with(&["__wasm_init_memory_flag", "__wasm_init_memory"]), init_memory, "{unit}: {names:?}");
    }
}

#[test]
fn memory_limits_and_their_messages() {
    // MEM-MAX, MEM-PAGES (measured, wasm-ld 22): `--no-growable-memory`
    // makes the maximum the initial size; with `--max-memory` it is an
    // error that ends the link alone; misaligned and too small sizes are
    // reported together.
    let objs = compile(&[("ends", ENDS)], &THREADS);
    let bytes = same_module(&objs, &["--no-growable-memory", "--export=de", "--export=hb"]);
    assert_eq!(memory(&bytes), (2, Some(2), false));
    let input = [("a.o", encode(&returns("f", 1, 0)))];
    let cases: [(&[&str], &[&str]); 4] = [
        (&["--no-growable-memory", "--max-memory=131072", "--shared-memory", "-pie", "--no-entry"], &["--max-memory is incompatible with --no-growable-memory"]),
        (&["--max-memory=100", "--no-entry"], &["maximum memory must be aligned to the page size (65536 bytes)", "maximum memory too small, 65536 bytes needed"]),
        (&["--initial-memory=100", "--no-entry"], &["initial memory must be aligned to the page size (65536 bytes)", "initial memory too small, 65536 bytes needed"]),
        (&["--max-memory=65536", "--no-stack-first", "--no-entry"], &["maximum memory too small, 131072 bytes needed"]),
    ];
    for (args, want) in cases {
        let mut got = errors(&both_fail(&input, args)).into_iter().map(str::to_string).collect::<Vec<_>>();
        let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{args:?}");
    }
}

#[test]
fn shared_memory_needs_atomics_and_bulk_memory() {
    // FEAT-SHARED-MEMORY (measured, wasm-ld 22 and 19): one error per
    // missing feature; `--no-check-features` links a shared memory anyway.
    for (flags, missing) in [(&[][..], &["atomics", "bulk-memory"][..]), (&["-matomics"], &["bulk-memory"]), (&["-mbulk-memory"], &["atomics"])] {
        let objs = compile(&[("data", DATA)], flags);
        let inputs: Vec<Input<'_>> = objs.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
        let want: Vec<String> = missing.iter().map(|f| format!("'{f}' feature must be used in order to use shared memory")).collect();
        assert_eq!(errors(&both_fail(&inputs, &["--shared-memory", "--export=get"])), want, "{flags:?}");
    }
    let objs = compile(&[("data", DATA)], &[]);
    same_module(&objs, &["--shared-memory", "--no-check-features", "--export=get"]);
}

#[test]
fn thread_local_data_in_a_static_link() {
    // LAY-TLS-BASE (measured, wasm-ld 22): without shared memory
    // `__tls_base` is immutable and holds the TLS block's address, exported
    // TLS data holds its offset in the block, and `__tls_size`,
    // `__tls_align`, `__wasm_init_tls` are undefined symbols.
    let tls = "_Thread_local int tv = 7; _Thread_local int tz; int get(void) { return tv + tz; }
void *base(void) { return __builtin_wasm_tls_base(); } void _start(void) {}";
    let objs = compile(&[("tls", tls), ("builtins", BUILTINS)], &THREADS);
    let args = ["--export=get", "--export=base", "--export=tv", "--export=tz"];
    for shared in [false, true] {
        let args: Vec<&str> = args.iter().copied().chain(shared.then_some("--shared-memory")).collect();
        let bytes = same_module(&objs[..1], &args);
        // A shared memory is not run here (the test harness's engine has no
        // threads); the sections above are rust-lld's.
        if !shared {
            assert_eq!(run_export(&bytes, "base", &[]), Ok(65536));
        }
    }
    let inputs: Vec<Input<'_>> = objs[1..].iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let msgs = both_fail(&inputs, &["--export=get", "--export=base", "--export=init"]);
    let mut got = errors(&msgs);
    got.sort();
    assert_eq!(got, ["builtins.o: undefined symbol: __tls_align", "builtins.o: undefined symbol: __tls_size", "builtins.o: undefined symbol: __wasm_init_tls"]);
}
