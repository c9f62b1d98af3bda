//! What refld prints on standard output while it links (TRACE-1..3):
//! `--trace`, `-y`/`--trace-symbol`, `--print-gc-sections`, held line for
//! line to what rust-lld (wasm-ld 22) prints for the same inputs.

use crate::support::*;

/// refld's standard output for the link (its `trace` report) and
/// rust-lld's; both links must end alike.
fn both_print(inputs: &[Input<'_>], args: &[&str]) -> (String, String) {
    let (ours, reports) = link_reporting(inputs, args);
    let lld = rust_lld(inputs, args);
    assert_eq!(ours.is_ok(), lld.ok, "{args:?}: refld {:?}\nrust-lld: {}", refld_messages(&ours), lld.stderr);
    let text = reports.files().into_iter().filter(|f| f.option == "trace").map(|f| f.text).collect::<String>();
    (text, lld.stdout)
}

/// `h: () -> i32` referenced (`call`), weakly defined, strongly defined.
fn calls_h(name: &str) -> Vec<u8> {
    encode(&caller(name, "h", 0))
}

#[test]
fn trace_symbol_lists_each_definition_and_reference() {
    // TRACE-2 (measured): a line per file that references or defines the
    // name, in the order the files are read; a lazy definition when an
    // archive makes the lazy symbol (or a weak undefined one becomes lazy),
    // none when an undefined reference extracts the member at once.
    let t1 = ("t1.o", calls_h("a"));
    let t2 = ("t2.o", calls_h("b"));
    let weak = ("t3.o", encode(&returns("h", 1, flags::BINDING_WEAK)));
    let strong = encode(&returns("h", 2, 0));
    let lib = ("lt.a", archive(&[("t4.o", &strong)]));
    let weak_ref = ("w.o", encode(&caller("c", "h", flags::BINDING_WEAK)));
    let cases: Vec<(Vec<Input<'_>>, Vec<&str>)> = vec![
        (vec![t1.clone(), t2.clone(), weak.clone(), ("t4.o", strong.clone())], vec!["-y", "h"]),
        (vec![weak.clone(), t1.clone(), lib.clone()], vec!["--trace-symbol=h"]),
        (vec![lib.clone(), t1.clone(), t2.clone()], vec!["-yh"]),
        (vec![t1.clone(), lib.clone(), t2.clone()], vec!["--trace-symbol", "h", "-y", "a", "-y", "nothere"]),
        (vec![weak_ref.clone(), lib.clone(), t1.clone()], vec!["-y", "h", "--export=c"]),
    ];
    for (inputs, mut args) in cases {
        args.extend(["--no-entry", "--export=a"]);
        let (ours, theirs) = both_print(&inputs, &args);
        assert!(ours.contains("h\n"), "{args:?}: nothing traced: {ours:?}");
        assert_eq!(ours, theirs, "{args:?}");
    }
}

#[test]
fn trace_lists_files_as_they_are_loaded() {
    // TRACE-1 (measured): each object, extracted member (`lib.a(m.o)`) and
    // extracted `--start-lib` object as it is loaded: a member before the
    // files after its archive.
    let t1 = ("t1.o", calls_h("a"));
    let t2 = ("t2.o", encode(&returns("b", 1, 0)));
    let t3 = ("t3.o", encode(&returns("h", 1, flags::BINDING_WEAK)));
    let lib = ("lt.a", archive(&[("t4.o", &encode(&returns("h", 2, 0))), ("unused.o", &encode(&returns("u", 0, 0)))]));
    for args in [&["--trace"][..], &["-t", "t1.o", "--start-lib", "t2.o", "t3.o", "--end-lib", "lt.a"], &["-t", "t1.o", "lt.a", "t2.o"]] {
        let inputs = [t1.clone(), t2.clone(), t3.clone(), lib.clone()];
        let mut args = args.to_vec();
        args.extend(["--no-entry", "--export=a"]);
        let (ours, theirs) = both_print(&inputs, &args);
        assert!(ours.starts_with("t1.o\n") && !ours.contains("unused.o"), "{args:?}: {ours:?}");
        assert_eq!(ours, theirs, "{args:?}");
    }
}

#[test]
fn print_gc_sections_lists_what_collection_removes() {
    // TRACE-3 (measured): per file in load order its dead functions, data
    // segments and globals, then the linker's dead `__wasm_call_ctors`
    // (and, with shared memory, its TLS symbols); nothing without
    // collection.
    let mut m = obj();
    m.define_func("dead_fn", sig_i32(), ret(1), 0);
    m.define_data("dead_data", ".data.dead_data", &[1, 2, 3, 4], 0);
    m.define_data("used_data", ".data.used_data", &[5, 6, 7, 8], 0);
    m.define_global("dead_global", ValTypeModel::I32, false, 7, 0);
    let used = m.symbol_index("used_data").expect("defined");
    let mut body = Body::new();
    body.i32_const_addr(used, 0).i32_load(0);
    m.define_func("_start", sig_i32(), body, 0);
    let inputs = [("m.o", encode(&m)), ("x.o", encode(&returns("also_dead", 2, 0)))];
    for args in [&["--print-gc-sections"][..], &["--print-gc-sections", "--no-gc-sections"], &["--print-gc-sections", "--export=dead_fn"]] {
        let (ours, theirs) = both_print(&inputs, args);
        let dead_fn = ours.contains("removing unused section m.o:(dead_fn)\n");
        assert_eq!(dead_fn, args.len() == 1, "{args:?}: {ours:?}");
        assert_eq!(ours, theirs, "{args:?}");
    }
    // Shared memory: the linker's TLS symbols, `__tls_base` among them
    // although `__wasm_init_memory` then keeps it.
    for name in ["atomics", "bulk-memory"] {
        m.features.push(linkcheck_object::FeatureModel { prefix: '+', name: name.into() });
    }
    let inputs = [("m.o", encode(&m))];
    let (ours, theirs) = both_print(&inputs, &["--print-gc-sections", "--shared-memory", "--max-memory=131072"]);
    assert!(ours.ends_with("removing unused section <internal>:(__tls_align)\n"), "{ours:?}");
    assert_eq!(ours, theirs);
}
