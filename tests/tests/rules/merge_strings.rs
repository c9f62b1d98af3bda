//! `-O` and string merging (MERGE-STRINGS), held to rust-lld (wasm-ld 22)
//! byte for byte.

use crate::output_options::{compile, inputs};
use crate::support::*;

/// Two C files sharing string literals (`world` is the tail of
/// `hello world`), with debug info (`.debug_str`, its SECTION_OFFSET
/// relocations).
const UNITS: [(&str, &str); 2] = [
    ("a", "const char *f(int i) { return i ? \"hello world\" : \"world\"; }\nconst char *g(void) { return \"bye\"; }\nconst char *p = \"pointer\" + 2;\nint _start(void) { return f(1)[0] + g()[0] + p[0]; }\n"),
    ("b", "const char *h(void) { return \"world\"; }\nconst char *k(void) { return \"hello world\"; }\nconst char *m(void) { return \"xyz\"; }\nconst char *q = \"pointer\";\n"),
];

/// How often `needle` occurs in `hay`.
fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

/// MERGE-STRINGS: with clang's objects (STRINGS segments `.rodata..L.str*`,
/// `.debug_str`) refld writes rust-lld's module at every `-O` level and
/// with the layout options that move the data.
#[test]
fn strings_merged_as_wasm_ld_merges_them() {
    let c = compile(&UNITS, &["--target=wasm32-unknown-unknown", "-O2", "-g"]);
    let objs = inputs(&c);
    let exports = ["--export=h", "--export=k", "--export=m", "--export=q"];
    let cases: [&[&str]; 9] = [&[], &["-O0"], &["-O1"], &["-O2"], &["-O", "3"], &["--no-gc-sections"], &["--no-stack-first"], &["--import-memory"], &["--strip-debug"]];
    for extra in cases {
        let mut args = exports.to_vec();
        args.extend(extra);
        args.extend(["-o", "out.wasm"]);
        let (ours, lld) = both_ok(&objs, &args);
        assert!(ours == lld, "{args:?}: the modules differ");
        let data: Vec<u8> = summary(&ours).data.into_iter().flat_map(|d| d.1).collect();
        // Both files hold `hello world` and `world`; merged, one copy.
        let copies = count(&data, b"world\0");
        if extra == ["-O0"] {
            assert!(copies > 1, "{args:?}: -O0 merges nothing");
        } else {
            assert_eq!((copies, count(&data, b"hello world\0")), (1, 1), "{args:?}: one copy, `world` its tail");
        }
    }
    // MAP-1 of merged segments: `<internal>:(.rodata)`, no symbols.
    let mut args = exports.to_vec();
    args.extend(["-M", "-o", "out.wasm"]);
    let (ours, reports) = link_reporting(&objs, &args);
    let lld = rust_lld(&objs, &args);
    assert!(ours.is_ok() && lld.ok);
    let text = reports.map.expect("a map").1;
    assert_eq!(text, lld.stdout);
    assert!(text.contains("        <internal>:(.rodata)\n"), "{text}");
}

/// MERGE-STRINGS: which segments merge (STRINGS, 1-byte alignment,
/// not empty), one chunk per flags value where its first input was,
/// symbols and relocations inside merged strings, and a string segment
/// without its final NUL.
#[test]
fn string_segments_of_model_objects() {
    let strings = |m: &mut ObjectModel, name: &str, seg: &str, bytes: &[u8], flags: u32| {
        let s = m.define_data(name, seg, bytes, 0);
        let i = m.segment_of(s).expect("a segment") as usize;
        m.segments[i].align_log2 = 0;
        m.segments[i].flags = flags;
        s
    };
    let mut a = obj();
    let s1 = strings(&mut a, "s1", ".rodata.s1", b"abc\0zabc\0", segment_flags::STRINGS);
    a.define_data("plain", ".rodata.plain", &[1, 2, 3, 4], 0);
    let s2 = strings(&mut a, "s2", ".rodata.s2", b"zabc\0q\0", segment_flags::STRINGS);
    // Inside s2: `q` at offset 5.
    let d = a.symbols[s2 as usize].data.as_mut().expect("defined");
    (d.offset, d.size) = (5, 2);
    strings(&mut a, "kept", ".rodata.kept", b"abc\0", segment_flags::STRINGS | segment_flags::RETAIN);
    strings(&mut a, "aligned", ".rodata.aligned", b"abc\0", segment_flags::STRINGS);
    let al = a.segments.len() - 1;
    a.segments[al].align_log2 = 1;
    let ptr = a.define_data("ptr", ".data.ptr", &[0; 8], 0);
    let ps = a.segment_of(ptr).unwrap();
    a.add_data_reloc(ps, 0, RelocType::MemoryAddrI32, s2, 1);
    a.add_data_reloc(ps, 4, RelocType::MemoryAddrI32, s1, 6);
    a.define_func("_start", sig_i32(), ret(0), 0);
    let mut b = obj();
    strings(&mut b, "t", ".rodata.t", b"abc\0q\0", segment_flags::STRINGS);
    let objs = [("a.o", encode(&a)), ("b.o", encode(&b))];
    let exports = ["--export=s1", "--export=s2", "--export=t", "--export=plain", "--export=ptr", "--export=aligned"];
    for level in ["-O0", "-O1", "-O2"] {
        let mut args = exports.to_vec();
        args.extend([level, "-o", "out.wasm"]);
        let (ours, lld) = both_ok(&objs, &args);
        assert!(ours == lld, "{args:?}: the modules differ");
    }
    // `-O N`: a number (wasm-ld's message names the option as written).
    for (args, msg) in [(&["-Ox"][..], "-Ox: number expected, but got 'x'"), (&["-O", "1x"], "-O: number expected, but got '1x'")] {
        assert_eq!(errors(&rust_lld(&objs, args).messages), [msg]);
        let argv: Vec<String> = args.iter().map(|s| s.to_string()).chain(["a.o".to_string()]).collect();
        assert_eq!(refld::args::parse_args(&argv, &|_| Err(String::new())), Err(msg.to_string()));
    }
    // wasm-ld keeps the level as an unsigned 32-bit number: -1 merges,
    // 2^32 is 0 (measured).
    for (level, merges) in [("-1", true), ("4294967296", false)] {
        let (ours, lld) = both_ok(&objs, &["-O", level, "--export=s1", "--export=t", "-o", "out.wasm"]);
        assert!(ours == lld, "-O {level}: the modules differ");
        let data: Vec<u8> = summary(&ours).data.into_iter().flat_map(|d| d.1).collect();
        // `abc` of s1 (twice, once as a tail), of t and of the RETAIN
        // segment (a chunk of its own): 4 copies, or 2 merged.
        assert_eq!(count(&data, b"abc\0"), if merges { 2 } else { 4 }, "-O {level}");
    }
    let mut c = obj();
    strings(&mut c, "u", ".rodata.u", b"abc\0de", segment_flags::STRINGS);
    c.define_func("_start", sig_i32(), ret(0), 0);
    let objs = [("c.o", encode(&c))];
    let bad = both_fail(&objs, &[]);
    assert_eq!(errors(&bad), ["c.o:(.rodata.u): string is not null terminated"]);
    both_ok(&objs, &["-O0"]);
}
