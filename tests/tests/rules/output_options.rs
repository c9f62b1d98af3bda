//! Options that change how the output is written or what is written
//! beside it (MAP-1, ...), each held to rust-lld (wasm-ld 22).

use crate::support::*;

/// Compiles each `(name, C source)` with `clang-19` and `flags`; returns
/// the inputs `NAME.o`. Fails the test, naming the package, when clang-19
/// is missing.
pub fn compile(units: &[(&str, &str)], flags: &[&str]) -> Vec<(String, Vec<u8>)> {
    let dir = tempfile::tempdir().expect("temporary folder");
    units
        .iter()
        .map(|(name, source)| {
            let (c, o) = (dir.path().join(format!("{name}.c")), dir.path().join(format!("{name}.o")));
            std::fs::write(&c, source).expect("writing a source");
            let out = std::process::Command::new("clang-19")
                .args(["-c"])
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

/// Borrows compiled inputs as [`Input`]s.
pub fn inputs(v: &[(String, Vec<u8>)]) -> Vec<Input<'_>> {
    v.iter().map(|(n, b)| (n.as_str(), b.clone())).collect()
}

/// MAP-1: refld's `-M` text is rust-lld's, byte for byte (both name the
/// output `out.wasm`, which the name section holds).
fn same_map(inputs: &[Input<'_>], args: &[&str]) -> String {
    let mut args = args.to_vec();
    args.extend(["-M", "-o", "out.wasm"]);
    let (ours, reports) = link_reporting(inputs, &args);
    let lld = rust_lld(inputs, &args);
    assert!(ours.is_ok() && lld.ok, "{args:?}: {:?} / {}", ours.err(), lld.stderr);
    let (path, text) = reports.map.expect("a map");
    assert_eq!(path, "-");
    assert_eq!(text, lld.stdout, "map of {args:?}");
    text
}

/// The C sources of the map tests: functions (a local one), data, `.bss`,
/// a string literal, a weak undefined function (its stub), debug info.
const C_UNITS: [(&str, &str); 3] = [
    ("a", "int g = 5; int zero; static __attribute__((noinline)) int sfun(int x) { return x * 3; }\nconst char *msg = \"hello\"; int helper(int x) { return sfun(x) + g + zero; }\n"),
    ("m", "int helper(int); extern const char *msg; __attribute__((weak)) int maybe(void);\nint bssv[4]; int _start(void) { return helper(2) + msg[0] + (maybe ? maybe() : 0) + bssv[1]; }\n"),
    ("l", "int fromlib(void) { return 7; }\n"),
];

/// MAP-1: the map of model objects (functions, data, `.bss`, a global, an
/// archive member), with `.bss` written or not, and of C objects.
#[test]
fn map_file_as_wasm_ld_writes_it() {
    let mut m = obj();
    m.define_data("d", ".data.d", &[1, 2, 3, 4], 0);
    m.define_data("r", ".rodata.r", &[9; 6], 0);
    m.define_bss("z", ".bss.z", 8, 0);
    m.define_global("gl", linkcheck_object::ValTypeModel::I32, false, 3, 0);
    let f = m.undefined_func("libf", "env", "libf", sig_i32(), 0);
    m.define_func("_start", sig_i32(), calls(f), 0);
    let lib = ("lib.a", archive(&[("f.o", &encode(&returns("libf", 1, 0)))]));
    let objs = [("m.o", encode(&m)), lib];
    for args in [&[][..], &["--export=d", "--export=z", "--export=gl"], &["--import-memory"], &["--no-gc-sections"], &["--no-stack-first"]] {
        same_map(&objs, args);
    }
    let text = same_map(&objs, &[]);
    assert!(text.starts_with("    Addr      Off     Size Out     In      Symbol\n"));
    assert!(text.contains("lib.a(f.o):(libf)"), "{text}");

    let c = compile(&C_UNITS, &["--target=wasm32-unknown-unknown", "-O1", "-g"]);
    let lib = ("libl.a", archive(&[("l.o", &c[2].1)]));
    let objs = vec![(c[1].0.as_str(), c[1].1.clone()), (c[0].0.as_str(), c[0].1.clone()), lib];
    for args in [&["-O0"][..], &["-O0", "-u", "fromlib", "--export=fromlib"], &["-O0", "--import-memory"]] {
        same_map(&objs, args);
    }
}

/// MAP-1: a C program with wasi-libc (when installed), and the option's
/// spellings.
#[test]
fn map_file_of_a_wasi_program() {
    let sysroot = std::path::Path::new("/usr/lib/wasm32-wasi");
    let hello = compile(&[("hello", "#include <stdio.h>\n#include <string.h>\nstatic char buf[64];\nint main(void) { strcpy(buf, \"world\"); printf(\"hello %s %d\\n\", buf, (int)strlen(buf)); return 0; }\n")], &["--target=wasm32-wasi", "-O1"]);
    if sysroot.join("libc.a").is_file() {
        let crt = std::fs::read(sysroot.join("crt1-command.o")).expect("crt1-command.o");
        let libc = std::fs::read(sysroot.join("libc.a")).expect("libc.a");
        let objs = [("crt1-command.o", crt), (hello[0].0.as_str(), hello[0].1.clone()), ("libc.a", libc)];
        same_map(&objs, &["-O0"]);
    }
    let parse = |a: &[&str]| match refld::args::parse_args(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>(), &|_| Err(String::new())) {
        Ok(refld::args::Action::Link(c)) => c.map_file,
        other => panic!("{other:?}"),
    };
    assert_eq!(parse(&["-Map=x.map", "a.o"]).as_deref(), Some("x.map"));
    assert_eq!(parse(&["--Map", "y.map", "a.o"]).as_deref(), Some("y.map"));
    assert_eq!(parse(&["--print-map", "a.o"]).as_deref(), Some("-"));
    assert_eq!(parse(&["-M", "-Map=x.map", "a.o"]).as_deref(), Some("-"));
    assert_eq!(parse(&["-Map=x.map", "--Map=z.map", "a.o"]).as_deref(), Some("z.map"));
}
