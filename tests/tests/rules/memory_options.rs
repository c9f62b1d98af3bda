//! Memory options beyond MEM-PAGES: `--page-size` (OPT-PAGE-SIZE) and
//! `--initial-heap` (OPT-INITIAL-HEAP), held to rust-lld (wasm-ld 22)
//! byte for byte and message for message.

use crate::output_options::{compile, inputs};
use crate::support::*;

/// A program reading the linker's memory symbols, with data.
const UNIT: [(&str, &str); 1] = [(
    "p",
    "extern char __heap_base, __heap_end, __data_end, __wasm_first_page_end;\nint arr[10] = {1};\nint _start(void) { return (int)&__heap_base + (int)&__heap_end + (int)&__data_end + arr[0] + (int)&__wasm_first_page_end; }\n",
)];

/// refld's error for a command line refld refuses while parsing.
fn parse_error(args: &[&str]) -> String {
    let argv: Vec<String> = args.iter().map(|s| s.to_string()).chain(["p.o".to_string()]).collect();
    match refld::args::parse_args(&argv, &|_| Err(String::new())) {
        Err(e) => e,
        Ok(a) => panic!("{args:?} parsed: {a:?}"),
    }
}

/// A memory's initial size, maximum (pages) and page size log2.
type MemoryLimits = (u64, Option<u64>, Option<u32>);

/// The memory's (initial, maximum, page size log2) and the values of the
/// exported i32 globals of a module that validates with every feature
/// (custom page sizes among them).
fn memory_and_exported_globals(bytes: &[u8]) -> (MemoryLimits, std::collections::HashMap<String, i32>) {
    use wasmparser::{Operator, Payload};
    testkit::validate_all_features(bytes).expect("a valid module");
    let (mut memory, mut values, mut exports) = (None, Vec::new(), Vec::new());
    for p in wasmparser::Parser::new(0).parse_all(bytes) {
        match p.expect("a readable module") {
            Payload::MemorySection(r) => {
                let m = r.into_iter().next().expect("a memory").expect("a memory type");
                memory = Some((m.initial, m.maximum, m.page_size_log2));
            }
            Payload::GlobalSection(r) => {
                for g in r {
                    let mut ops = g.expect("a global").init_expr.get_operators_reader();
                    values.push(match ops.read() {
                        Ok(Operator::I32Const { value }) => value,
                        _ => 0,
                    });
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.expect("an export");
                    if e.kind == wasmparser::ExternalKind::Global {
                        exports.push((e.name.to_string(), e.index as usize));
                    }
                }
            }
            _ => {}
        }
    }
    (memory.expect("a memory section"), exports.into_iter().map(|(n, i)| (n, values[i])).collect())
}

/// OPT-PAGE-SIZE: `--page-size=1` writes the memory with a page size of
/// one byte (limits in bytes, nothing rounded up), `__heap_end` at the
/// end of the initial memory and `__wasm_first_page_end` 1; 65536 is
/// the default, written as before. The limits' checks use the page size.
#[test]
fn page_size_as_wasm_ld_writes_it() {
    let c = compile(&UNIT, &["--target=wasm32-unknown-unknown", "-O2"]);
    let objs = inputs(&c);
    let cases: [&[&str]; 9] = [
        &["--page-size=1"],
        &["--page-size=65536"],
        &["--page-size=1", "--no-stack-first"],
        &["--page-size=1", "--initial-memory=70001"],
        &["--page-size=1", "--max-memory=70001"],
        &["--page-size=1", "--initial-memory=70001", "--max-memory=80000"],
        &["--page-size=1", "--import-memory"],
        &["--page-size=1", "--no-growable-memory"],
        &["--page-size=65536", "--page-size=1", "--export=__heap_end"],
    ];
    for extra in cases {
        let mut args = extra.to_vec();
        args.extend(["-o", "out.wasm"]);
        let (ours, lld) = both_ok(&objs, &args);
        assert!(ours == lld, "{args:?}: the modules differ");
    }
    let (ours, _) = both_ok(&objs, &["--page-size=1", "--export=__heap_end", "--export=__heap_base", "--export=__wasm_first_page_end"]);
    let (memory, globals) = memory_and_exported_globals(&ours);
    let (base, end) = (globals["__heap_base"], globals["__heap_end"]);
    assert_eq!((end, globals["__wasm_first_page_end"]), (base, 1), "one-byte pages: the memory ends at __heap_base");
    assert_eq!(memory, (base as u64, None, Some(0)));
    // Errors: the page size in the limits' messages, the values wasm-ld takes.
    let msgs = both_fail(&objs, &["--page-size=1", "--initial-memory=100"]);
    assert_eq!(errors(&msgs), ["initial memory too small, 65584 bytes needed"]);
    let msgs = both_fail(&objs, &["--initial-memory=70000"]);
    assert_eq!(errors(&msgs), ["initial memory must be aligned to the page size (65536 bytes)"]);
    for (args, msg) in [
        (&["--page-size=2"][..], "--page_size=N must be either 1 or 65536"),
        (&["--page-size=0"], "--page_size=N must be either 1 or 65536"),
        (&["--page-size", "1"], "unknown argument: --page-size"),
    ] {
        // (`--page-size 1` makes `1` an input wasm-ld cannot open too.)
        let lld = rust_lld(&objs, args);
        assert!(errors(&lld.messages).contains(&msg), "rust-lld {args:?}: {}", lld.stderr);
        assert_eq!(parse_error(args), msg, "{args:?}");
    }
    // wasm-ld goes on after a non-number and reports the page size too;
    // refld stops at the first error of the command line.
    let lld = rust_lld(&objs, &["--page-size=0x1"]);
    assert_eq!(errors(&lld.messages), ["--page-size=0x1: number expected, but got '0x1'", "--page_size=N must be either 1 or 65536"]);
    assert_eq!(parse_error(&["--page-size=0x1"]), "--page-size=0x1: number expected, but got '0x1'");
}

/// OPT-INITIAL-HEAP: `--initial-heap=N` makes the initial memory hold N
/// bytes after `__heap_base` (then whole pages); N must be a multiple of
/// the page size and fit below 4 GiB; `--initial-memory` and
/// `--max-memory` are checked against the memory it needs.
#[test]
fn initial_heap_as_wasm_ld_lays_it_out() {
    let c = compile(&UNIT, &["--target=wasm32-unknown-unknown", "-O2"]);
    let objs = inputs(&c);
    let cases: [&[&str]; 7] = [
        &["--initial-heap=65536"],
        &["--initial-heap=0"],
        &["--initial-heap=131072", "--initial-memory=262144"],
        &["--initial-heap=65536", "--no-stack-first"],
        &["--initial-heap=65536", "--page-size=1"],
        &["--initial-heap=100", "--page-size=1"],
        &["--initial-heap=65536", "--max-memory=262144"],
    ];
    for extra in cases {
        let mut args = extra.to_vec();
        args.extend(["--export=__heap_base", "-o", "out.wasm"]);
        let (ours, lld) = both_ok(&objs, &args);
        assert!(ours == lld, "{args:?}: the modules differ");
    }
    let (ours, _) = both_ok(&objs, &["--initial-heap=131072", "--export=__heap_base"]);
    let (memory, globals) = memory_and_exported_globals(&ours);
    assert_eq!(memory, ((globals["__heap_base"] as u64 + 131072).div_ceil(65536), None, None));
    let fails: [(&[&str], &[&str]); 5] = [
        (&["--initial-heap=100000"], &["initial heap must be aligned to the page size (65536 bytes)"]),
        (&["--initial-heap=131072", "--initial-memory=131072"], &["initial memory too small, 196656 bytes needed"]),
        (&["--initial-heap=65536", "--max-memory=131072"], &["maximum memory too small, 196608 bytes needed"]),
        (&["--initial-heap=4294967296"], &["initial heap too large, cannot be greater than 4294901712"]),
        (&["--initial-heap=4294967295"], &["initial heap must be aligned to the page size (65536 bytes)", "initial heap too large, cannot be greater than 4294901712"]),
    ];
    for (args, want) in fails {
        let msgs = both_fail(&objs, args);
        assert_eq!(errors(&msgs), want, "{args:?}");
    }
    let lld = rust_lld(&objs, &["--initial-heap=1k"]);
    assert_eq!(errors(&lld.messages), ["--initial-heap=1k: number expected, but got '1k'"]);
    assert_eq!(parse_error(&["--initial-heap=1k"]), "--initial-heap=1k: number expected, but got '1k'");
}
