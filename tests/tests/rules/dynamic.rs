//! Dynamic linking (DYN-*): the option checks wasm-ld makes before it reads
//! an input, held to rust-lld's messages and their order.

use crate::support::*;

/// refld's diagnostics in the order refld gave them.
fn refld_in_order(objs: &[Input<'_>], args: &[&str]) -> Vec<Msg> {
    let r = link(objs, args);
    let d = match &r {
        Ok(l) => &l.warnings,
        Err(e) => &e.diagnostics,
    };
    d.iter().map(|d| (d.severity, d.message.clone())).collect()
}

/// rust-lld's diagnostics in the order it printed them.
fn lld_in_order(objs: &[Input<'_>], args: &[&str]) -> Vec<Msg> {
    let lld = rust_lld(objs, args);
    let mut out: Vec<Msg> = Vec::new();
    for line in lld.stderr.lines() {
        let line = line.strip_prefix("rust-lld: ").unwrap_or(line);
        if let Some(m) = line.strip_prefix("error: ") {
            out.push((Severity::Error, m.to_string()));
        } else if let Some(m) = line.strip_prefix("warning: ") {
            out.push((Severity::Warning, m.to_string()));
        }
    }
    out
}

#[test]
fn pic_option_checks_in_wasm_ld_order() {
    // DYN-OPT (measured on wasm-ld 22): each command line fails at its
    // option checks with rust-lld's messages, in rust-lld's order, before
    // any input is read (the input is a plain object).
    let input = [("a.o", encode(&returns("f", 1, 0)))];
    let lines: [&[&str]; 7] = [
        &["-shared", "-pie", "--no-entry"],
        &["-shared", "--global-base=1024", "--no-entry"],
        &["-pie", "--table-base=5", "--global-base=8", "--no-entry"],
        &["-Bsymbolic", "--global-base=8", "-pie", "--table-base=3", "--unresolved-symbols=import-dynamic", "--no-entry"],
        &["-Bsymbolic", "-pie", "-shared", "--unresolved-symbols=import-dynamic", "--global-base=8"],
        // An exported table ends the checks alone.
        &["-shared", "-pie", "--global-base=8", "--export-table"],
        // -Bsymbolic's warning made an error.
        &["--no-pie", "-Bsymbolic", "--global-base=8", "--fatal-warnings", "--no-entry"],
    ];
    for args in lines {
        let want = lld_in_order(&input, args);
        assert!(want.iter().any(|m| m.0 == Severity::Error), "rust-lld accepted {args:?}");
        assert_eq!(refld_in_order(&input, args), want, "{args:?}");
    }
}

#[test]
fn experimental_pic_silences_the_stability_warnings() {
    // DYN-OPT: with --experimental-pic no "not yet stable" warning, the
    // import-dynamic one included (UND-DYNAMIC); without it, each is given.
    let input = [("a.o", encode(&returns("f", 1, 0)))];
    let quiet = ["--experimental-pic", "--unresolved-symbols=import-dynamic", "--no-entry", "--export=f"];
    let (r, lld) = both(&input, &quiet);
    assert!(r.is_ok() && lld.messages.is_empty(), "{:?}", lld.messages);
    let loud = ["-shared", "-pie", "--unresolved-symbols=import-dynamic"];
    let warnings: Vec<String> =
        refld_in_order(&input, &loud).into_iter().filter(|m| m.0 == Severity::Warning).map(|m| m.1).collect();
    assert_eq!(
        warnings,
        [
            "creating shared libraries, with -shared, is not yet stable",
            "creating PIEs, with -pie, is not yet stable",
            "dynamic imports are not yet stable (--unresolved-symbols=import-dynamic)",
        ]
    );
}

/// Compiles each `(name, C source)` with `clang-19 --target=wasm32 -fPIC
/// -O1` plus `flags`; returns the objects named `NAME.o`. Fails the test,
/// naming the package, when clang-19 is missing.
fn compile_pic(units: &[(&str, &str)], flags: &[&str]) -> Vec<(String, Vec<u8>)> {
    let dir = tempfile::tempdir().expect("temporary folder");
    units
        .iter()
        .map(|(name, source)| {
            let c = dir.path().join(format!("{name}.c"));
            let o = dir.path().join(format!("{name}.o"));
            std::fs::write(&c, source).expect("writing a source");
            let out = std::process::Command::new("clang-19")
                .args(["--target=wasm32-unknown-unknown", "-fPIC", "-O1", "-c"])
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



/// The C sources of corpus/dynamic, which the conform corpus links too.
const SIDE: &str = include_str!("../../../corpus/dynamic/side_module_got_imports/side.c");
const HIDDEN: &str = include_str!("../../../corpus/dynamic/side_module_hidden_relative_addresses/hidden.c");
const PLAIN: &str = include_str!("../../../corpus/dynamic/side_module_constructor_without_table/plain.c");
const WEAK: &str = include_str!("../../../corpus/dynamic/side_module_weak_undefined/weak.c");
const ABSOLUTE: &str = include_str!("../../../corpus/dynamic/non_pic_object_in_side_module/abs.c");
const RELATIVE: &str = include_str!("../../../corpus/dynamic/relative_address_of_undefined_symbol/rel.c");
const TLS: &str = include_str!("../../../corpus/dynamic/side_module_thread_local/tls.c");

#[test]
fn side_and_main_modules_as_wasm_ld_writes_them() {
    // DYN-IMPORTS, DYN-GOT, DYN-DATA-RELOCS, DYN-MEMORY, DYN-TABLE,
    // DYN-EXPORTS, DYN-DYLINK (measured, wasm-ld 22): the same module as
    // rust-lld, section for section.
    let side = compile_pic(&[("side", SIDE)], &["-fvisibility=default"]);
    let dynamic = "--unresolved-symbols=import-dynamic";
    // GOT.mem imports for exported data (no -Bsymbolic), one apply body.
    same_module(&side, &["-shared", "--experimental-pic", dynamic]);
    // -Bsymbolic: internal GOT entries and __wasm_apply_global_relocs.
    same_module(&side, &["-shared", "-Bsymbolic", "--experimental-pic", dynamic, "-rpath", "/lib"]);
    // A main module: memory defined and exported, .bss not written.
    same_module(&side, &["-pie", "--experimental-pic", dynamic, "--no-entry", "--export=api"]);
    // Hidden code only: relative addresses, relocated words in data.
    let hidden = compile_pic(&[("hidden", HIDDEN)], &[]);
    same_module(&hidden, &["-shared", "--experimental-pic"]);
    // No table at all, read-only data, constructors in a side module.
    let plain = compile_pic(&[("plain", PLAIN)], &["-fvisibility=default"]);
    same_module(&plain, &["-shared", "--experimental-pic"]);
    same_module(&plain, &["-pie", "--experimental-pic", "--no-entry", "--export=api"]);
}

#[test]
fn weak_undefined_symbols_in_pic_output() {
    // DYN-WEAK (measured, wasm-ld 22): a called undefined weak function is
    // imported, weak data and addresses go through GOT imports, and
    // `dylink.0` lists each such symbol once in IMPORT_INFO (symbol-table
    // order, flags weak and undefined), before RUNTIME_PATH.
    let weak = compile_pic(&[("weak", WEAK)], &["-fvisibility=default"]);
    for args in [
        &["-shared", "--experimental-pic"][..],
        &["-shared", "--experimental-pic", "--unresolved-symbols=import-dynamic", "-rpath", "/a"],
        &["-pie", "--experimental-pic", "--no-entry", "--export=api"],
    ] {
        let bytes = same_module(&weak, args);
        let dylink = sections(&bytes).into_iter().find(|s| s.1 == "dylink.0").expect("a dylink.0 section").2;
        assert!(dylink.windows(6).any(|w| w == b"\x03env\x03w"), "IMPORT_INFO names env.wfn: {dylink:02x?}");
    }
}

/// The two side modules of corpus/dynamic/weak_definitions_in_two_side_modules.
const WEAK_A: &str = include_str!("../../../corpus/dynamic/weak_definitions_in_two_side_modules/a.c");
const WEAK_B: &str = include_str!("../../../corpus/dynamic/weak_definitions_in_two_side_modules/b.c");

#[test]
fn weak_definitions_in_side_modules() {
    // DYN-WEAK-DEF (measured, wasm-ld 22): a side module imports each
    // function it defines weakly and not hidden (env.NAME, among the
    // undefined imports in symbol-table order), its calls and table slots
    // name the import, its export the body; with -Bsymbolic too, not in
    // -pie; hidden weak functions and weak data get no such import.
    let hidden = "__attribute__((weak, visibility(\"hidden\"))) int hfn(void) { return 3; }
int (*hp)(void) = hfn; int h(void) { return hfn() + hp(); }";
    let user = "extern int ext_before(void); __attribute__((weak)) int wfn(void); extern int wval;
int (*tab)(void) = wfn; int *dp = &wval; extern int ext_after(int);
__attribute__((weak)) int w2(int x) { return x + ext_after(x); }
int use(void) { return ext_before() + wfn() + tab() + *dp + w2(3); }";
    let objs = compile_pic(&[("a", WEAK_A), ("b", WEAK_B), ("hidden", hidden), ("user", user)], &["-fvisibility=default"]);
    let pick = |names: &[&str]| -> Vec<(String, Vec<u8>)> { names.iter().map(|n| objs.iter().find(|o| o.0 == format!("{n}.o")).unwrap().clone()).collect() };
    let dynamic = "--unresolved-symbols=import-dynamic";
    for args in [&["-shared", "--experimental-pic"][..], &["-shared", "-Bsymbolic", "--experimental-pic"], &["-pie", "--experimental-pic", "--no-entry", "--export-dynamic"]] {
        let bytes = same_module(&pick(&["a"]), args);
        let imports_wfn = bytes.windows(9).any(|w| w == b"\x03env\x03wfn\x00");
        assert_eq!(imports_wfn, args[0] == "-shared", "env.wfn imported, {args:?}");
        same_module(&pick(&["b"]), args);
        same_module(&pick(&["hidden"]), args);
        let with = |extra: &[&'static str]| -> Vec<&'static str> { args.iter().chain([dynamic].iter()).chain(extra).copied().collect() };
        same_module(&pick(&["user", "b"]), &with(&[]));
        same_module(&pick(&["b", "user"]), &with(&[]));
    }
}

#[test]
fn undefined_functions_only_called_are_imported() {
    // DYN-IMPORTS (measured, wasm-ld 22): PIC output imports an undefined
    // function (weak, explicitly named or under import-dynamic) only when a
    // file calls it directly; a function whose address alone is taken is a
    // GOT.func import, still listed in IMPORT_INFO when weak.
    let source = "typedef int (*fn)(int); extern int addr_only(int); extern int called(int);
__attribute__((weak)) extern int weak_addr(int); __attribute__((weak)) extern int weak_called(int);
__attribute__((import_module(\"m\"), import_name(\"f\"))) extern int named(int);
fn p1 = addr_only; fn get(void) { return addr_only; } fn getw(void) { return weak_addr; } fn getn(void) { return named; }
int c(void) { return called(1) + weak_called(2); }";
    let weak = "__attribute__((weak)) extern int weak_addr(int); int (*getw(void))(int) { return weak_addr; }";
    let objs = compile_pic(&[("s", source), ("w", weak)], &["-fvisibility=default"]);
    let dynamic = "--unresolved-symbols=import-dynamic";
    same_module(&objs[..1], &["-shared", "--experimental-pic", dynamic]);
    same_module(&objs[..1], &["-pie", "--experimental-pic", dynamic, "--no-entry", "--export-dynamic"]);
    same_module(&objs[1..], &["-shared", "--experimental-pic"]);
    same_module(&objs[1..], &["-pie", "--experimental-pic", "--no-entry", "--export-dynamic"]);
}

#[test]
fn constructors_in_pic_output() {
    // CTOR-2, CTOR-3 (measured, wasm-ld 22): PIC output has no
    // command-export wrappers, constructors and destructors or not; a
    // `__wasm_call_dtors` of an archive is extracted and kept (not
    // exported) in a -pie main module, not in a side module.
    let ctors = "int v; __attribute__((constructor)) static void init(void) { v = 5; }
__attribute__((destructor)) static void fini(void) { v = 0; } int get(void) { return v; } void _start(void) {}";
    let plain = "int get(void) { return 1; } void _start(void) {}";
    let dtors = "int dtors_ran; void __wasm_call_dtors(void) { dtors_ran = 1; }";
    let objs = compile_pic(&[("c", ctors), ("m", plain), ("d", dtors)], &["-fvisibility=default"]);
    let lib = archive_with_options(&[("d.o", objs[2].1.as_slice())], ArchiveOptions::default());
    let dynamic = "--unresolved-symbols=import-dynamic";
    for args in [&["-shared", "--experimental-pic", dynamic][..], &["-pie", "--experimental-pic", dynamic, "--export=get"], &["-pie", "--experimental-pic", dynamic, "--no-entry", "--export=get"]] {
        for i in 0..2 {
            same_module(&objs[i..=i], args);
            same_module(&[objs[i].clone(), ("libd.a".to_string(), lib.clone())], args);
        }
    }
}

/// tests/emscripten's side module with a constructor.
const CTOR_SIDE: &str = include_str!("../../emscripten/side/ctor.c");

#[test]
fn stack_pointer_import_when_live() {
    // DYN-IMPORTS (measured, wasm-ld 22): PIC output imports
    // `env.__stack_pointer` when a live relocation uses it, or under
    // --no-gc-sections even when nothing does.
    let stack = "int g(int x) { volatile int a[4]; a[x & 3] = 1; return a[0]; }";
    let mut objs = compile_pic(&[("ctor", CTOR_SIDE), ("plain", "int f(void) { return 1; }")], &["-fvisibility=default"]);
    objs.extend(compile_pic(&[("stack", stack)], &["-fvisibility=default", "-O0"]));
    let dynamic = "--unresolved-symbols=import-dynamic";
    for obj in &objs {
        for args in [&["-shared", "--experimental-pic", dynamic][..], &["-pie", "--experimental-pic", dynamic, "--no-entry"], &["-pie", "--experimental-pic", dynamic, "--no-entry", "--export-dynamic"]] {
            let objs = std::slice::from_ref(obj);
            same_module(objs, args);
            let mut kept = args.to_vec();
            kept.push("--no-gc-sections");
            let bytes = same_module(objs, &kept);
            assert!(bytes.windows(16).any(|w| w == b"\x0f__stack_pointer"), "{} {kept:?}", obj.0);
        }
    }
}

#[test]
fn linker_data_symbols_in_pic_output() {
    // DYN-SYN (measured, wasm-ld 22): PIC output defines `__dso_handle`,
    // `__wasm_first_page_end` and a main module's `__data_end` (internal
    // GOT entries rebased by `__memory_base`), and no heap, stack or global
    // base: those stay undefined (an error under report-all, a GOT import
    // under import-dynamic), as `__data_end` in a side module.
    let names = ["__heap_base", "__heap_end", "__data_end", "__dso_handle", "__global_base", "__stack_low", "__stack_high", "__wasm_first_page_end"];
    for name in names {
        let source = format!("extern char {name}[]; int v = 1; __attribute__((visibility(\"default\"))) int api(void) {{ return (int){name} + v; }}");
        let objs = compile_pic(&[("syn", &source)], &[]);
        let inputs: Vec<Input<'_>> = objs.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
        let defined_in = |shared: bool| match name {
            "__dso_handle" | "__wasm_first_page_end" => true,
            "__data_end" => !shared,
            _ => false,
        };
        for (args, shared) in [(&["-shared", "--experimental-pic"][..], true), (&["-pie", "--experimental-pic", "--no-entry", "--export=api"], false)] {
            if defined_in(shared) {
                same_module(&objs, args);
            } else {
                let msgs = both_fail(&inputs, args);
                assert_eq!(errors(&msgs), [format!("syn.o: undefined symbol: {name}")], "{name} {args:?}");
                let mut dynamic = args.to_vec();
                dynamic.push("--unresolved-symbols=import-dynamic");
                same_module(&objs, &dynamic);
            }
        }
    }
}

#[test]
fn pic_code_in_a_static_link() {
    // DYN-STATIC (measured, wasm-ld 22): -fPIC objects in a link without
    // -pie/-shared: GOT entries become immutable internal globals holding
    // absolute addresses and slots, `__memory_base` and `__table_base`
    // data symbols reached through them, relative slots from the table
    // base; the same module as rust-lld, section for section.
    let side = compile_pic(&[("side", SIDE), ("defs", "int ext_data = 11; int ext_fn(int n) { return n * 2; }")], &["-fvisibility=default"]);
    same_module(&side, &["--no-entry", "--export=api"]);
    let hidden = compile_pic(&[("hidden", HIDDEN)], &[]);
    let bytes = same_module(&hidden, &["--no-entry", "--export=get"]);
    // *p is arr[2] = 3, fps[1]() is 9.
    assert_eq!(run_export(&bytes, "get", &[]), Ok(12));
}

#[test]
fn pic_relocation_errors() {
    // DYN-RELOC (measured, wasm-ld 22): an absolute address in code
    // cannot be in PIC output; a relative address of an undefined symbol
    // has no value (reported before the symbol is undefined).
    let absolute = compile_pic(&[("abs", ABSOLUTE)], &["-fno-pic", "-fvisibility=default"]);
    let relative = compile_pic(&[("rel", RELATIVE)], &[]);
    for (objs, args) in [
        (&absolute, &["-shared", "--experimental-pic"][..]),
        (&relative, &["-shared", "--experimental-pic"]),
        (&relative, &["-shared", "--experimental-pic", "--unresolved-symbols=import-dynamic"]),
    ] {
        let inputs: Vec<Input<'_>> = objs.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
        let msgs = both_fail(&inputs, args);
        assert!(!errors(&msgs).is_empty(), "{args:?}");
    }
}

#[test]
fn thread_local_data_in_pic_output() {
    // DYN-TLS (measured, wasm-ld 22, objects of -matomics -mbulk-memory,
    // no --shared-memory): `__tls_base` a defined immutable global holding
    // the TLS block's offset, `.tdata` first in the merged segment (its
    // name kept when alone), TLS offsets as constants, exported TLS data in
    // dylink.0 EXPORT_INFO with its input flags; the same module as
    // rust-lld, section for section.
    let threads = ["-fvisibility=default", "-matomics", "-mbulk-memory"];
    let tls = compile_pic(&[("tls", TLS)], &threads);
    same_module(&tls, &["-shared", "--experimental-pic"]);
    same_module(&tls, &["-shared", "-Bsymbolic", "--experimental-pic"]);
    let bytes = same_module(&tls, &["-pie", "--experimental-pic", "--no-entry", "--export=bump", "--export=counter"]);
    let dylink = sections(&bytes).into_iter().find(|s| s.1 == "dylink.0").expect("a dylink.0 section").2;
    assert!(dylink.windows(10).any(|w| w == b"\x07counter\x80\x02"), "EXPORT_INFO names counter, flags 0x100: {dylink:02x?}");
    // A lone .tbss goes to `.tdata`; weak and no_strip TLS definitions
    // keep their flags; a TLS variable defined in another object.
    let only = "_Thread_local int a; int *ga(void) { return &a; }";
    let flags = "__attribute__((weak)) _Thread_local int w = 1; __attribute__((used)) _Thread_local int u = 3;
__attribute__((visibility(\"hidden\"))) _Thread_local int h = 4; int *gh(void) { return &h; }";
    let user = "extern _Thread_local int ext_tv; int getext(void) { return ext_tv; }";
    let definer = "__attribute__((visibility(\"hidden\"))) _Thread_local int ext_tv = 9;";
    let objs = compile_pic(&[("only", only), ("flags", flags), ("user", user), ("def", definer)], &threads);
    let pick = |names: &[&str]| -> Vec<(String, Vec<u8>)> { names.iter().map(|n| objs.iter().find(|o| o.0 == format!("{n}.o")).unwrap().clone()).collect() };
    same_module(&pick(&["only"]), &["-shared", "--experimental-pic"]);
    same_module(&pick(&["flags"]), &["-shared", "--experimental-pic"]);
    same_module(&pick(&["user", "def"]), &["-shared", "--experimental-pic"]);
    // __tls_size and __tls_align stay undefined: imported under
    // import-dynamic, else undefined symbols (in relocation order).
    let builtins = "_Thread_local int tv = 5; int size(void) { return __builtin_wasm_tls_size(); }
int al(void) { return __builtin_wasm_tls_align(); } void *base(void) { return __builtin_wasm_tls_base(); }";
    let syn = compile_pic(&[("syn", builtins)], &threads);
    same_module(&syn, &["-shared", "--experimental-pic", "--unresolved-symbols=import-dynamic"]);
    let inputs: Vec<Input<'_>> = syn.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let args = ["-shared", "--experimental-pic"];
    both_fail(&inputs, &args);
    let want = lld_in_order(&inputs, &args);
    assert_eq!(want.iter().map(|m| m.1.as_str()).collect::<Vec<_>>(), ["syn.o: undefined symbol: __tls_size", "syn.o: undefined symbol: __tls_align"]);
    assert_eq!(refld_in_order(&inputs, &args), want);
    // An offset in the TLS block of an undefined symbol (weak too), in
    // PIC and static links, before the undefined-symbol error.
    let weak = "__attribute__((weak)) extern _Thread_local int wk; int *gw(void) { return &wk; }";
    let bad = compile_pic(&[("user", user), ("weak", weak)], &threads);
    let tls_error = |o: &str, s: &str| format!("{o}: relocation R_WASM_MEMORY_ADDR_TLS_SLEB cannot be used against an undefined symbol `{s}`");
    for (i, args) in [&["-shared", "--experimental-pic"][..], &["-pie", "--experimental-pic", "--no-entry", "--export=getext", "--unresolved-symbols=import-dynamic"], &["--no-entry", "--export=getext"]].into_iter().enumerate() {
        let inputs: Vec<Input<'_>> = bad[..1].iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
        both_fail(&inputs, args);
        let undefined = (i != 1).then(|| "user.o: undefined symbol: ext_tv".to_string());
        let want: Vec<String> = std::iter::once(tls_error("user.o", "ext_tv")).chain(undefined).collect();
        let got: Vec<String> = refld_in_order(&inputs, args).into_iter().filter(|m| m.0 == Severity::Error).map(|m| m.1).collect();
        assert_eq!(got, want, "{args:?}");
    }
    let inputs: Vec<Input<'_>> = bad[1..].iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    assert_eq!(errors(&both_fail(&inputs, &["-shared", "--experimental-pic"])), [tls_error("weak.o", "wk")]);
}

/// Links `objs` plus the library `lib` (refld's own build for refld,
/// rust-lld's for rust-lld) with each linker; both must succeed with the
/// same diagnostics and write the same module, section for section (the
/// name, producers and target_features sections aside).
fn same_module_against(objs: &[(String, Vec<u8>)], lib: (&str, &[u8], &[u8]), args: &[&str]) {
    let mut ours: Vec<Input<'_>> = objs.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let mut theirs = ours.clone();
    ours.push((lib.0, lib.1.to_vec()));
    theirs.push((lib.0, lib.2.to_vec()));
    let r = link(&ours, args).unwrap_or_else(|e| panic!("refld failed ({args:?}):\n{e}"));
    let lld = rust_lld(&theirs, args);
    assert_eq!(refld_messages(&Ok(r.clone())), lld.messages, "{args:?}");
    let (a, b) = (sections(&r.bytes), sections(&lld.bytes.expect("rust-lld wrote no output")));
    assert_eq!(a, b, "the modules differ for {args:?}");
}

/// A side module's C source and the programs linked against it.
const LIB: &str = "int lib_data = 5; int lib_fn(int x) { return x + lib_data; } int lib_fn2(void) { return 1; }";
const USER: &str = "extern int lib_data; extern int lib_fn(int); int (*fp)(int) = lib_fn; int *dp = &lib_data;
int api(void) { return lib_fn(lib_data) + fp(1) + *dp; } int (*getfp(void))(int) { return lib_fn; }";
const WEAK_USER: &str = "__attribute__((weak)) extern int lib_fn(int); __attribute__((weak)) extern int lib_data;
int api(void) { return lib_fn(1) + lib_data; }";
const MODULE_USER: &str = "__attribute__((import_module(\"foo\"))) extern int lib_fn(int); int api(void) { return lib_fn(1); }";
const DEFINER: &str = "int lib_fn(int x) { return x * 3; }";
const WRONG_SIG: &str = "extern int lib_fn(int, int); int api(void) { return lib_fn(1, 2); }";
const MISSING: &str = "extern int nope(int); int api(void) { return nope(1); }";

#[test]
fn shared_libraries_as_inputs() {
    // DYN-SHLIB (measured, wasm-ld 22): a -shared module on the command
    // line provides its exports: functions imported from env, data and
    // addresses through GOT.mem / GOT.func imports, its file name in
    // dylink.0 NEEDED (each library, in order, repeats kept); an object's
    // definition wins in either order; the same module as rust-lld.
    let lib = compile_pic(&[("lib", LIB)], &["-fvisibility=default"]);
    let ours = same_module(&lib, &["-shared", "--experimental-pic"]);
    let libs: Vec<Input<'_>> = lib.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let theirs = rust_lld(&libs, &["-shared", "--experimental-pic"]).bytes.expect("rust-lld built the library");
    let so = ("libx.so", ours.as_slice(), theirs.as_slice());
    let objs = compile_pic(
        &[("user", USER), ("weak", WEAK_USER), ("module", MODULE_USER), ("def", DEFINER), ("sig", WRONG_SIG), ("missing", MISSING)],
        &["-fvisibility=default"],
    );
    let pick = |names: &[&str]| -> Vec<(String, Vec<u8>)> { names.iter().map(|n| objs.iter().find(|o| o.0 == format!("{n}.o")).unwrap().clone()).collect() };
    let pie = ["-pie", "--experimental-pic", "--no-entry", "--export=api"];
    let with = |extra: &[&'static str]| -> Vec<&'static str> { pie.iter().chain(extra).copied().collect() };
    same_module_against(&pick(&["user"]), so, &with(&["--export=getfp"]));
    same_module_against(&pick(&["user"]), so, &["-shared", "--experimental-pic"]);
    // Weak references resolved by the library: imported, no IMPORT_INFO.
    same_module_against(&pick(&["weak"]), so, &with(&[]));
    // The import module of the reference is dropped; NEEDED twice.
    same_module_against(&pick(&["module"]), so, &with(&["module.o", "libx.so", "libx.so"]));
    same_module_against(&pick(&["user", "def"]), so, &with(&["user.o", "libx.so", "def.o"]));
    same_module_against(&pick(&["user", "def"]), so, &with(&["def.o", "user.o", "libx.so"]));
    // Errors: a signature the library disagrees with (both orders), a
    // symbol it does not provide, a link without -pie/-shared.
    for (obj, args) in [("sig", with(&["sig.o", "libx.so"])), ("sig", with(&["libx.so", "sig.o"])), ("missing", with(&[])), ("user", vec!["--no-entry"])] {
        let chosen = pick(&[obj]);
        let mut inputs: Vec<Input<'_>> = chosen.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
        inputs.push(("libx.so", ours.clone()));
        let msgs = both_fail(&inputs, &args);
        assert_eq!(errors(&msgs).len(), 1, "{args:?}: {msgs:?}");
    }
}

#[test]
fn shared_library_symbols_join_at_the_library() {
    // DYN-SHLIB (measured, wasm-ld 22): a library's symbols join the
    // symbol table where it is read: a later reference meets the library's
    // function (its direct call's signature checked, the library named
    // first; no import module check), an earlier one is checked when the
    // library comes; two references before it still meet each other.
    let lib = compile_pic(&[("libm", "int lib_fn(int x) { return x; }")], &["-fvisibility=default"]);
    let ours = same_module(&lib, &["-shared", "--experimental-pic"]);
    let objs = compile_pic(
        &[("ma", "__attribute__((import_module(\"foo\"))) extern int lib_fn(int); int a(void) { return lib_fn(1); }"), ("sig", WRONG_SIG)],
        &["-fvisibility=default"],
    );
    let mut inputs: Vec<Input<'_>> = objs.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    inputs.push(("libm.so", ours));
    let pie = ["-pie", "--experimental-pic", "--no-entry", "--export=a", "--export=api"];
    for order in [["ma.o", "libm.so", "sig.o"], ["ma.o", "sig.o", "libm.so"], ["libm.so", "ma.o", "sig.o"], ["sig.o", "libm.so", "ma.o"], ["libm.so", "sig.o", "ma.o"]] {
        let args: Vec<&str> = pie.iter().chain(&order).copied().collect();
        let ordered: Vec<Input<'_>> = order.iter().map(|n| inputs.iter().find(|i| i.0 == *n).unwrap().clone()).collect();
        let msgs = both_fail(&ordered, &args);
        assert_eq!(errors(&msgs).len(), 1, "{order:?}: {msgs:?}");
    }
    // The imports follow the library's place in the symbol table; an
    // archive member defining a library's function is not extracted.
    let lib2 = compile_pic(&[("lib2", "int l1(int x) { return x; } int l2(int x) { return x + 1; } int ld = 4;")], &["-fvisibility=default"]);
    let so = same_module(&lib2, &["-shared", "--experimental-pic"]);
    let user = "extern int other(int); extern int l2(int); extern int l1(int); extern int ld; int u(void) { return other(1) + l2(2) + l1(3) + ld; }";
    let mut objs = compile_pic(&[("u", user), ("d1", "int l1(int x) { return x * 100; }")], &["-fvisibility=default"]);
    let member = objs.pop().expect("d1.o");
    objs.push(("libd1.a".to_string(), archive_with_options(&[("d1.o", member.1.as_slice())], ArchiveOptions::default())));
    objs.push(("lib2.so".to_string(), so));
    let pie = ["-pie", "--experimental-pic", "--unresolved-symbols=import-dynamic", "--no-entry", "--export=u"];
    for order in [["lib2.so", "u.o", "libd1.a"], ["u.o", "lib2.so", "libd1.a"], ["u.o", "libd1.a", "lib2.so"], ["lib2.so", "libd1.a", "u.o"]] {
        let args: Vec<&str> = pie.iter().chain(&order).copied().collect();
        same_module(&objs, &args);
    }
}

#[test]
fn stub_libraries_as_inputs() {
    // DYN-STUB (measured, wasm-ld 22): an undefined function a `#STUB`
    // library names is imported, its dependencies exported (hidden ones
    // too), in static and PIC links, with no NEEDED entry; a dependency
    // that is missing or undefined is an error naming the stub.
    let source = "extern int foo(int); int bar(int x) { return x + 1; } int baz = 3;
__attribute__((visibility(\"hidden\"))) int hid(int x) { return x; } int api(void) { return foo(1); }";
    let stub = "#STUB\n# a comment\nfoo: bar, baz , hid\nunused: missing_dep\n";
    for pic in [false, true] {
        let flags: &[&str] = if pic { &["-fvisibility=default"] } else { &["-fvisibility=default", "-fno-pic"] };
        let mut objs = compile_pic(&[("s", source)], flags);
        objs.push(("libstub.so".to_string(), stub.as_bytes().to_vec()));
        let args: &[&str] = if pic { &["-pie", "--experimental-pic", "--no-entry", "--export=api"] } else { &["--no-entry", "--export=api"] };
        same_module(&objs, args);
        for (deps, missing) in [("bar, nothere", "nothere"), ("bar, undef_dep", "undef_dep")] {
            let source = format!("{source}\nextern int undef_dep(int); int api2(void) {{ return undef_dep(1); }}");
            let mut objs = compile_pic(&[("s", &source)], flags);
            objs.push(("libstub.so".to_string(), format!("#STUB\nfoo: {deps}\n").into_bytes()));
            let inputs: Vec<Input<'_>> = objs.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
            let msgs = both_fail(&inputs, args);
            assert_eq!(errors(&msgs), [format!("libstub.so: undefined symbol: {missing}. Required by foo")]);
        }
    }
}

/// The `dylink.0` MEM_INFO subsection of a module, as its raw bytes.
fn mem_info(bytes: &[u8]) -> Vec<u8> {
    let dylink = sections(bytes).into_iter().find(|s| s.1 == "dylink.0").expect("a dylink.0 section").2;
    assert_eq!(dylink[0], 1, "MEM_INFO first: {dylink:02x?}");
    dylink[2..2 + dylink[1] as usize].to_vec()
}

#[test]
fn static_import_dynamic_links_as_wasm_ld_writes_them() {
    // DYN-STATIC-IMPORT-DYNAMIC (measured, wasm-ld 22): import-dynamic
    // without -pie/-shared: a static module with `dylink.0` (memory size 0,
    // the data's largest alignment, the table's slots), GOT imports for
    // undefined symbols' addresses in data and in PIC code, and an
    // exported `__wasm_apply_data_relocs` storing them; the same module as
    // rust-lld, section for section.
    let dynamic = "--unresolved-symbols=import-dynamic";
    let args = [dynamic, "--experimental-pic", "--no-entry", "--export=get"];
    let data = "extern int ext_data; extern int ext_fn(int); __attribute__((weak)) extern int wd; __attribute__((weak)) extern int wf(int);
int *dp = &ext_data + 2; int (*fp)(int) = ext_fn; int *wdp = &wd; int (*wfp)(int) = wf; int local = 3; int *lp = &local;
int get(void) { return *dp + fp(1) + *wdp + wfp(2) + wf(3) + *lp; }";
    let hidden = "__attribute__((visibility(\"hidden\"))) extern int hd; __attribute__((visibility(\"hidden\"))) extern int hf(int);
int *hp = &hd; int (*hfp)(int) = hf; int get(void) { return *hp + hfp(1); }";
    let table = "static int f1(int x) { return x; } int f2(int x) { return x + 1; } int (*tab[2])(int) = {f1, f2};
int get(int i) { return tab[i](i); }";
    let ctors = "extern void __wasm_call_ctors(void); extern int ext_data; int *dp = &ext_data; int v;
__attribute__((constructor)) static void init(void) { v = *dp; } int get(void) { return v; } void _start(void) { __wasm_call_ctors(); }";
    let sig_a = "extern int ext_data; int *dp = &ext_data; extern int f(int); int get(void) { return f(1) + *dp; }";
    let sig_b = "int f(int x, int y) { return x + y; } int b(void) { return f(1, 2); }";
    let plain = compile_pic(&[("data", data), ("hidden", hidden), ("table", table), ("ctors", ctors), ("sa", sig_a), ("sb", sig_b)], &["-fno-pic"]);
    let pick = |names: &[&str]| -> Vec<(String, Vec<u8>)> { names.iter().map(|n| plain.iter().find(|o| o.0 == format!("{n}.o")).unwrap().clone()).collect() };
    let bytes = same_module(&pick(&["data"]), &args);
    let got = b"\x07GOT.mem\x08ext_data";
    assert!(bytes.windows(got.len()).any(|w| w == got), "GOT.mem.ext_data imported");
    same_module(&pick(&["data"]), &[dynamic, "--no-entry", "--export=get", "-rpath", "/lib"]);
    same_module(&pick(&["hidden"]), &args);
    // Two slots, no data: MEM_INFO 0, align 2^2, 2 slots, 0.
    assert_eq!(mem_info(&same_module(&pick(&["table"]), &args)), [0, 2, 2, 0]);
    same_module(&pick(&["ctors"]), &[dynamic, "--export=get"]);
    same_module(&pick(&["sa", "sb"]), &[dynamic, "--no-entry", "--export=get", "--export=b"]);
    // MEM_INFO's alignment: the largest of the data segments', .bss and
    // .rodata too; 0 without data.
    for (align, bss, want) in [(1, false, 0u8), (2, false, 1), (8, true, 3), (32, false, 5), (64, true, 6)] {
        let init = if bss { "" } else { " = {1}" };
        let source = format!("__attribute__((aligned({align}))) char c[3]{init}; const char s[] = \"hi\"; int get(void) {{ return c[0] + s[1]; }}");
        let objs = compile_pic(&[("a", &source)], &["-fno-pic"]);
        assert_eq!(mem_info(&same_module(&objs, &args)), [0, want, 0, 0], "aligned({align})");
    }
    let none = compile_pic(&[("n", "extern int missing(void); int get(void) { return missing(); }")], &["-fno-pic"]);
    assert_eq!(mem_info(&same_module(&none, &args)), [0, 0, 0, 0]);
    // PIC code: GLOBAL_INDEX against undefined symbols are GOT imports, an
    // undefined weak function's entry names its stub.
    let code = "extern int ext_data; extern int ext_fn(int); __attribute__((weak)) extern int wd; __attribute__((weak)) extern int wf(int);
int *dp = &ext_data; int (*fp)(int) = ext_fn;
int get(void) { return ext_data + *dp + fp(1) + (int)&ext_fn + (int)&wd + (int)&wf + ext_fn(3); }";
    let pic = compile_pic(&[("p", code)], &["-fvisibility=default"]);
    same_module(&pic, &args);
    same_module(&pic[..1], &["--no-entry", "--export=get", "--unresolved-symbols=ignore-all"]);
    // DYN-RELOC: a relative address of an undefined symbol is an error in
    // static links too, under every policy.
    let rel = compile_pic(&[("ph", "__attribute__((visibility(\"hidden\"))) extern int hx; __attribute__((visibility(\"hidden\"))) extern int hf(int);
int get(void) { return hx + (int)&hf; }")], &[]);
    let inputs: Vec<Input<'_>> = rel.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    for policy in [&["--no-entry", "--export=get"][..], &["--no-entry", "--export=get", "--unresolved-symbols=ignore-all"], &args] {
        both_fail(&inputs, policy);
        assert_eq!(refld_in_order(&inputs, policy), lld_in_order(&inputs, policy), "{policy:?}");
    }
}

/// Links `args` in `dir` with refld (the driver, on the file system) and
/// with rust-lld; both must end alike; returns (refld's, rust-lld's)
/// modules and refld's diagnostics.
fn both_in(dir: &std::path::Path, args: &[&str]) -> (Option<Vec<u8>>, Option<Vec<u8>>, Vec<String>) {
    let mut argv: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    argv.extend(["-o".into(), "ours.wasm".into()]);
    let ours = refld::driver::link_command_line(&argv, dir);
    let out = std::process::Command::new(testkit::rust_lld()).args(args).args(["-o", "theirs.wasm"]).current_dir(dir).output().expect("running rust-lld");
    let theirs = out.status.success().then(|| std::fs::read(dir.join("theirs.wasm")).expect("rust-lld's output"));
    let diags = ours.diagnostics.iter().map(|d| d.to_string()).collect();
    (ours.bytes, theirs, diags)
}

#[test]
fn library_search_and_signature_options() {
    // OPT-BDYNAMIC (measured, wasm-ld 22): `-lNAME` finds `libNAME.so`
    // before `libNAME.a` in -pie/-shared links unless `-Bstatic` (or
    // --dn, -static, --non_shared) comes before it, and again after
    // `-Bdynamic` (--dy, --call_shared); static links search only `.a`.
    // OPT-SHLIB-SIGCHECK: `--no-shlib-sigcheck` drops DYN-SHLIB's
    // signature check. DYN-EXPORTS: a side module exports
    // `__wasm_call_ctors` as its entry, not with `--no-entry`.
    let dir = tempfile::tempdir().expect("temporary folder");
    let lib = compile_pic(&[("lib", LIB)], &["-fvisibility=default"]);
    let objs = compile_pic(&[("user", USER), ("sig", WRONG_SIG)], &["-fvisibility=default"]);
    std::fs::create_dir(dir.path().join("libs")).unwrap();
    for (name, bytes) in lib.iter().chain(&objs) {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let (so, _, _) = both_in(dir.path(), &["-shared", "--experimental-pic", "lib.o"]);
    std::fs::write(dir.path().join("libs/libx.so"), so.expect("the side module")).unwrap();
    std::fs::write(dir.path().join("libs/libx.a"), linkcheck_object::archive::archive(&[("lib.o", &lib[0].1)])).unwrap();
    let pie = ["-pie", "--experimental-pic", "--no-entry", "--export=api", "-Llibs", "user.o"];
    for (extra, dynamic) in [(&[][..], true), (&["-Bstatic"], false), (&["--dn"], false), (&["-static"], false), (&["--non_shared"], false), (&["-Bstatic", "-Bdynamic"], true), (&["--dy"], true), (&["--call_shared"], true)] {
        let args: Vec<&str> = pie.iter().chain(extra).chain(["-lx"].iter()).copied().collect();
        let (ours, theirs, diags) = both_in(dir.path(), &args);
        let (ours, theirs) = (ours.unwrap_or_else(|| panic!("{args:?}: {diags:?}")), theirs.expect("rust-lld linked"));
        assert_eq!(sections(&ours), sections(&theirs), "{args:?}");
        let imported = summary(&ours).imports.iter().any(|i| i.1 == "lib_fn");
        assert_eq!(imported, dynamic, "{args:?}: lib_fn from libx.so");
    }
    let (ours, theirs, _) = both_in(dir.path(), &["--no-entry", "--export=api", "-Llibs", "user.o", "-lx"]);
    assert!(ours.is_some() && theirs.is_some(), "a static link finds libx.a");
    for args in [&["-pie", "--experimental-pic", "--no-entry", "--export=api", "sig.o", "libs/libx.so"][..], &["-pie", "--experimental-pic", "--no-entry", "--export=api", "--no-shlib-sigcheck", "sig.o", "libs/libx.so"]] {
        let (ours, theirs, diags) = both_in(dir.path(), args);
        assert_eq!((ours.is_some(), theirs.is_some()), (args.contains(&"--no-shlib-sigcheck"), args.contains(&"--no-shlib-sigcheck")), "{args:?}: {diags:?}");
    }
    for (entry, exported) in [(&[][..], true), (&["--no-entry"], false), (&["--entry=lib_fn2"], false)] {
        let args: Vec<&str> = ["-shared", "--experimental-pic", "lib.o"].iter().chain(entry).copied().collect();
        let (ours, theirs, _) = both_in(dir.path(), &args);
        let (ours, theirs) = (ours.expect("refld linked"), theirs.expect("rust-lld linked"));
        assert_eq!(sections(&ours), sections(&theirs), "{args:?}");
        assert_eq!(summary(&ours).exports.iter().any(|e| e.0 == "__wasm_call_ctors"), exported, "{args:?}");
    }
}
