//! Relocatable output (`-r`, REL-OUT-*), held to rust-lld (wasm-ld 22)
//! byte for byte, and linked again by both linkers.

use crate::output_options::{compile, inputs};
use crate::support::*;
use wasmparser::{KnownCustom, Linking, Parser, Payload, SymbolInfo};

/// C units: functions (a local one, a weak one), data, `.bss`, a string,
/// a function pointer in data, an undefined function, undefined data, an
/// explicit import, a weak undefined function called through its address.
const UNITS: [(&str, &str); 3] = [
    (
        "a",
        "extern int ext_data; extern int ext_fn(int);\nint counter = 5; static int hidden_static = 3; int buf[10];\n__attribute__((weak)) int weak_fn(void) { return 1; }\nstatic int helper(int x) { return x + hidden_static; }\nint (*fp)(int) = helper;\nint a_fn(int x) { return ext_fn(x) + ext_data + counter + buf[x] + fp(x) + weak_fn(); }\n",
    ),
    (
        "b",
        "int ext_data = 7; const char *msg = \"hello\";\nint ext_fn(int x) { return x * 2 + msg[0]; }\n__attribute__((import_module(\"host\"), import_name(\"log\"))) void host_log(int);\nvoid b_fn(void) { host_log(1); }\n",
    ),
    (
        "c",
        "extern int undef_data; extern int arr[]; __attribute__((weak)) extern int weak_undef_fn(void);\nstatic int counter = 2;\nint use(void) { volatile int local[4]; local[0] = counter++; return undef_data + arr[3] + (weak_undef_fn ? weak_undef_fn() : 0) + local[0]; }\n",
    ),
];

/// A symbol of a `linking` section: kind, flags, name.
type Sym = (String, u32, String);

/// The symbol table of the module's `linking` section (its version must
/// be 2) and the names of its `reloc.*` sections.
fn linking(bytes: &[u8]) -> (Vec<Sym>, Vec<String>) {
    let (mut syms, mut relocs) = (Vec::new(), Vec::new());
    for p in Parser::new(0).parse_all(bytes) {
        let Ok(Payload::CustomSection(c)) = p else { continue };
        if c.name().starts_with("reloc.") {
            relocs.push(c.name().to_string());
        }
        let KnownCustom::Linking(l) = c.as_known() else { continue };
        assert_eq!(l.version(), 2);
        for sub in l.subsections() {
            let Ok(Linking::SymbolTable(t)) = sub else { continue };
            for s in t {
                let (kind, flags, name) = match s.expect("a symbol") {
                    SymbolInfo::Func { flags, name, .. } => ("func", flags, name.unwrap_or("")),
                    SymbolInfo::Data { flags, name, .. } => ("data", flags, name),
                    SymbolInfo::Global { flags, name, .. } => ("global", flags, name.unwrap_or("")),
                    SymbolInfo::Table { flags, name, .. } => ("table", flags, name.unwrap_or("")),
                    SymbolInfo::Section { flags, .. } => ("section", flags, ""),
                    SymbolInfo::Event { flags, name, .. } => ("event", flags, name.unwrap_or("")),
                };
                syms.push((kind.to_string(), flags.bits(), name.to_string()));
            }
        }
    }
    (syms, relocs)
}

/// REL-OUT-SYMTAB, REL-OUT-RELOC, REL-OUT-DATA, REL-OUT-IMPORT,
/// REL-OUT-MEMORY, REL-OUT-TABLE, REL-OUT-SYN, REL-OUT-EXPORTS,
/// REL-OUT-SEGMENTS: `-r` of C objects is rust-lld's output byte for byte;
/// it is an object (no exports, no `__stack_pointer` of its own, every
/// segment kept, `.bss` written) whose globals precede its locals.
#[test]
fn relocatable_c_objects_as_wasm_ld_writes_them() {
    for flags in [&["--target=wasm32", "-O1"][..], &["--target=wasm32", "-O0"], &["--target=wasm32-wasi", "-O1", "-mbulk-memory", "-matomics"]] {
        let c = compile(&UNITS, flags);
        let all = inputs(&c);
        for set in [&all[..], &all[..1], &all[2..], &[all[2].clone(), all[0].clone()]] {
            let (ours, lld) = both_ok(set, &["-r", "-o", "out.wasm"]);
            assert!(ours == lld, "-r of {:?} with {flags:?} differs from rust-lld", set.iter().map(|i| i.0).collect::<Vec<_>>());
            let s = summary(&ours);
            assert!(s.exports.is_empty(), "REL-OUT-EXPORTS");
            assert!(!s.global_names.values().any(|n| n == "__stack_pointer") || s.num_imported_globals > 0, "REL-OUT-SYN");
            let (syms, relocs) = linking(&ours);
            let first_local = syms.iter().position(|s| s.1 & flags::BINDING_LOCAL != 0).unwrap_or(syms.len());
            assert!(syms[first_local..].iter().all(|s| s.1 & flags::BINDING_LOCAL != 0), "REL-OUT-SYMTAB: locals last");
            assert!(relocs.contains(&"reloc.CODE".to_string()));
        }
        // wasm-ld 19 writes the same bytes (measured).
        let w19 = debian_wasm_ld(19, &all, &["-r", "-o", "out.wasm"]);
        assert!(w19.bytes == Some(both_ok(&all, &["-r", "-o", "out.wasm"]).1), "wasm-ld 19 differs");
        // Archives: a member is extracted by a reference, as in a final link.
        let lib = ("lib.a", archive(&[("b.o", &all[1].1), ("c.o", &all[2].1)]));
        let (ours, lld) = both_ok(&[all[0].clone(), lib], &["-r", "-o", "out.wasm"]);
        assert!(ours == lld, "-r with an archive differs from rust-lld");
        assert_eq!(summary(&ours).func("use"), None, "c.o is not extracted");
        // REL-OUT-DATA: a's `.bss.buf` is written, at its address.
        let (ours, _) = both_ok(&all[..1], &["-r", "-o", "out.wasm"]);
        assert!(summary(&ours).data_names.iter().any(|n| n == ".bss.buf"));
    }
    // REL-OUT-DATA: two files' static `counter`s share one segment name:
    // one output segment holds both.
    let c = compile(&[("s1", "static int counter = 1; int get1(void) { return counter++; }\n"), ("s2", "static int counter = 2; int get2(void) { return counter++; }\n")], &["--target=wasm32", "-O1"]);
    let (ours, lld) = both_ok(&inputs(&c), &["-r", "-o", "out.wasm"]);
    assert!(ours == lld);
    assert_eq!(summary(&ours).data_names, [".data.counter"]);
    let (syms, _) = linking(&ours);
    assert_eq!(syms.iter().filter(|s| s.2 == "counter").count(), 2, "both local symbols kept");
}

/// REL-OUT-SEGMENTS: TLS data merges into `.tdata` and every output
/// segment's flags are 0 (the inputs' TLS, RETAIN and STRINGS dropped, as
/// wasm-ld 22 writes them).
#[test]
fn relocatable_segment_flags_are_dropped() {
    let src = "_Thread_local int tv = 3; _Thread_local int tz;\n__attribute__((used, retain)) static int kept = 9;\nconst char *s = \"str\";\nint gettv(void) { return tv + tz + s[1]; }\n";
    let c = compile(&[("t", src)], &["--target=wasm32", "-O1", "-matomics", "-mbulk-memory"]);
    let (ours, lld) = both_ok(&inputs(&c), &["-r", "-o", "out.wasm"]);
    assert!(ours == lld);
    assert_eq!(summary(&ours).data_names[0], ".tdata");
    for p in Parser::new(0).parse_all(&ours) {
        let Ok(Payload::CustomSection(c)) = p else { continue };
        let KnownCustom::Linking(l) = c.as_known() else { continue };
        for sub in l.subsections() {
            if let Ok(Linking::SegmentInfo(segs)) = sub {
                assert!(segs.into_iter().all(|s| s.unwrap().flags.is_empty()));
            }
        }
    }
}

/// A file defining `inl` (returns `v`) and data `cd` (holds `v`) in COMDAT
/// `inl`, a global `g_NAME`, an init function, a custom section `notes`
/// with a FUNCTION_OFFSET and a SECTION_OFFSET relocation, and `run`
/// returning `inl() * 100 + cd`.
fn rich_file(run: &str, v: i32) -> Vec<u8> {
    let mut m = obj();
    let inl = m.define_func("inl", sig_i32(), ret(v), flags::BINDING_WEAK);
    let cd = m.define_data("cd", ".rodata.cd", &[v as u8, 0, 0, 0], flags::BINDING_WEAK);
    let func = m.symbols[inl as usize].index;
    let seg = m.segment_of(cd).unwrap();
    m.comdats.push(ComdatModel {
        name: "inl".into(),
        members: vec![ComdatMember { kind: ComdatKind::Function, index: func }, ComdatMember { kind: ComdatKind::Data, index: seg }],
    });
    m.define_global(&format!("g_{run}"), ValTypeModel::I32, true, v as i64, 0);
    let init = m.define_func(&format!("init_{run}"), sig_void(), Body::new(), flags::BINDING_LOCAL);
    m.add_init_func(100 - v as u32, init);
    let mut b = Body::new();
    b.call(inl).i32_const(100).i32_mul().i32_const(0).i32_load_sym(cd, 0).i32_add();
    let run_sym = m.define_func(run, sig_i32(), b, 0);
    m.add_custom_section("notes", &[0; 8]);
    let notes = m.section_symbol(linkcheck_object::section_indices(&m).custom[0], flags::BINDING_LOCAL);
    m.custom_sections[0].relocs = vec![
        RelocModel { ty: RelocType::FunctionOffsetI32, offset: 0, index: run_sym, addend: 1 },
        RelocModel { ty: RelocType::SectionOffsetI32, offset: 4, index: notes, addend: 2 },
    ];
    encode(&m)
}

/// REL-OUT-COMDAT, REL-OUT-INIT, REL-OUT-RELOC (custom sections, their
/// section symbols), REL-OUT-SYMTAB (globals): rust-lld's bytes; both
/// COMDAT copies stay, listed in one group.
#[test]
fn relocatable_comdats_globals_init_functions_and_custom_sections() {
    let objs = [("a.o", rich_file("run_a", 1)), ("b.o", rich_file("run_b", 2))];
    let (ours, lld) = both_ok(&objs, &["-r", "-o", "out.wasm"]);
    assert!(ours == lld, "-r differs from rust-lld");
    let s = summary(&ours);
    assert_eq!(s.data_names, [".rodata.cd", ".rodata.cd"], "REL-OUT-COMDAT: both copies");
    assert_eq!(s.num_functions, 6);
    let (syms, relocs) = linking(&ours);
    assert_eq!(relocs, ["reloc.CODE", "reloc.notes"]);
    assert_eq!(syms.iter().filter(|s| s.0 == "section").count(), 1, "one section symbol per output custom section");
    assert!(syms.iter().any(|s| s.0 == "global" && s.2 == "g_run_b"));
}

/// REL-OUT-OPTIONS: the option errors of `-r`, as wasm-ld 22 words and
/// orders them.
#[test]
fn relocatable_option_errors() {
    let objs = [("a.o", encode(&returns("f", 1, 0)))];
    for args in [
        &["-r", "--gc-sections"][..],
        &["-r", "-pie"],
        &["-r", "--shared-memory"],
        &["-r", "--global-base=8"],
        &["-r", "-u", "f"],
        &["-r", "--entry=f"],
        &["-r", "-e", "f"],
        &["-r", "--export-table"],
        &["-r", "-shared", "-pie", "--gc-sections", "--entry=f"],
    ] {
        let m = both_fail(&objs, args);
        assert!(!errors(&m).is_empty(), "{args:?}");
    }
    // Accepted: --no-gc-sections, --no-entry, --import-memory, -z.
    for args in [&["-r", "--no-gc-sections", "--no-entry"][..], &["-r", "--import-memory"], &["-r", "-z", "stack-size=1024", "--initial-memory=131072"]] {
        let mut with = args.to_vec();
        with.extend(["-o", "out.wasm"]);
        let (ours, lld) = both_ok(&objs, &with);
        assert!(ours == lld, "{args:?}");
    }
}

/// REL-OUT-ACCEPTED: `-r` output, linked again (by refld and by rust-lld,
/// whoever wrote it), computes what the one-step link computes.
#[test]
fn relocatable_output_links_again() {
    let objs = [("a.o", rich_file("run_a", 1)), ("b.o", rich_file("run_b", 2))];
    let final_args = ["--no-entry", "--export=run_a", "--export=run_b"];
    let one = both_ok(&objs, &final_args);
    let expect = (run_both(&one, "run_a"), run_both(&one, "run_b"));
    assert_eq!(expect, (Ok(101), Ok(101)), "COMDAT-1: b.o's calls reach a.o's copy");
    let (ours, lld) = both_ok(&objs, &["-r", "-o", "out.wasm"]);
    for part in [ours, lld] {
        let two = both_ok(&[("part.o", part)], &final_args);
        assert_eq!((run_both(&two, "run_a"), run_both(&two, "run_b")), expect);
    }
}

/// REL-OUT-SYMTAB (SIG-1): a reference SIG-1 sent to a
/// `signature_mismatch:NAME` stub names the stub, a local function symbol
/// at the place of the reference among its file's symbols (measured).
#[test]
fn relocatable_signature_stub_is_a_local_symbol() {
    let two = FuncSig::new(&[ValTypeModel::I32, ValTypeModel::I32], &[ValTypeModel::I32]);
    let one = FuncSig::new(&[ValTypeModel::I32], &[ValTypeModel::I32]);
    let mut a = obj();
    let f = a.undefined_func("f3", "env", "f3", two, 0);
    let mut b = Body::new();
    b.i32_const(1).i32_const(2).call(f);
    a.define_func("run", sig_i32(), b, 0);
    let mut c = obj();
    let mut body = Body::new();
    body.i32_const(5);
    c.define_func("f3", one, body, 0);
    let objs = [("a.o", encode(&a)), ("c.o", encode(&c))];
    let (ours, lld) = both_ok(&objs, &["-r", "-o", "out.wasm"]);
    assert!(ours == lld, "-r differs from rust-lld");
    let (syms, _) = linking(&ours);
    let stub = syms.iter().position(|s| s.2 == "signature_mismatch:f3").expect("a stub symbol");
    assert_eq!((syms[stub].0.as_str(), syms[stub].1), ("func", flags::BINDING_LOCAL));
}

/// LAY-TYPES: a file whose first TYPE_INDEX relocation names its second
/// type: that type is the output's first, in a final link and with `-r`.
#[test]
fn types_in_relocation_order() {
    let one = FuncSig::new(&[ValTypeModel::I32], &[ValTypeModel::I32]);
    let two = FuncSig::new(&[ValTypeModel::I32, ValTypeModel::I32], &[ValTypeModel::I32]);
    let mut m = obj();
    m.add_type(one.clone());
    let t2 = m.add_type(two);
    let table = m.import_table();
    let mut b = Body::new();
    b.i32_const(1).i32_const(2).i32_const(1).call_indirect(t2, Some(table));
    m.define_func("run", sig_i32(), b, 0);
    let objs = [("a.o", encode(&m))];
    for args in [&["--no-entry", "--export=run", "-o", "out.wasm"][..], &["-r", "-o", "out.wasm"]] {
        let (ours, lld) = both_ok(&objs, args);
        assert!(ours == lld, "{args:?}");
        let first = Parser::new(0).parse_all(&ours).find_map(|p| match p {
            Ok(Payload::TypeSection(t)) => t.into_iter_err_on_gc_types().next().map(|f| f.unwrap().params().len()),
            _ => None,
        });
        assert_eq!(first, Some(2), "{args:?}");
    }
}

/// PROD-1: an object with only `processed-by` before one with `language`
/// too: `language` comes first, in a final link and with `-r` (here with
/// `--strip-debug`, which keeps the producers).
#[test]
fn producers_fields_in_wasm_ld_order() {
    let plain = compile(&UNITS[..1], &["--target=wasm32", "-O1"]);
    let debug = compile(&[("d", "int f(int x) { return x + 1; }\n")], &["--target=wasm32", "-O1", "-g"]);
    let objs = [inputs(&plain), inputs(&debug)].concat();
    for args in [&["-r", "--strip-debug", "-o", "out.wasm"][..], &["--no-entry", "--export=f", "--allow-undefined", "--strip-debug", "-o", "out.wasm"]] {
        let (ours, lld) = both_ok(&objs, args);
        assert!(ours == lld, "{args:?}");
        let p = summary(&ours).custom("producers").map(<[u8]>::to_vec).expect("producers");
        assert_eq!(&p[1..10], b"\x08language", "{args:?}");
    }
}

/// REL-OUT-RELOC with MERGE-STRINGS: the `.debug_str` of two `-g` objects
/// is merged in `-r` output too, and every `.debug_info` relocation into
/// it is kept, against its section symbol, its addend where the string
/// went (byte for byte rust-lld's object).
#[test]
fn relocatable_debug_strings_merged_with_their_relocations() {
    let c = compile(&[("d1", "int f(int x) { return x + 1; }\n"), ("d2", "int g(int x) { return x * 2; }\n")], &["--target=wasm32", "-O1", "-g"]);
    let objs = inputs(&c);
    let (ours, lld) = both_ok(&objs, &["-r", "-o", "out.wasm"]);
    let relocs = |bytes: &[u8]| -> usize {
        Parser::new(0)
            .parse_all(bytes)
            .filter_map(|p| match p.expect("a readable object") {
                Payload::CustomSection(c) if c.name() == "reloc..debug_info" => Some(c.data().len()),
                _ => None,
            })
            .sum()
    };
    let inputs_relocs: usize = objs.iter().map(|(_, b)| relocs(b)).sum();
    assert!(relocs(&lld) > 0 && inputs_relocs > 0, "the objects have .debug_info relocations");
    assert!(ours == lld, "-r of -g objects differs from rust-lld");
}

/// EMIT-RELOCS (measured, wasm-ld 22): `--emit-relocs` keeps the linked
/// module's symbols and relocations, rust-lld's bytes exactly: the live
/// symbols inputs define or reference (the linker's early ones first, its
/// data symbols absolute, the entry no longer hidden, a function CTOR-2
/// wraps hidden and not EXPORTED), `.bss` written, merged strings'
/// symbols where the strings went, no SECTION_OFFSET relocation, no
/// INIT_FUNCS; with garbage collection, `--export-all`, `-g`, shared
/// memory and wasm64 objects. PIC output is refused (not modelled).
#[test]
fn emit_relocs_as_wasm_ld_writes_it() {
    let shared = ["--target=wasm32", "-O1", "-matomics", "-mbulk-memory"];
    for flags in [&["--target=wasm32", "-O1"][..], &["--target=wasm32", "-O0", "-g"], &["--target=wasm32", "-O1", "-g"], &shared, &["--target=wasm64", "-O1"]] {
        let c = compile(&UNITS, flags);
        let all = inputs(&c);
        let machine: &[&str] = if flags.contains(&"--target=wasm64") { &["-m", "wasm64"] } else { &[] };
        let memory: &[&str] = if flags == shared { &["--shared-memory", "--max-memory=1048576"] } else { &[] };
        for extra in [&["--export=a_fn", "--export=use"][..], &["--export-all"], &["--export=b_fn", "--no-gc-sections"]] {
            let args: Vec<&str> = ["--emit-relocs", "--no-entry", "--allow-undefined", "-o", "out.wasm"].iter().chain(machine).chain(memory).chain(extra).copied().collect();
            let (ours, lld) = both_ok(&all, &args);
            assert!(ours == lld, "--emit-relocs with {flags:?} {extra:?} differs from rust-lld");
            let (syms, relocs) = linking(&ours);
            assert!(relocs.contains(&"reloc.CODE".to_string()) && !syms.is_empty(), "{flags:?} {extra:?}");
        }
    }
    let c = compile(&UNITS, &["--target=wasm32", "-O1", "-fPIC"]);
    let msgs = both_fail_refld_only(&inputs(&c), &["--emit-relocs", "-shared", "--experimental-pic"]);
    assert!(msgs.iter().any(|m| m.contains("--emit-relocs with -shared/-pie: not supported yet")), "{msgs:?}");
}

/// refld's errors for a link it must refuse (rust-lld links it).
fn both_fail_refld_only(inputs: &[Input<'_>], args: &[&str]) -> Vec<String> {
    let r = link(inputs, args);
    assert!(r.is_err(), "refld linked {args:?}");
    assert!(rust_lld(inputs, args).ok, "rust-lld links {args:?}");
    refld_messages(&r).into_iter().map(|m| m.1).collect()
}
