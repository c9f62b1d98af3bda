//! C inputs: clang-19 objects for wasm32-wasi, and wasi-libc as the known
//! library that defines what they forgot to link (Debian's packages,
//! installed by scripts/setup.sh).

use super::*;
use linkcheck::explain::Language;
use std::process::Command;

const WASI_LIBC: &str = "/usr/lib/wasm32-wasi";

/// Compiles `source` (written to `dir/NAME.c`) with clang-19 into
/// `dir/NAME.o`; fails the test, naming the package, when clang-19 is missing.
fn clang(dir: &Path, name: &str, source: &str) {
    std::fs::write(dir.join(format!("{name}.c")), source).unwrap();
    let out = Command::new("clang-19")
        .args(["--target=wasm32-wasi", "-O1", "-c", &format!("{name}.c"), "-o", &format!("{name}.o")])
        .current_dir(dir)
        .output()
        .expect("clang-19 is missing: install package clang-19 (scripts/setup.sh)");
    assert!(out.status.success(), "clang-19 failed:\n{}", String::from_utf8_lossy(&out.stderr));
}

/// `strlen` from wasi-libc (not linked), `host_log` declared plain,
/// `half` with an import module and no import name, which is still an
/// undefined symbol (UND-EXPLICIT: only an import name makes an import by
/// design). `fixed` declares both host functions as explain says to.
fn source(fixed: bool) -> String {
    let (log, half) = if fixed {
        (r#"__attribute__((import_module("env"), import_name("host_log"))) "#, r#"__attribute__((import_module("env"), import_name("half"))) "#)
    } else {
        ("", r#"__attribute__((import_module("env"))) "#)
    };
    format!(
        "unsigned long strlen(const char *);\n{log}void host_log(int);\n{half}void half(int);\nint run(const char *s) {{ host_log(1); half(2); return (int)strlen(s); }}\n"
    )
}

#[test]
fn c_symbols_get_clang_fixes_and_wasi_libc_is_named() {
    assert!(Path::new(WASI_LIBC).join("libc.a").is_file(), "wasi-libc is missing: install package wasi-libc (scripts/setup.sh)");
    let dir = tempfile::tempdir().unwrap();
    clang(dir.path(), "c", &source(false));
    let args = ["--no-entry", "--export=run", "c.o"];
    let r = report_in(dir.path(), &args);
    let mut failing = names(&r, Group::Failing);
    failing.sort();
    assert_eq!(failing, ["half", "host_log", "strlen"]);
    assert!(r.group(Group::Failing).all(|(s, _)| s.language == Language::C), "clang's producers section");

    let fixes = |name: &str| r.symbol(name).unwrap().0.fixes.clone();
    let strlen = fixes("strlen");
    assert_eq!(strlen[0].kind, FixKind::Library, "{strlen:?}");
    assert_eq!(strlen[0].effect, format!("{WASI_LIBC}/libc.a(strlen.o) (wasi-libc) defines it"));
    assert_eq!(strlen[0].c, format!("-L{WASI_LIBC} -lc"));
    assert!(strlen[0].then.is_empty(), "strlen.o needs nothing more: {:?}", strlen[0].then);
    let log = fixes("host_log");
    assert_eq!(log.iter().map(|f| f.kind).collect::<Vec<_>>(), [FixKind::ImportAttribute, FixKind::ImportUndefined]);
    assert_eq!(log[0].c, r#"__attribute__((import_module("env"), import_name("host_log"))) on its declaration"#);
    assert!(log[1].c.starts_with("-Wl,--import-undefined"), "{:?}", log[1]);
    let half = fixes("half");
    assert_eq!(half[0].c, r#"__attribute__((import_module("env"), import_name("half"))) on its declaration"#);

    let text = render_text(&r, false);
    for needle in [
        format!("fix: -L{WASI_LIBC} -lc — {WASI_LIBC}/libc.a(strlen.o) (wasi-libc) defines it  [wasm-ld: -L{WASI_LIBC} -lc]"),
        "fix: -Wl,--import-undefined".to_string(),
        r#"fix: __attribute__((import_module("env"), import_name("half")))"#.to_string(),
        "referenced by c.o in run (call)".to_string(),
    ] {
        assert!(text.contains(&needle), "missing {needle:?} in:\n{text}");
    }
    assert!(!text.contains("#[link("), "C users get clang's terms:\n{text}");

    // Every fix holds with both linkers (the import module alone does not:
    // both report `half` without a fix, `fixes_hold` checks it).
    assert!(fixes_hold(dir.path(), &args, &r) >= 7);

    // The attributes in the source and wasi-libc on the line: both link.
    clang(dir.path(), "fixed", &source(true));
    let argv: Vec<String> = ["--no-entry", "--export=run", "fixed.o", &format!("-L{WASI_LIBC}"), "-lc"].map(String::from).to_vec();
    let linked = relink(dir.path(), &argv);
    assert!(linked.both_ok(), "refld {:?}, rust-lld {:?}", linked.refld.as_ref().err(), linked.lld);
    let imports = summary(linked.refld.as_ref().unwrap()).imports;
    for field in ["host_log", "half"] {
        assert!(imports.iter().any(|(m, f, _)| m == "env" && f == field), "{field} in {imports:?}");
    }
}
