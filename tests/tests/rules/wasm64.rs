//! wasm64 links (SIXTYFOUR-MACHINE, SIXTYFOUR-RELOC, SIXTYFOUR-LAYOUT): C objects of
//! clang-19 `--target=wasm64-unknown-unknown -O1` and llvm-mc-19
//! `-triple=wasm64-unknown-unknown` assembly, linked by refld and rust-lld
//! (wasm-ld 22) with `-m wasm64`, which must write the same module,
//! section for section (name, producers and target_features aside), or
//! fail with the same diagnostics; the outputs run in wasmtime (memory64).

use crate::support::*;

/// Compiles `(name, C source)` with `clang-19 --target=wasm32 -O1 -c` then
/// `--target` (a later `--target` wins, as the corpus compiles); returns
/// the input `NAME.o`. Fails the test, naming the package, when clang-19
/// is missing.
fn clang(name: &str, source: &str, target: &str) -> (String, Vec<u8>) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let (c, o) = (dir.path().join(format!("{name}.c")), dir.path().join(format!("{name}.o")));
    std::fs::write(&c, source).expect("writing a source");
    let out = std::process::Command::new("clang-19")
        .args(["--target=wasm32", "-O1", "-c", &format!("--target={target}")])
        .arg(&c)
        .arg("-o")
        .arg(&o)
        .output()
        .expect("clang-19 is missing: install package clang-19 (scripts/setup.sh)");
    assert!(out.status.success(), "clang-19 failed on {name}.c: {}", String::from_utf8_lossy(&out.stderr));
    (format!("{name}.o"), std::fs::read(&o).expect("reading an object"))
}

/// Assembles `source` with `llvm-mc-19 -triple=wasm64-unknown-unknown`
/// (reference types for the table operand; no type check, as llvm-mc-19
/// checks `call_indirect`'s index as i32 where the table is i64).
fn assemble(name: &str, source: &str) -> (String, Vec<u8>) {
    let args = ["-triple=wasm64-unknown-unknown", "-mattr=+reference-types", "-no-type-check"];
    (format!("{name}.o"), assemble_with(&args, name, source))
}



/// Links with both; both fail with the same diagnostics; returns the errors.
fn same_errors(objs: &[(String, Vec<u8>)], args: &[&str]) -> Vec<String> {
    let inputs: Vec<Input<'_>> = objs.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    errors(&both_fail(&inputs, args)).into_iter().map(str::to_string).collect()
}

const MAIN: &str = "int g = 5;\nint arr[4] = {1, 2, 3, 4};\nint *pg = &g;\nstatic int add(int x) { return x + 1; }\nint (*fp)(int) = add;\nextern int other(int);\n__attribute__((noinline)) int call(int (*f)(int), int v) { return f(v); }\nint run(void) { return call(fp, *pg) + arr[2] + other(1); }\n";
const OTHER: &str = "int bval = 7;\nint other(int x) { return x + bval; }\n";

/// The measured objects: (main, other) for wasm32 and for wasm64.
fn c_objects(target: &str) -> Vec<(String, Vec<u8>)> {
    vec![clang("main", MAIN, target), clang("other", OTHER, target)]
}

/// SIXTYFOUR-MACHINE: the machine checks, wasm-ld 22's messages (19 alike).
#[test]
fn machine_checks_as_wasm_ld_makes_them() {
    let (w32, w64) = (c_objects("wasm32-unknown-unknown"), c_objects("wasm64-unknown-unknown"));
    let args = ["--no-entry", "--export=run"];
    // A wasm64 object without -m stops the link at that file.
    assert_eq!(same_errors(&w64, &args), ["main.o: must specify -mwasm64 to process wasm64 object files"]);
    let mixed = vec![w32[0].clone(), w64[1].clone()];
    assert_eq!(same_errors(&mixed, &args), ["other.o: must specify -mwasm64 to process wasm64 object files"]);
    // Any wasm32 object with -m wasm64, and (wasm-ld's words) a wasm64
    // object with -m wasm32.
    let with = |m: &'static str| [m, "--no-entry", "--export=run"];
    assert_eq!(same_errors(&w32, &with("-mwasm64")), ["main.o: wasm32 object file can't be linked in wasm64 mode"]);
    let mixed = vec![w64[0].clone(), w32[1].clone()];
    assert_eq!(same_errors(&mixed, &with("-mwasm64")), ["other.o: wasm32 object file can't be linked in wasm64 mode"]);
    assert_eq!(same_errors(&w64, &with("-mwasm32")), ["main.o: wasm32 object file can't be linked in wasm64 mode"]);
    // An archive member is checked whether extracted or not.
    let lib = linkcheck_object::archive::archive(&[("other.o", &w64[1].1)]);
    let objs = vec![w32[0].clone(), w32[1].clone(), ("lib.a".to_string(), lib)];
    assert_eq!(same_errors(&objs, &args), ["lib.a(other.o): must specify -mwasm64 to process wasm64 object files"]);
    // -m wasm32 is the default; the last -m counts.
    same_modules(&w32, &with("-mwasm32"));
    same_modules(&w64, &["-m", "wasm32", "-m", "wasm64", "--no-entry", "--export=run"]);
    // Another emulation is refused (wasm-ld goes on to read the inputs).
    let inputs: Vec<Input<'_>> = w32.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let r = refld_messages(&link(&inputs, &["-m", "wasm32", "--no-entry"]));
    assert!(r.is_empty(), "{r:?}");
    let argv: Vec<String> = ["-m", "foo", "main.o"].iter().map(|s| s.to_string()).collect();
    let read = |p: &str| Err(format!("{p}: no file system in tests"));
    assert_eq!(refld::args::parse_args(&argv, &read).err().as_deref(), Some("invalid target architecture: foo"));
}

/// SIXTYFOUR-LAYOUT: a C program's wasm64 module, section for section: i64
/// memory, table64 with an `i64.const` element offset, i64
/// `__stack_pointer`, i64 data offsets and data exports; it runs.
#[test]
fn c_program_links_as_wasm_ld_writes_it() {
    let objs = c_objects("wasm64-unknown-unknown");
    for extra in [&[][..], &["--no-stack-first"], &["--export=g", "--export=__heap_base", "--export=__data_end"]] {
        let mut args = vec!["-m", "wasm64", "--no-entry", "--export=run"];
        args.extend_from_slice(extra);
        let out = same_modules(&objs, &args);
        // call(add, 5) + arr[2] + other(1) = 6 + 3 + 8.
        assert_eq!(run_both(&out, "run"), Ok(17), "{args:?}");
        let (mut memory64, mut table64) = (false, false);
        for p in wasmparser::Parser::new(0).parse_all(&out.0) {
            match p.expect("a readable module") {
                wasmparser::Payload::MemorySection(r) => memory64 = r.into_iter().all(|m| m.expect("a memory").memory64),
                wasmparser::Payload::TableSection(r) => table64 = r.into_iter().all(|t| t.expect("a table").ty.table64),
                _ => {}
            }
        }
        assert!(memory64 && table64, "an i64 memory and table64");
    }
}

/// The assembly: every 64-bit relocation type llvm-mc-19 writes for a
/// static link (MEMORY_ADDR_LEB64, _SLEB64, _I64, TABLE_INDEX_SLEB64,
/// _I64, FUNCTION_OFFSET_I64).
const RELOCS: &str = r#"  .globaltype __stack_pointer, i64
  .tabletype __indirect_function_table, funcref

  .functype seven () -> (i32)
  .section .text.seven,"",@
  .globl seven
  .type seven,@function
seven:
  .functype seven () -> (i32)
  i32.const 7
  end_function

  .section .text.run,"",@
  .globl run
  .type run,@function
run:
  .functype run () -> (i32)
  i64.const val+4
  i32.load 0
  i64.const 0
  i32.load val+8
  i32.add
  i64.const seven
  call_indirect __indirect_function_table, () -> (i32)
  i32.add
  i64.const ptr
  i64.load 0
  i32.load 0
  i32.add
  i64.const fptr
  i64.load 0
  call_indirect __indirect_function_table, () -> (i32)
  i32.add
  end_function

  .section .data.val,"",@
  .globl val
  .p2align 2
val:
  .int32 1
  .int32 20
  .int32 300
  .size val, 12

  .section .data.ptr,"",@
  .globl ptr
  .p2align 3
ptr:
  .int64 val
  .size ptr, 8

  .section .data.fptr,"",@
  .globl fptr
  .p2align 3
fptr:
  .int64 seven
  .size fptr, 8

  .section .debug_info,"",@
  .int64 seven
  .int64 run+2
"#;

/// SIXTYFOUR-RELOC: each 64-bit relocation type patched as wasm-ld patches it
/// (10-byte padded LEBs, 8-byte fields); `run` reads
/// val[1] + val[2] + seven() + *ptr + (*fptr)() = 20 + 300 + 7 + 1 + 7.
#[test]
fn every_64_bit_relocation_type() {
    let objs = vec![assemble("relocs", RELOCS)];
    let out = same_modules(&objs, &["-m", "wasm64", "--no-entry", "--export=run"]);
    assert_eq!(run_both(&out, "run"), Ok(335));
    // .debug_info: FUNCTION_OFFSET_I64 of `seven`, then of `run` + 2.
    let debug = sections(&out.0).into_iter().find(|s| s.1 == ".debug_info").expect("a .debug_info section").2;
    let offsets: Vec<u64> = debug.chunks(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes"))).collect();
    assert_eq!(offsets.len(), 2);
    assert_eq!(offsets[1], offsets[0] + 7, "run's body starts 5 bytes after seven's (size 1 + 4 bytes), + 2");
}

/// SIXTYFOUR-LAYOUT, MEM-PAGES: `--initial-memory` / `--max-memory` up to
/// 16 GiB in a wasm64 link, 4 GiB in a wasm32 one, with wasm-ld's
/// messages after the alignment and size checks.
#[test]
fn memory_limits_in_the_64_bit_space() {
    let w64 = c_objects("wasm64-unknown-unknown");
    let args = |opts: &[&'static str]| {
        let mut a = vec!["-m", "wasm64", "--no-entry", "--export=run"];
        a.extend_from_slice(opts);
        a
    };
    let (out, _) = same_modules(&w64, &args(&["--initial-memory=8589934592", "--max-memory=17179869184"]));
    let mem = wasmparser::Parser::new(0)
        .parse_all(&out)
        .find_map(|p| match p.expect("a readable module") {
            wasmparser::Payload::MemorySection(r) => r.into_iter().next().map(|m| m.expect("a memory")),
            _ => None,
        })
        .expect("a memory");
    assert_eq!((mem.initial, mem.maximum, mem.memory64), (131072, Some(262144), true));
    assert_eq!(
        same_errors(&w64, &args(&["--initial-memory=17179934721", "--max-memory=17179934721"])),
        [
            "initial memory must be aligned to the page size (65536 bytes)",
            "initial memory too large, cannot be greater than 17179869184",
            "maximum memory must be aligned to the page size (65536 bytes)",
            "maximum memory too large, cannot be greater than 17179869184",
            "maximum memory too small, 17180000256 bytes needed",
        ]
    );
    let w32 = c_objects("wasm32-unknown-unknown");
    assert_eq!(
        same_errors(&w32, &["--no-entry", "--export=run", "--initial-memory=8589934592"]),
        ["initial memory too large, cannot be greater than 4294967296"]
    );
}

/// REL-OUT-OPTIONS, SIXTYFOUR-RELOC: `-r -m wasm64` writes the relocatable
/// object wasm-ld 22 writes (64-bit relocation types kept, an i64 memory,
/// the table imported i64-indexed), and linking it again gives wasm-ld's program.
#[test]
fn relocatable_wasm64_output_as_wasm_ld_writes_it() {
    let w64 = c_objects("wasm64-unknown-unknown");
    let (partial, _) = same_modules(&w64[..1], &["-r", "-m", "wasm64"]);
    let imports = summary_relocatable(&partial);
    assert!(imports.iter().any(|i| i == "env.__indirect_function_table: table i64"), "{imports:?}");
    let relinked = vec![("partial.o".to_string(), partial), w64[1].clone()];
    let (out, _) = same_modules(&relinked, &["-m", "wasm64", "--no-entry", "--export=run"]);
    let (direct, _) = same_modules(&w64, &["-m", "wasm64", "--no-entry", "--export=run"]);
    assert_eq!(run_export(&out, "run", &[]), run_export(&direct, "run", &[]), "the two-step link computes what the one-step link does");
}

/// The imports of a relocatable object as `module.field: kind`.
fn summary_relocatable(bytes: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        if let Ok(wasmparser::Payload::ImportSection(r)) = payload {
            for i in r.into_imports().flatten() {
                let kind = match i.ty {
                    wasmparser::TypeRef::Memory(m) if m.memory64 => "memory i64",
                    wasmparser::TypeRef::Memory(_) => "memory",
                    wasmparser::TypeRef::Table(t) if t.table64 => "table i64",
                    _ => "other",
                };
                out.push(format!("{}.{}: {kind}", i.module, i.name));
            }
        }
    }
    out
}
