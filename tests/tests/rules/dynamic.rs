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

#[test]
fn pic_output_is_refused_after_the_checks() {
    // Not yet written: PIC output that passes the checks is an error
    // naming it (wasm-ld links it), never a silently wrong module.
    let input = [("a.o", encode(&returns("f", 1, 0)))];
    for args in [&["-shared", "--experimental-pic"][..], &["-pie", "--experimental-pic", "--no-entry"]] {
        let msgs = refld_in_order(&input, args);
        assert_eq!(msgs, [(Severity::Error, "position-independent output (-pie, -shared) is not supported yet".to_string())], "{args:?}");
    }
}
