//! The `linkcheck` binary: exit statuses and usage errors.

use testkit::inputs::*;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_linkcheck");

fn linkcheck(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN).args(args).current_dir(dir).output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

#[test]
fn exit_status_follows_agreement() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.wasm"), wasi_command(&write_hi())).unwrap();
    let copy = "out=\nprev=\nfor a in \"$@\"; do [ \"$prev\" = -o ] && out=$a; prev=$a; done\ncp \"$1\" \"$out\"";
    let cp = script(dir.path(), "cp-ld", copy);
    let fail = script(dir.path(), "fail-ld", "echo \"$0: error: no\" >&2; exit 1");
    let (cp, fail) = (format!("cp={}", cp.display()), format!("fail={}", fail.display()));
    let cp2 = cp.replacen("cp=", "cp2=", 1);

    let (code, out, err) = linkcheck(dir.path(), &["diff", "--no-default-linkers", "--linker", &cp, "--linker", &cp2, "--", "a.wasm"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.ends_with("agree\n") && out.contains("stdout: \"hi\\n\""), "{out}");

    let (code, out, _) =
        linkcheck(dir.path(), &["diff", "--json", "--no-default-linkers", "--linker", &cp, "--linker", &fail, "--", "a.wasm"]);
    assert_eq!(code, 1, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["agree"], false);
    assert_eq!(json["linkers"][1]["outcome"]["diagnostics"][0], "error: no");
    assert_eq!(json["comparisons"][0]["differences"][0]["key"], "outcome");
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(linkcheck(dir.path(), &["diff"]).0, 2);
    assert_eq!(linkcheck(dir.path(), &["diff", "--bogus", "--", "a.o"]).0, 2);
    assert_eq!(linkcheck(dir.path(), &["frobnicate"]).0, 2);
    assert_eq!(linkcheck(dir.path(), &["diff", "--no-default-linkers", "--linker", "x=true", "--", "a.o"]).0, 2);
    assert_eq!(linkcheck(dir.path(), &["diff", "--linker", "bad", "--", "a.o"]).0, 2);
}

/// `diff --side-module NAME=ARGS`: each linker links the side module
/// first, its outcome is compared under `side[NAME].outcome`, and the
/// JSON report holds it beside the main module's.
#[test]
fn diff_compares_side_modules() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.wasm"), wasi_command(&write_hi())).unwrap();
    let copy = "out=\nprev=\nfor a in \"$@\"; do [ \"$prev\" = -o ] && out=$a; prev=$a; done\ncp \"$1\" \"$out\"";
    let cp = script(dir.path(), "cp-ld", copy);
    let no_shared = format!("for a in \"$@\"; do [ \"$a\" = -shared ] && {{ echo \"$0: error: no\" >&2; exit 1; }}; done\n{copy}");
    let picky = script(dir.path(), "picky-ld", &no_shared);
    let (cp, picky) = (format!("cp={}", cp.display()), format!("picky={}", picky.display()));
    let side = "lib.so=a.wasm -shared -o lib.so";
    let (code, out, _) = linkcheck(
        dir.path(),
        &["diff", "--json", "--no-default-linkers", "--linker", &cp, "--linker", &picky, "--side-module", side, "--", "a.wasm"],
    );
    assert_eq!(code, 1, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["linkers"][0]["side_modules"][0]["outcome"]["kind"], "linked");
    assert_eq!(json["linkers"][1]["side_modules"][0]["outcome"]["kind"], "rejected");
    assert_eq!(json["comparisons"][0]["differences"][0]["key"], "side[lib.so].outcome");
    // A main module without dylink.0 is the loader's error, for both.
    assert_eq!(json["linkers"][0]["run"]["trap"], "load failed");
    assert_eq!(linkcheck(dir.path(), &["diff", "--side-module", "noequals", "--", "a.wasm"]).0, 2);
}

/// `diff --exact`: outputs equal byte for byte give no `exact.*` key; a
/// section only one linker writes is `exact.NAME`, absent on the other side.
#[test]
fn diff_exact_names_the_sections_that_differ() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.wasm"), wasi_command(&write_hi())).unwrap();
    let copy = "out=\nprev=\nfor a in \"$@\"; do [ \"$prev\" = -o ] && out=$a; prev=$a; done\ncp \"$1\" \"$out\"";
    let cp = script(dir.path(), "cp-ld", copy);
    // A custom section `z` (id 0, size 2, name length 1) after the module.
    let cpz = script(dir.path(), "cpz-ld", &format!("{copy}\nprintf '\\000\\002\\001z' >> \"$out\""));
    let (cp, cpz) = (format!("cp={}", cp.display()), format!("cpz={}", cpz.display()));
    let cp2 = cp.replacen("cp=", "cp2=", 1);
    let same = linkcheck(dir.path(), &["diff", "--exact", "--json", "--no-default-linkers", "--linker", &cp, "--linker", &cp2, "--", "a.wasm"]);
    assert_eq!(same.0, 0, "{}", same.1);
    let (code, out, _) =
        linkcheck(dir.path(), &["diff", "--exact", "--json", "--no-run", "--no-default-linkers", "--linker", &cp, "--linker", &cpz, "--", "a.wasm"]);
    assert_eq!(code, 1, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let keys: Vec<&str> = json["comparisons"][0]["differences"].as_array().unwrap().iter().filter_map(|d| d["key"].as_str()).collect();
    assert!(keys.contains(&"exact.z"), "{keys:?}");
    let z = json["comparisons"][0]["differences"].as_array().unwrap().iter().find(|d| d["key"] == "exact.z").unwrap();
    assert_eq!((z["left"].as_str(), z["right"].as_str()), (Some("(absent)"), Some("2 bytes")), "its name: length and `z`");
}
