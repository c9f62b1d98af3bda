//! `reference_properties`: arbitrary bytes drawn into a generated object set
//! (`linkcheck_gen::object_set::ObjectSet`, biased to symbol collisions), then every
//! in-process property of `linkcheck_gen::props` (valid output, determinism,
//! order independence, imports, exports, GC; each names its SPEC.md rules).
//! No external process, no execution. Run:
//! `cargo fuzz run -s none reference_properties`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use linkcheck_gen::object_set::ObjectSet;

fuzz_target!(|data: &[u8]| {
    let set = ObjectSet::from_bytes(data);
    if let Err(failure) = linkcheck_gen::props::check_all(&set) {
        panic!("{failure}");
    }
});
