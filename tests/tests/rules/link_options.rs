//! Smaller wasm-ld options: `--growable-table` (OPT-GROWABLE-TABLE),
//! `--[no-]merge-data-segments` (OPT-MERGE-SEGMENTS), `-z`
//! (OPT-Z) and `--no-allow-multiple-definition`, held to rust-lld
//! (wasm-ld 22).

use crate::output_options::{compile, inputs};
use crate::support::*;

/// Function pointers (a table), data, read-only data, strings, `.bss`.
const UNIT: [(&str, &str); 1] = [(
    "t",
    "int f1(int x) { return x + 1; } int f2(int x) { return x + 2; }\nint (*tab[2])(int) = { f1, f2 };\nint data2[3] = {1, 2, 3};\nconst char *s = \"str\";\nint zeros[4];\nint _start(void) { return tab[data2[0]](s[1]) + zeros[2]; }\n",
)];

/// OPT-GROWABLE-TABLE: the table (defined or imported) has no maximum.
#[test]
fn growable_table_as_wasm_ld() {
    let c = compile(&UNIT, &["--target=wasm32-unknown-unknown", "-O2"]);
    let objs = inputs(&c);
    for extra in [&["--growable-table"][..], &["--growable-table", "--import-table"], &["--growable-table", "--no-gc-sections"], &["--growable-table", "--export-table"]] {
        let mut args = extra.to_vec();
        args.extend(["-o", "out.wasm"]);
        let (ours, lld) = both_ok(&objs, &args);
        assert!(ours == lld, "{args:?}: the modules differ");
    }
    let (ours, _) = both_ok(&objs, &["--growable-table"]);
    assert_eq!(summary(&ours).table, Some((3, None)));
    let (ours, _) = both_ok(&objs, &[]);
    assert_eq!(summary(&ours).table, Some((3, Some(3))));
}

/// OPT-MERGE-SEGMENTS: `--no-merge-data-segments` keeps each input
/// segment name an output segment (TLS still goes to `.tdata`), in
/// MEM-ORDER; the last of the two options counts.
#[test]
fn merge_data_segments_as_wasm_ld() {
    let c = compile(&UNIT, &["--target=wasm32-unknown-unknown", "-O2"]);
    let objs = inputs(&c);
    let cases: [&[&str]; 5] = [
        &["--no-merge-data-segments"],
        &["--no-merge-data-segments", "--import-memory"],
        &["--no-merge-data-segments", "-O0", "--no-stack-first"],
        &["--merge-data-segments", "--no-merge-data-segments"],
        &["--no-merge-data-segments", "--merge-data-segments"],
    ];
    for extra in cases {
        let mut args = extra.to_vec();
        args.extend(["-o", "out.wasm"]);
        let (ours, lld) = both_ok(&objs, &args);
        assert!(ours == lld, "{args:?}: the modules differ");
    }
    let names = |a: &[&str]| summary(&both_ok(&objs, a).0).data_names;
    assert_eq!(names(&["--no-merge-data-segments"]), [".rodata..L.str", ".data.tab", ".data.data2", ".data.s"]);
    assert_eq!(names(&[]), [".rodata", ".data"]);
}

/// OPT-Z: `-z muldefs` allows duplicate definitions (the first one
/// stays, as `--allow-multiple-definition`); an unknown `-z` value is a
/// warning. The last of `--[no-]allow-multiple-definition` counts.
#[test]
fn z_options_and_multiple_definitions_as_wasm_ld() {
    let a = caller("_start", "dup", 0);
    let objs = [("s.o", encode(&a)), ("a.o", encode(&returns("dup", 1, 0))), ("b.o", encode(&returns("dup", 2, 0)))];
    let outputs = both_ok(&objs, &["-z", "muldefs", "-o", "out.wasm"]);
    assert!(outputs.0 == outputs.1, "the modules differ");
    assert_eq!(run_both(&outputs, "_start"), Ok(1), "the first definition stays");
    let msgs = both_fail(&objs, &["--allow-multiple-definition", "--no-allow-multiple-definition"]);
    assert_eq!(errors(&msgs).len(), 1);
    both_ok(&objs, &["--no-allow-multiple-definition", "-zmuldefs"]);
    let (r, lld) = both(&objs[..2], &["-z", "foo", "-z", "muldefsx", "-z", "stack-size=0x2000", "-o", "out.wasm"]);
    assert!(lld.messages == [(Severity::Warning, "unknown -z value: foo".to_string())], "{}", lld.stderr);
    assert!(r.expect("refld links").bytes == lld.bytes.expect("an output"), "the modules differ");
    // A stack size that is no number (wasm-ld also warns that a bare
    // `stack-size` is unknown; refld stops at the error).
    for (v, msg) in [("stack-size=12k", "invalid stack-size: 12k"), ("stack-size", "invalid stack-size: ")] {
        let lld = rust_lld(&objs, &["-z", v]);
        assert!(errors(&lld.messages).contains(&msg.trim_end()), "{}", lld.stderr);
        let argv: Vec<String> = ["-z", v, "s.o"].iter().map(|s| s.to_string()).collect();
        assert_eq!(refld::args::parse_args(&argv, &|_| Err(String::new())), Err(msg.to_string()));
    }
}

/// CLI-1: options refld accepts without effect (marked so in `--help`)
/// change nothing in rust-lld's output either.
#[test]
fn options_without_effect_change_nothing() {
    let c = compile(&UNIT, &["--target=wasm32-unknown-unknown", "-O2"]);
    let objs = inputs(&c);
    let (plain, _) = both_ok(&objs, &["-o", "out.wasm"]);
    let inert: [&[&str]; 9] = [
        &["--lto-O3", "--lto-CGO2", "--lto-partitions=2", "--lto-debug-pass-manager"],
        &["--thinlto-cache-dir=cache", "--thinlto-jobs=2", "--thinlto-cache-policy=prune_interval=1h"],
        &["--save-temps"],
        &["--threads=1"],
        &["--verbose"],
        &["--error-limit=3"],
        &["--no-demangle", "--demangle"],
        &["--color-diagnostics", "--no-color-diagnostics"],
        &["--rsp-quoting=posix"],
    ];
    for extra in inert {
        let mut args = extra.to_vec();
        args.extend(["-o", "out.wasm"]);
        let (ours, lld) = both_ok(&objs, &args);
        assert!(ours == plain && lld == plain, "{args:?} changed the output");
    }
}

/// EXP-TABLE: `--export-table` exports the table where its symbol is in
/// the symbol table: after the symbols of the files read before the first
/// one using the table, else after every symbol.
#[test]
fn table_export_where_its_symbol_is() {
    let c = compile(
        &[
            ("uses", "int (*volatile fp)(int); int callit(int x) { return fp(x); }\n"),
            ("defs", "int g(int x) { return x; } int _start(void) { return g(1); }\n"),
        ],
        &["--target=wasm32-unknown-unknown", "-O2"],
    );
    let objs = inputs(&c);
    let reversed = vec![objs[1].clone(), objs[0].clone()];
    for objs in [&objs, &reversed] {
        // (Not --export-all: refld writes `__wasm_call_ctors` and
        // `__stack_pointer` after the inputs' symbols, wasm-ld before them.)
        for extra in [&["--export=callit", "--export=g"][..], &["--export=g"], &["--export=callit", "--no-gc-sections"]] {
            let mut args = vec!["--export-table"];
            args.extend(extra);
            args.extend(["-o", "out.wasm"]);
            let (ours, lld) = both_ok(objs, &args);
            assert!(ours == lld, "{args:?}: the modules differ");
        }
    }
    // Objects without a table symbol: the table export comes last.
    let mut m = obj();
    let f = m.define_func("f", sig_i32(), ret(4), 0);
    let p = m.define_data("p", ".data.p", &[0; 4], 0);
    m.add_data_reloc(m.segment_of(p).unwrap(), 0, RelocType::TableIndexI32, f, 0);
    m.define_func("_start", sig_i32(), ret(0), 0);
    let objs = [("m.o", encode(&m))];
    let (ours, lld) = both_ok(&objs, &["--export-table", "--export=p", "--export=f", "-o", "out.wasm"]);
    assert!(ours == lld, "model object: the modules differ");
    assert_eq!(summary(&ours).exports.last().map(|e| e.0.as_str()), Some("__indirect_function_table"));
}
