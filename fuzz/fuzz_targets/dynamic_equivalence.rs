//! `dynamic_equivalence`: arbitrary bytes drawn into a C program of up to
//! three modules (`linkcheck_gen::equivalence::PicProgram`), compiled with
//! `-fPIC` by clang-19, linked statically and as a `-pie` main module plus
//! `-shared` side modules by each linker of `DYNAMIC_EQUIVALENCE_LINKERS`
//! (comma-separated `linkcheck linkers` names or NAME=COMMAND; default
//! `refld,rust-lld`), both run (the dynamic link under the project's
//! loader) and compared: a difference, or a link of a valid program that
//! fails, stops the run. Linkers are found as `refld_fuzz` (fuzz/src/lib.rs)
//! says (bundled beside the executable, else discovered). It needs clang-19
//! at run time, so `.clusterfuzzlite/build.sh` does not package it.
//! Run: `cargo fuzz run -s none dynamic_equivalence`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use linkcheck_core::linker::Linker;
use linkcheck_core::run::Runner;
use linkcheck_gen::equivalence::check::{check_equivalence, Checked};
use linkcheck_gen::equivalence::PicProgram;
use std::sync::OnceLock;

fn setup() -> &'static (Vec<Linker>, Runner) {
    static SETUP: OnceLock<(Vec<Linker>, Runner)> = OnceLock::new();
    SETUP.get_or_init(|| {
        let names = std::env::var("DYNAMIC_EQUIVALENCE_LINKERS").unwrap_or_else(|_| "refld,rust-lld".into());
        let linkers: Vec<Linker> = names
            .split(',')
            .filter(|n| !n.trim().is_empty())
            .map(|n| refld_fuzz::find_linker(n).unwrap_or_else(|e| panic!("dynamic_equivalence: {e}")))
            .collect();
        let described: Vec<String> = linkers.iter().map(refld_fuzz::describe).collect();
        eprintln!("dynamic_equivalence: linking with {}", described.join(", "));
        (linkers, Runner::new().expect("wasmtime"))
    })
}

fuzz_target!(|data: &[u8]| {
    let (linkers, runner) = setup();
    let program = PicProgram::from_bytes(data);
    for linker in linkers {
        match check_equivalence(&program, linker, runner) {
            Ok(Checked::Same { .. }) => {}
            Ok(Checked::LinkFailed(why)) => panic!("{}: a link of a valid program failed: {why}", linker.name()),
            Err(d) => panic!("{d}"),
        }
    }
});
