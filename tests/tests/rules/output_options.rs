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
    for args in [&[][..], &["-O0"], &["-u", "fromlib", "--export=fromlib"], &["--import-memory"]] {
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
        same_map(&objs, &[]);
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

/// The `build_id` section's id bytes (after its length), if any.
fn build_id(bytes: &[u8]) -> Option<Vec<u8>> {
    let s = summary(bytes);
    let c = s.custom("build_id")?;
    assert_eq!(c[0] as usize, c.len() - 1, "one length byte, then the id");
    Some(c[1..].to_vec())
}

/// BUILD-ID: refld writes rust-lld's module byte for byte for every
/// deterministic style (a module over 1 MiB too, hashed in chunks), and
/// for `uuid` the same module but for a random version-4 id; the last
/// option counts; bad styles are wasm-ld's errors.
#[test]
fn build_id_as_wasm_ld_writes_it() {
    let mut m = obj();
    m.define_data("d", ".data.d", &[7; 40], 0);
    m.define_func("_start", sig_i32(), ret(3), 0);
    let small = [("m.o", encode(&m))];
    let mut big = obj();
    big.define_data("d", ".data.d", &vec![5; 1_500_000], 0);
    big.define_func("_start", sig_i32(), ret(3), 0);
    let big = [("big.o", encode(&big))];
    let styles: [(&[&str], Option<usize>); 8] = [
        (&["--build-id"], Some(16)),
        (&["--build-id=fast"], Some(16)),
        (&["--build-id=sha1"], Some(20)),
        (&["--build-id=tree"], Some(20)),
        (&["--build-id=0xabc"], Some(2)),
        (&["--build-id=0x"], Some(0)),
        (&["--build-id=sha1", "--build-id=none"], None),
        (&["--build-id=none", "--build-id=0x0102"], Some(2)),
    ];
    for objs in [&small[..], &big[..]] {
        for (style, len) in styles {
            let mut args = style.to_vec();
            args.extend(["-o", "out.wasm"]);
            let (ours, lld) = both_ok(objs, &args);
            assert!(ours == lld, "{args:?}: the modules differ");
            assert_eq!(build_id(&ours).map(|b| b.len()), len, "{args:?}");
        }
    }
    let (ours, lld) = both_ok(&small, &["--build-id=uuid", "-o", "out.wasm"]);
    let (a, b) = (build_id(&ours).expect("an id"), build_id(&lld).expect("an id"));
    assert_eq!((a.len(), a[6] >> 4, a[8] >> 6), (16, 4, 2));
    assert_eq!((b.len(), b[6] >> 4, b[8] >> 6), (16, 4, 2));
    assert_eq!(ours[..ours.len() - 16], lld[..lld.len() - 16]);
    assert_eq!(build_id(&both_ok(&small, &["--build-id=0xAbCd"]).0), Some(vec![0xab, 0xcd]));
    for (arg, msg) in [("--build-id=md5", "unknown --build-id style: md5"), ("--build-id=0xZZ", "not a hexadecimal value: ZZ")] {
        let lld = rust_lld(&small, &[arg]);
        assert_eq!(errors(&lld.messages), [msg]);
        let ours = refld::args::parse_args(&[arg.to_string(), "m.o".to_string()], &|_| Err(String::new()));
        assert_eq!(ours, Err(msg.to_string()));
    }
}

/// The custom sections' names, in order.
fn custom_names(bytes: &[u8]) -> Vec<String> {
    wasmparser::Parser::new(0)
        .parse_all(bytes)
        .filter_map(|p| match p.expect("a readable module") {
            wasmparser::Payload::CustomSection(c) => Some(c.name().to_string()),
            _ => None,
        })
        .collect()
}

/// STRIP: `--strip-all`/`-s` keeps only the inputs' other custom sections
/// (no `.debug_*`, name, producers or target_features); `--strip-debug`/
/// `-S` drops the `.debug_*` sections alone (`.debugx` stays). The
/// modules are rust-lld's byte for byte (C objects with debug info too).
#[test]
fn strip_options_as_wasm_ld() {
    let mut m = obj();
    m.define_func("holder", sig_i32(), ret(3), 0);
    m.add_custom_section(".debug_info", &[1, 2, 3]);
    m.add_custom_section(".debugx", &[4]);
    m.add_custom_section("mysec", &[5]);
    let c = compile(&C_UNITS[..2], &["--target=wasm32-unknown-unknown", "-O1", "-g"]);
    let mut objs = inputs(&c);
    objs.push(("s.o", encode(&m)));
    let cases: [(&[&str], &[&str]); 6] = [
        // Unstripped: every section (the C units' `.debug_*` ones too).
        (&[], &[".debug_info", ".debugx", "mysec", "name", "producers", "target_features"]),
        (&["--strip-all"], &[".debugx", "mysec"]),
        (&["-s"], &[".debugx", "mysec"]),
        (&["--strip-debug"], &[".debugx", "mysec", "name", "producers", "target_features"]),
        (&["-S"], &[".debugx", "mysec", "name", "producers", "target_features"]),
        (&["--strip-debug", "--strip-all"], &[".debugx", "mysec"]),
    ];
    for (strip, want) in cases {
        let mut args = strip.to_vec();
        args.extend(["-o", "out.wasm"]);
        let (ours, lld) = both_ok(&objs, &args);
        let names = custom_names(&lld);
        if strip.is_empty() {
            assert!(want.iter().all(|w| names.iter().any(|n| n == w)), "rust-lld, {args:?}: {names:?}");
        } else {
            assert_eq!(names, want, "rust-lld, {args:?}");
        }
        assert!(ours == lld, "{args:?}: the modules differ");
    }
}

/// OPT-COMPRESS-RELOCS: `--compress-relocations` writes the relocated LEBs
/// of input function bodies in their shortest form, as rust-lld does
/// (calls, memory addresses, table indices, globals; the map's offsets
/// follow); without `--strip-debug` or `--strip-all` it is an error.
#[test]
fn compress_relocations_as_wasm_ld() {
    let c = compile(&C_UNITS, &["--target=wasm32-unknown-unknown", "-O1", "-g"]);
    let fptr = compile(&[("t", "int helper(int); int (*fp)(int) = helper; int twice(int x) { return fp(x) + fp(x + 1); }\n")], &["--target=wasm32-unknown-unknown", "-O2"]);
    let mut objs = inputs(&c[..2]);
    objs.extend(inputs(&fptr));
    for extra in [&["--strip-debug"][..], &["--strip-all"], &["--strip-debug", "--export=twice"], &["--strip-all", "--export=twice", "--no-gc-sections"]] {
        let mut args = vec!["--compress-relocations"];
        args.extend(extra);
        args.extend(["-o", "out.wasm"]);
        let (ours, lld) = both_ok(&objs, &args);
        assert!(ours == lld, "{args:?}: the modules differ");
        let mut plain = args.clone();
        plain.remove(0);
        let (uncompressed, _) = both_ok(&objs, &plain);
        assert!(ours.len() < uncompressed.len(), "{args:?}: the code is shorter");
        let mut map = args.clone();
        map.push("-M");
        let (r, reports) = link_reporting(&objs, &map);
        assert!(r.is_ok());
        assert_eq!(reports.map.expect("a map").1, rust_lld(&objs, &map).stdout, "map of {map:?}");
    }
    let msgs = both_fail(&objs, &["--compress-relocations"]);
    assert_eq!(errors(&msgs), ["--compress-relocations is incompatible with output debug information. Please pass --strip-debug or --strip-all"]);
}

/// OPT-NOINHIBIT-EXEC: under `--noinhibit-exec` a duplicate symbol is a
/// warning, the later definition takes the name (SYM-4) and the output is
/// written; `--fatal-warnings` makes it an error again; other errors
/// (undefined symbols, a kind clash) stay errors.
#[test]
fn noinhibit_exec_as_wasm_ld() {
    let a = returns("dup", 1, 0);
    let b = returns("dup", 2, 0);
    let c = caller("_start", "dup", 0);
    let objs = [("c.o", encode(&c)), ("a.o", encode(&a)), ("b.o", encode(&b))];
    let dup = "duplicate symbol: dup\n>>> defined in a.o\n>>> defined in b.o";
    let (r, lld) = both(&objs, &["--noinhibit-exec", "-o", "out.wasm"]);
    assert!(lld.ok && lld.messages == [(Severity::Warning, dup.to_string())], "{}", lld.stderr);
    let outputs = (r.expect("refld links").bytes, lld.bytes.expect("an output"));
    assert!(outputs.0 == outputs.1, "the modules differ");
    assert_eq!(run_both(&outputs, "_start"), Ok(2), "the later definition wins");
    let msgs = both_fail(&objs, &["--noinhibit-exec", "--fatal-warnings"]);
    assert_eq!(errors(&msgs), [dup], "a warning made an error");
    let msgs = both_fail(&objs, &[]);
    assert_eq!(errors(&msgs), [dup]);
    // A reserved name (SYN-1) alike: the linker's definition stays.
    let mut ctors = obj();
    ctors.define_func("__wasm_call_ctors", sig_void(), Body::new(), 0);
    ctors.define_func("_start", sig_i32(), ret(5), 0);
    let (ours, lld) = both_ok(&[("r.o", encode(&ctors))], &["--noinhibit-exec", "-o", "out.wasm"]);
    assert!(ours == lld, "reserved name: the modules differ");
    // Still errors: an undefined symbol, a kind clash.
    let undefined = [("c.o", encode(&c))];
    assert_eq!(errors(&both_fail(&undefined, &["--noinhibit-exec"])), ["c.o: undefined symbol: dup"]);
    let mut data = obj();
    data.define_data("dup", ".data.dup", &[1, 2, 3, 4], 0);
    let clash = [("c.o", encode(&c)), ("a.o", encode(&a)), ("d.o", encode(&data))];
    assert_eq!(errors(&both_fail(&clash, &["--noinhibit-exec"])).len(), 1);
}

/// The payload of custom section `name` (`name`, `producers`,
/// `target_features` included), if the module has one.
fn custom_payload(bytes: &[u8], name: &str) -> Option<Vec<u8>> {
    wasmparser::Parser::new(0).parse_all(bytes).find_map(|p| match p.expect("a readable module") {
        wasmparser::Payload::CustomSection(c) if c.name() == name => Some(c.data().to_vec()),
        _ => None,
    })
}

/// An object using atomics and bulk-memory, defining `f`.
fn with_features() -> Vec<u8> {
    let mut m = returns("f", 1, 0);
    for name in ["atomics", "bulk-memory"] {
        m.features.push(linkcheck_object::FeatureModel { prefix: '+', name: name.into() });
    }
    encode(&m)
}

#[test]
fn feature_options_as_wasm_ld() {
    // FEAT-OPT (measured, wasm-ld 22): `--features=LIST` is the output's
    // target_features (an empty list: none), each feature an input uses
    // outside it an error; `--extra-features=LIST` adds to the inputs' or
    // to LIST; the shared-memory check reads the result.
    let inputs = [("a.o", with_features())];
    let base = ["--no-entry", "--export=f"];
    for extra in [&["--features=atomics,bulk-memory,simd128"][..], &["--extra-features=simd128"], &["--no-check-features", "--features=simd128", "--extra-features=nontrapping-fptoint"], &["--no-check-features", "--features="], &["--shared-memory", "--max-memory=131072"]] {
        let args: Vec<&str> = base.iter().chain(extra).copied().collect();
        let (ours, theirs) = both_ok(&inputs, &args);
        assert_eq!(custom_payload(&ours, "target_features"), custom_payload(&theirs, "target_features"), "{args:?}");
        let simd = custom_payload(&ours, "target_features").is_some_and(|p| p.windows(7).any(|w| w == b"simd128"));
        assert_eq!(simd, args.iter().any(|a| a.contains("simd128")), "{args:?}");
    }
    assert!(custom_payload(&both_ok(&inputs, &["--no-entry", "--no-check-features", "--features="]).0, "target_features").is_none());
    let msgs = both_fail(&inputs, &["--no-entry", "--features=simd128"]);
    assert_eq!(errors(&msgs), ["Target feature 'atomics' used by a.o is not allowed.", "Target feature 'bulk-memory' used by a.o is not allowed."]);
    // A plain object: shared memory needs the two features, which
    // --extra-features grants.
    let plain = [("p.o", encode(&returns("f", 1, 0)))];
    assert_eq!(both_fail(&plain, &["--no-entry", "--shared-memory", "--max-memory=131072"]).len(), 2);
    both_ok(&plain, &["--no-entry", "--shared-memory", "--max-memory=131072", "--extra-features=atomics,bulk-memory"]);
}

#[test]
fn soname_and_keep_section_as_wasm_ld() {
    // OPT-SONAME: `--soname=NAME` names the module NAME in the name
    // section. OPT-KEEP-SECTION: `--keep-section=NAME` keeps the linker's
    // name, producers or target_features section under `--strip-all`
    // (measured, wasm-ld 22).
    let inputs = [("a.o", with_features())];
    let (ours, theirs) = both_ok(&inputs, &["--no-entry", "--soname=libfoo.so"]);
    let name = custom_payload(&ours, "name").expect("a name section");
    assert_eq!(Some(&name), custom_payload(&theirs, "name").as_ref());
    assert!(name.windows(9).any(|w| w == b"libfoo.so"), "{name:?}");
    for keep in [&["--keep-section=target_features"][..], &["--keep-section=name", "--keep-section=producers"], &[]] {
        let args: Vec<&str> = ["--no-entry", "--strip-all"].iter().chain(keep).copied().collect();
        let (ours, theirs) = both_ok(&inputs, &args);
        for section in ["name", "producers", "target_features"] {
            let kept = custom_payload(&ours, section).is_some();
            assert_eq!(kept, custom_payload(&theirs, section).is_some(), "{args:?}: {section}");
            let asked = keep.iter().any(|k| k.ends_with(section));
            assert!(kept == asked || (section == "producers" && !kept), "{args:?}: {section} kept {kept}");
        }
    }
}
