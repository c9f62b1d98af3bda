//! Tags (TAG-1, TAG-SIG, TAG-EXPORT, TAG-IMPORT, UND-GLOBAL, QUIRK-UND-INDEX)
//! and the export and feature rules measured beside them (EXP-CTORS-FIRST,
//! FEAT-PIC): objects of `llvm-mc-19 -mattr=+exception-handling`, linked by
//! refld and rust-lld (wasm-ld 22), which must write the same bytes or fail
//! with the same diagnostics.

use crate::support::*;

/// Assembles `source` for wasm32 with the exception-handling feature.
fn assemble(name: &str, source: &str) -> Vec<u8> {
    assemble_with(&["-triple=wasm32-unknown-unknown", "-mattr=+exception-handling"], name, source)
}

/// `thrower(i32)` throws `__cpp_exception` (undefined here); `_start`
/// calls it.
const USER: &str = ".tagtype __cpp_exception i32
.globl thrower
thrower:
  .functype thrower (i32) -> ()
  local.get 0
  throw __cpp_exception
  unreachable
  end_function
.globl _start
_start:
  .functype _start () -> ()
  i32.const 7
  call thrower
  end_function
";

/// The definition of `__cpp_exception` (i32).
const TAGS: &str = ".tagtype __cpp_exception i32\n.globl __cpp_exception\n__cpp_exception:\n";

/// A weak `__cpp_exception` (i32) and a strong `other_tag` (i32, i64).
const WEAK: &str = ".tagtype __cpp_exception i32
.weak __cpp_exception
__cpp_exception:
.tagtype other_tag i32, i64
.globl other_tag
other_tag:
";

/// A definition of `__cpp_exception` of another type (i64).
const TAGS_I64: &str = ".tagtype __cpp_exception i64\n.globl __cpp_exception\n__cpp_exception:\n";

/// The TAG section's type indices and the types' parameter lists.
fn tags(bytes: &[u8]) -> Vec<Vec<wasmparser::ValType>> {
    let mut types = Vec::new();
    let mut out = Vec::new();
    for p in wasmparser::Parser::new(0).parse_all(bytes) {
        match p.expect("a readable module") {
            wasmparser::Payload::TypeSection(r) => {
                for t in r.into_iter_err_on_gc_types() {
                    types.push(t.expect("a function type").params().to_vec());
                }
            }
            wasmparser::Payload::TagSection(r) => {
                for t in r {
                    out.push(types[t.expect("a tag").func_type_idx as usize].clone());
                }
            }
            _ => {}
        }
    }
    out
}

fn validate(bytes: &[u8]) -> Result<(), String> {
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all()).validate_all(bytes).map(drop).map_err(|e| e.to_string())
}

/// TAG-1, TAG-EXPORT: the tag a thrower uses is defined in another object
/// (directly, weakly beside a strong one, in an archive member a reference
/// extracts); unused tags go, but for `--no-gc-sections` and exports.
#[test]
fn tags_defined_in_another_object() {
    use wasmparser::ValType::{I32, I64};
    let (user, tags_o, weak) = (assemble("user", USER), assemble("tags", TAGS), assemble("weak", WEAK));
    let lib = archive(&[("tags.o", &tags_o[..])]);
    type Case<'a> = (Vec<Input<'a>>, Vec<&'a str>, Vec<Vec<wasmparser::ValType>>, Vec<&'a str>);
    let cases: Vec<Case<'_>> = vec![
        (vec![("user.o", user.clone()), ("tags.o", tags_o.clone())], vec![], vec![vec![I32]], vec![]),
        (vec![("tags.o", tags_o.clone()), ("user.o", user.clone())], vec![], vec![vec![I32]], vec![]),
        // The strong definition wins; other_tag, unused, goes.
        (vec![("user.o", user.clone()), ("weak.o", weak.clone()), ("tags.o", tags_o.clone())], vec![], vec![vec![I32]], vec![]),
        (vec![("user.o", user.clone()), ("libt.a", lib.clone())], vec![], vec![vec![I32]], vec![]),
        (vec![("user.o", user.clone()), ("weak.o", weak.clone())], vec!["--no-gc-sections"], vec![vec![I32], vec![I32, I64]], vec![]),
        (vec![("user.o", user.clone()), ("weak.o", weak.clone())], vec!["--export=other_tag"], vec![vec![I32], vec![I32, I64]], vec!["other_tag"]),
        (vec![("user.o", user.clone()), ("tags.o", tags_o.clone())], vec!["--export-all"], vec![vec![I32]], vec!["__cpp_exception"]),
        (vec![("user.o", user.clone()), ("tags.o", tags_o.clone())], vec!["--export-dynamic"], vec![vec![I32]], vec!["__cpp_exception"]),
    ];
    for (inputs, mut args, want_tags, want_exports) in cases {
        args.extend(["-o", "out.wasm"]);
        let (ours, lld) = both_ok(&inputs, &args);
        assert_eq!(tags(&lld), want_tags, "rust-lld, {args:?}");
        let exported: Vec<String> = summary(&lld).exports.iter().filter(|e| e.1 == "tag").map(|e| e.0.clone()).collect();
        assert_eq!(exported, want_exports, "rust-lld, {args:?}");
        assert!(ours == lld, "{args:?}: the modules differ");
        validate(&ours).unwrap_or_else(|e| panic!("{args:?}: {e}"));
    }
    // A second strong definition is a duplicate.
    let msgs = both_fail(&[("user.o", user.clone()), ("tags.o", tags_o.clone()), ("t2.o", tags_o)], &["-o", "out.wasm"]);
    assert_eq!(errors(&msgs), ["duplicate symbol: __cpp_exception\n>>> defined in tags.o\n>>> defined in t2.o"]);
}

/// TAG-SIG: definitions and references of another type warn, the
/// symbol's type and file first; two references do not.
#[test]
fn tag_signature_mismatch_is_a_warning() {
    let (user, tags_o, tags_i64) = (assemble("user", USER), assemble("tags", TAGS), assemble("t64", TAGS_I64));
    let warning = |a: &str, sa: &str, b: &str, sb: &str| {
        format!("Tag signature mismatch: __cpp_exception\n>>> defined as {sa} in {a}\n>>> defined as {sb} in {b}")
    };
    let cases: Vec<(Vec<Input<'_>>, Vec<String>)> = vec![
        // A definition meeting an undefined symbol: the reference's type first.
        (vec![("user.o", user.clone()), ("t64.o", tags_i64.clone())], vec![warning("user.o", "(i32) -> void", "t64.o", "(i64) -> void")]),
        // A reference meeting a definition.
        (vec![("t64.o", tags_i64.clone()), ("user.o", user.clone())], vec![warning("t64.o", "(i64) -> void", "user.o", "(i32) -> void")]),
        (vec![("user.o", user.clone()), ("tags.o", tags_o.clone())], vec![]),
    ];
    for (inputs, want) in cases {
        let (r, _) = both(&inputs, &["-o", "out.wasm"]);
        let warnings: Vec<String> = r.expect("the link goes on").warnings.iter().map(|d| d.message.clone()).collect();
        assert_eq!(warnings, want);
    }
}

/// TAG-IMPORT: an undefined tag is an error, `--import-undefined` or not;
/// `-shared` alone too; `--allow-undefined` and import-dynamic (static
/// and PIC) import it.
#[test]
fn undefined_tags() {
    let user = assemble("user", USER);
    let inputs = [("user.o", user)];
    for extra in [&[][..], &["--import-undefined"], &["--experimental-pic", "-pie", "--import-undefined"], &["--experimental-pic", "-shared"]] {
        let mut args = extra.to_vec();
        args.extend(["-o", "out.wasm"]);
        let msgs = both_fail(&inputs, &args);
        assert_eq!(errors(&msgs), ["user.o: undefined symbol: __cpp_exception"], "{args:?}");
    }
    for extra in [
        &["--allow-undefined"][..],
        &["--unresolved-symbols=import-dynamic"],
        &["--experimental-pic", "-pie", "--unresolved-symbols=import-dynamic"],
        &["--experimental-pic", "-shared", "--unresolved-symbols=import-dynamic"],
    ] {
        let mut args = extra.to_vec();
        args.extend(["-o", "out.wasm"]);
        let (ours, lld) = both_ok(&inputs, &args);
        let imports = summary(&lld).imports;
        assert!(imports.contains(&("env".into(), "__cpp_exception".into(), "tag")), "{args:?}: {imports:?}");
        assert!(tags(&lld).is_empty(), "{args:?}: imported tags only");
        assert!(ours == lld, "{args:?}: the modules differ");
    }
}

/// UND-GLOBAL: under warn/ignore refld imports an undefined global or tag
/// (a valid module); QUIRK-UND-INDEX: wasm-ld writes index 0xFFFFFFFF,
/// and refld under the quirk writes the same bytes.
#[test]
fn undefined_globals_and_tags_under_warn() {
    let global = ".globaltype g, i32\n.globl _start\n_start:\n  .functype _start () -> ()\n  global.get g\n  drop\n  end_function\n";
    let cases = [("g.o", assemble("g", global), "g", "global"), ("user.o", assemble("user", USER), "__cpp_exception", "tag")];
    for (name, object, symbol, kind) in cases {
        let inputs = [(name, object)];
        for policy in ["--warn-unresolved-symbols", "--unresolved-symbols=ignore-all"] {
            let args = [policy, "-o", "out.wasm"];
            let (r, lld) = both(&inputs, &args);
            let ours = r.expect("refld links").bytes;
            let lld = lld.bytes.expect("rust-lld links");
            assert!(validate(&lld).is_err(), "{symbol} {policy}: rust-lld's module is invalid (index 0xFFFFFFFF)");
            validate(&ours).unwrap_or_else(|e| panic!("{symbol} {policy}: {e}"));
            assert!(summary(&ours).imports.contains(&("env".into(), symbol.into(), kind)), "{symbol} {policy}");
            let quirk = link(&inputs, &["--quirk", "undefined-index-invalid", policy, "-o", "out.wasm"]).expect("refld links");
            assert!(quirk.bytes == lld, "{symbol} {policy}: under the quirk refld writes wasm-ld's module");
        }
    }
}

/// EXP-CTORS-FIRST: an exported `__wasm_call_ctors` comes before every
/// other symbol export.
#[test]
fn call_ctors_is_exported_first() {
    let inputs = [("a.o", encode(&caller("_start", "f", 0))), ("b.o", encode(&returns("f", 1, 0)))];
    for extra in [&["--export-all"][..], &["--export=__wasm_call_ctors"], &["--export=f", "--export=__wasm_call_ctors"]] {
        let mut args = extra.to_vec();
        args.extend(["-o", "out.wasm"]);
        let (ours, lld) = both_ok(&inputs, &args);
        let names: Vec<String> = summary(&lld).exports.iter().map(|e| e.0.clone()).collect();
        assert_eq!(names[..2], ["memory", "__wasm_call_ctors"], "rust-lld, {args:?}");
        assert!(ours == lld, "{args:?}: the modules differ");
    }
}

/// FEAT-PIC: PIC output lists `mutable-globals` even when no input has a
/// `target_features` section.
#[test]
fn pic_output_lists_mutable_globals() {
    let inputs = [("a.o", encode(&returns("f", 1, flags::EXPORTED)))];
    for extra in [&["--experimental-pic", "-shared"][..], &["--experimental-pic", "-pie", "--no-entry"]] {
        let mut args = extra.to_vec();
        args.extend(["-o", "out.wasm"]);
        let (ours, lld) = both_ok(&inputs, &args);
        let features = summary(&lld).customs.into_iter().find(|c| c.0 == "target_features").map(|c| c.1);
        assert_eq!(features.as_deref(), Some(&b"\x01\x2b\x0fmutable-globals"[..]), "rust-lld, {args:?}");
        assert!(ours == lld, "{args:?}: the modules differ");
    }
    let (ours, lld) = both_ok(&inputs, &["--no-entry", "-o", "out.wasm"]);
    assert!(!summary(&lld).customs.iter().any(|c| c.0 == "target_features"), "a static link lists nothing");
    assert!(ours == lld);
}
