//! `split_relink`: a metamorphic oracle that needs no second linker. The
//! input drives wasm-smith (`linkcheck_gen::split::smith_config`: a subset that
//! relocatable objects can express) to one module, which is cut into 1..=4
//! relocatable object files and linked back by refld in-process; the
//! relinked module must validate and behave like the original (every
//! exported function: same results or trap kind, same import calls, same
//! memory). Any refld error, a split the config should have ruled out, and
//! any difference is a crash, unless the policy (corpus/policy.toml) has a
//! `[[known]]` entry of linker `refld` for it (a known refld bug not yet
//! fixed, keyed by `SplitFailure::key`; none now).
//! Run: `cargo fuzz run -s none split_relink`.
#![no_main]

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use linkcheck_core::policy::Policy;
use linkcheck_gen::split::{check_unless_known, smith_module};
use std::sync::OnceLock;

fn policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    // The built-in copy of corpus/policy.toml (refld_fuzz::policy), so the
    // binary needs no source tree at run time.
    POLICY.get_or_init(refld_fuzz::policy)
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(parts) = u.int_in_range(1..=4usize) else { return };
    // Inputs too short for wasm-smith are not modules, not failures.
    let Ok(module) = smith_module(&mut u) else { return };
    // What is left decides where functions go, symbol flags, export ways.
    let choice = u.take_rest();
    if let Err(failure) = check_unless_known(&module, parts, choice, policy()) {
        panic!("split into {parts} parts and relinked by refld: {failure}");
    }
});
