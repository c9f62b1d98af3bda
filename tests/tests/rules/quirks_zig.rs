//! Zig 0.17's quirks (QUIRK-ZIG-*): under them refld must do what Zig's
//! linker (`zig build-exe -fno-lld`, through linkcheck's adapter) does,
//! compared as the oracle compares (`quirks_wild::divergences_from`). Zig
//! reads only objects with a `target_features` section, so every object
//! here has one. A missing Zig fails the test, naming scripts/setup.sh.

use crate::quirks_wild::divergences_from;
use crate::support::*;
use linkcheck_core::discover;
use linkcheck_core::linker::Linker;
use linkcheck_object::FeatureModel;

/// Zig as the oracle finds it.
fn zig() -> Linker {
    match discover::zig() {
        Ok(found) => found.linker(),
        Err(missing) => panic!("Zig 0.17.1 is missing ({}): run scripts/setup.sh", missing.reason),
    }
}

/// Zig's deviations every comparison here meets besides the quirk tested:
/// `__stack_pointer` dropped when unused (QUIRK-WILD-SYN).
const SYN: &str = "unused-synthetics-dropped";
const GC: &str = "no-gc-sections-ignored";
const EXPORT: &str = "export-missing-ignored";

#[test]
fn no_gc_sections_ignored_drops_dead_code() {
    // QUIRK-ZIG-GC (found/zig_no_gc_sections_ignored): `unused` calls the
    // explicit import `env.host_unused` and reads `table`; nothing reaches
    // it. Under --no-gc-sections wasm-ld and refld keep it, its import and
    // its data; Zig drops them all.
    let mut m = obj();
    m.features.push(FeatureModel { prefix: '+', name: "mutable-globals".into() });
    let table = m.define_data("table", ".data.table", &[1, 0, 0, 0], 0);
    let host = m.undefined_func("host_unused", "env", "host_unused", sig_i32(), flags::EXPLICIT_NAME);
    let mut b = Body::new();
    b.i32_const(0).i32_load_sym(table, 0).call(host).i32_add();
    m.define_func("unused", sig_i32(), b, 0);
    m.define_func("run", sig_i32(), ret(3), 0);
    let inputs = [("a.o", encode(&m))];
    let args = ["--no-entry", "--export=run", "--no-gc-sections"];
    let with = divergences_from(&zig(), &inputs, &args, &[SYN, GC]);
    assert!(with.is_empty(), "refld under {SYN}, {GC} diverges from Zig:\n{}", with.join("\n"));
    let without = divergences_from(&zig(), &inputs, &args, &[SYN]);
    assert!(!without.is_empty(), "refld under {SYN} alone already agrees with Zig");
    // Without --no-gc-sections the quirk changes nothing.
    let default = divergences_from(&zig(), &inputs, &["--no-entry", "--export=run"], &[SYN]);
    assert!(default.is_empty(), "refld under {SYN} diverges from Zig by default:\n{}", default.join("\n"));
}

#[test]
fn export_missing_ignored() {
    // QUIRK-ZIG-EXPORT (found/zig_export_missing_ignored): `--export=nothere`
    // names nothing; wasm-ld and refld reject the link (EXP-5), Zig links
    // without the export.
    let mut m = obj();
    m.features.push(FeatureModel { prefix: '+', name: "mutable-globals".into() });
    m.define_func("run", sig_i32(), ret(3), 0);
    let inputs = [("a.o", encode(&m))];
    let args = ["--no-entry", "--export=run", "--export=nothere"];
    let with = divergences_from(&zig(), &inputs, &args, &[SYN, EXPORT]);
    assert!(with.is_empty(), "refld under {SYN}, {EXPORT} diverges from Zig:\n{}", with.join("\n"));
    let without = divergences_from(&zig(), &inputs, &args, &[SYN]);
    assert!(without.iter().any(|d| d.starts_with("outcome")), "without {EXPORT}: {without:?}");
}
