//! Rust inputs: rustc 1.95's `#![no_core]` objects and rlibs for
//! wasm32-unknown-unknown (this toolchain has no wasm standard library).

use super::*;
use linkcheck::explain::Language;
use std::process::Command;

/// The crate attributes and lang items rustc 1.95 needs of a `#![no_core]`
/// crate (as reference/tests/rustc/no_core_cdylib.rs has them).
const NO_CORE: &str = r#"#![feature(no_core, lang_items)]
#![allow(internal_features)]
#![no_core]
"#;
pub(crate) const LANG_ITEMS: &str = r#"
#[lang = "pointee_sized"] pub trait PointeeSized {}
#[lang = "meta_sized"] pub trait MetaSized: PointeeSized {}
#[lang = "sized"] pub trait Sized: MetaSized {}
#[lang = "copy"] pub trait Copy {}
impl Copy for i32 {}
"#;

/// Compiles the `#![no_core]` crate `source` (written to `dir/file`) with
/// rustc for wasm32-unknown-unknown, `-O`, `args` saying what to emit
/// where. Fails the test, naming the tool, when rustc is missing.
pub(crate) fn rustc(dir: &Path, file: &str, source: &str, args: &[&str]) {
    std::fs::write(dir.join(file), format!("{NO_CORE}{source}")).unwrap();
    let out = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .env("RUSTC_BOOTSTRAP", "1")
        .args(["--target", "wasm32-unknown-unknown", "-O", "-C", "panic=abort", "-C", "embed-bitcode=no", "-Z", "unstable-options"])
        .args(args)
        .arg(file)
        .current_dir(dir)
        .output()
        .expect("rustc is missing (the Rust toolchain of the workspace)");
    assert!(out.status.success(), "rustc {args:?} {file} failed:\n{}", String::from_utf8_lossy(&out.stderr));
}

/// A crate with an `extern "C"` function and no import attribute
/// (`host_log`, called from `a::inner::helper`), one with
/// `#[link(wasm_import_module = "env")]` (`host_ok`, which rustc names
/// `_RNv…1a7host_ok`, import name `host_ok`), and one called only from
/// `unused`, which no export keeps. `attribute` puts the first block under
/// `#[link(wasm_import_module = "env")]` too: the fix explain proposes.
fn extern_crate_source(attribute: bool) -> String {
    format!(
        r#"{LANG_ITEMS}
{}extern "C" {{ fn host_log(x: i32); fn dead_host(); }}
#[link(wasm_import_module = "env")]
extern "C" {{ fn host_ok(x: i32); }}
pub mod inner {{ #[inline(never)] pub fn helper(x: i32) -> i32 {{ unsafe {{ super::host_log(x) }}; x }} }}
#[no_mangle] pub extern "C" fn answer(x: i32) -> i32 {{ unsafe {{ host_ok(x) }}; inner::helper(x) }}
#[no_mangle] pub extern "C" fn unused() {{ unsafe {{ dead_host() }} }}
"#,
        if attribute { "#[link(wasm_import_module = \"env\")]\n" } else { "" }
    )
}

#[test]
fn rust_extern_function_fails_first_with_checked_fixes() {
    let dir = tempfile::tempdir().unwrap();
    rustc(dir.path(), "a.rs", &extern_crate_source(false), &["--crate-type", "lib", "--emit=obj", "-o", "a.o"]);
    let args = ["--no-entry", "--export=answer", "a.o"];
    let r = report_in(dir.path(), &args);
    assert_eq!(names(&r, Group::Failing), ["host_log"]);
    assert_eq!(names(&r, Group::DeadOnly), ["dead_host"]);
    let other = r.group(Group::Other).map(|(s, u)| (u.name.clone(), s.demangled.clone())).collect::<Vec<_>>();
    assert_eq!(other.len(), 1, "{other:?}");
    assert!(other[0].0.starts_with("_R"), "rustc 1.95 mangles an item with an import module (v0): {other:?}");
    assert_eq!(other[0].1.as_deref(), Some("a::host_ok"));

    let (s, u) = r.symbol("host_log").unwrap();
    assert_eq!(s.language, Language::Rust, "rustc's producers section");
    assert_eq!(s.demangled, None, "an extern \"C\" name is no Rust path");
    assert_eq!(s.fixes.iter().map(|f| f.kind).collect::<Vec<_>>(), [FixKind::ImportAttribute, FixKind::ImportUndefined]);
    assert!(s.fixes.iter().all(|f| f.checked));
    assert_eq!(s.fixes[0].rust, "#[link(wasm_import_module = \"env\")] on the extern block declaring host_log");
    assert!(s.fixes[1].rust.starts_with("-C link-arg=--import-undefined"), "{:?}", s.fixes[1]);
    assert_eq!(u.import, ("env".to_string(), "host_log".to_string()));

    let text = render_text(&r, false);
    let first = text.lines().find(|l| l.starts_with("undefined ")).unwrap();
    assert_eq!(first, "undefined function host_log: fails the link", "failing first:\n{text}");
    for needle in [
        "referenced by a.o in a::inner::helper (call)",
        "fix: #[link(wasm_import_module = \"env\")] on the extern block declaring host_log — imports it from the host as env.host_log",
        "fix: -C link-arg=--import-undefined",
        "[wasm-ld: --import-undefined]",
        "undefined function a::host_ok (_RNv",
        "1 undefined symbol referenced only from dead code, which garbage collection removes (--all shows it): dead_host",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    assert!(!text.contains("undefined function dead_host"), "dead-only references are one line:\n{text}");
    let all = render_text(&r, true);
    assert!(all.contains("undefined function dead_host  (only dead code refers to it)"), "{all}");
    assert!(!all.contains("referenced only from dead code, which"), "{all}");

    // The fixes hold for both linkers, and the dead reference is reported by neither.
    assert_eq!(fixes_hold(dir.path(), &args, &r), 2);
    assert_eq!(relink(dir.path(), &args.map(String::from)).reports("dead_host"), (false, false));

    // The attribute itself, in the source: the link succeeds under the
    // default policy with both linkers, importing env.host_log.
    rustc(dir.path(), "b.rs", &extern_crate_source(true), &["--crate-type", "lib", "--emit=obj", "-o", "b.o"]);
    let fixed = ["--no-entry", "--export=answer", "b.o"];
    let linked = relink(dir.path(), &fixed.map(String::from));
    assert!(linked.both_ok(), "refld {:?}, rust-lld {:?}", linked.refld.as_ref().err(), linked.lld);
    assert!(summary(linked.refld.as_ref().unwrap()).imports.iter().any(|(m, f, k)| (m.as_str(), f.as_str(), *k) == ("env", "host_log", "func")));
    assert!(names(&report_in(dir.path(), &fixed), Group::Failing).is_empty());
}

#[test]
fn rust_crate_symbols_demangle_in_both_manglings() {
    for mangling in ["legacy", "v0"] {
        let dir = tempfile::tempdir().unwrap();
        let deps = dir.path().join("deps");
        std::fs::create_dir(&deps).unwrap();
        let version = format!("symbol-mangling-version={mangling}");
        let other = format!("{LANG_ITEMS}\n#[inline(never)] pub fn foo(x: i32) -> i32 {{ x }}\n");
        rustc(dir.path(), "other.rs", &other, &["--crate-type", "rlib", "-C", &version, "-o", "deps/libother.rlib"]);
        let user = "extern crate other;\n#[no_mangle] pub extern \"C\" fn run(x: i32) -> i32 { other::foo(x) }\n";
        rustc(dir.path(), "user.rs", user, &["--crate-type", "lib", "--emit=obj", "-C", &version, "--extern", "other=deps/libother.rlib", "-o", "user.o"]);
        let args = ["--no-entry", "--export=run", "user.o"];

        // The rlib is nowhere explain looks: the crate is named, unchecked.
        let r = report_in(dir.path(), &args);
        let failing = r.group(Group::Failing).collect::<Vec<_>>();
        assert_eq!(failing.len(), 1, "{mangling}: {:?}", names(&r, Group::Failing));
        let (s, u) = failing[0];
        assert!(u.name.starts_with(if mangling == "v0" { "_R" } else { "_ZN" }), "{mangling}: {}", u.name);
        assert_eq!(s.demangled.as_deref(), Some("other::foo"), "{mangling}");
        assert_eq!(s.language, Language::Rust);
        assert_eq!(s.fixes.len(), 1, "no import fix for a Rust function: {:?}", s.fixes);
        assert_eq!((s.fixes[0].kind, s.fixes[0].checked), (FixKind::AddDefinition, false));
        assert_eq!(s.fixes[0].rust, "add the crate `other` (it defines other::foo) to the build");
        let text = render_text(&r, false);
        assert!(text.contains(&format!("undefined function other::foo ({}): fails the link", u.name)), "{text}");
        assert!(text.contains("fix (unchecked): add the crate `other`"), "{text}");

        // Beside the object, the rlib is found and the fix checked.
        std::fs::copy(deps.join("libother.rlib"), dir.path().join("libother.rlib")).unwrap();
        let r = report_in(dir.path(), &args);
        let (s, _) = r.symbol(&u.name).unwrap();
        assert_eq!((s.fixes[0].kind, s.fixes[0].checked), (FixKind::Library, true), "{:?}", s.fixes);
        assert_eq!(s.fixes[0].rust, "add the crate `other` as a dependency");
        assert!(s.fixes[0].linker.as_deref().unwrap().ends_with("libother.rlib"));
        assert_eq!(fixes_hold(dir.path(), &args, &r), 1, "{mangling}");
    }
}
