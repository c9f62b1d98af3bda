//! `diff_linkers`: arbitrary bytes drawn into a generated object set
//! (`linkcheck_gen::object_set`), linked by refld (in-process), rust-lld and Wild
//! (`DIFF_LINKERS=rust-lld,wild,wasm-ld-19` to choose the others), every
//! output described, run with the recording host and compared structurally
//! (`linkcheck_gen::diff_linkers`). A divergence the policy
//! (corpus/policy.toml: allowed differences, quirks refld re-links under,
//! known bugs) does not explain fails the run; the set is saved as a
//! corpus case under
//! fuzz/artifacts/diff_linkers/cases/ for `linkcheck reduce`.
//!
//! With `DIFF_LINKERS_DYNAMIC=1` the bytes are drawn into a C program
//! instead (`linkcheck_gen::equivalence::PicProgram`), compiled with
//! `-fPIC` and linked as a `-pie` main module plus `-shared` side modules
//! by every linker, each run under the project's loader; a finding is saved
//! as a corpus case folder (C sources and `[[side_module]]`s).
//!
//! Every 200 sets the run prints its rate, the check's time per set and
//! the external linker processes' (summed; they run concurrently). The
//! README's benchmark is `bench_diff` (tests/src/bin), uninstrumented.
//!
//! The policy is the built-in copy of corpus/policy.toml, and each linker
//! of `DIFF_LINKERS` is found as `refld_fuzz` (fuzz/src/lib.rs) says: a
//! `NAME=COMMAND`, else `linkers/NAME/wasm-ld` beside this executable (what
//! `.clusterfuzzlite/build.sh` bundles into `$OUT`), else
//! `linkcheck_core::discover` (rust-lld from `rustc --print sysroot`,
//! `wasm-ld-N` on `PATH`, Wild in `$HOME/.cache/refld/wild`). The first line
//! the target prints names each linker and its program.
//! Run: `cargo fuzz run -s none diff_linkers -- -max_total_time=600`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use linkcheck_gen::diff_linkers::{Harness, DEFAULT_LINKERS};
use linkcheck_gen::equivalence::PicProgram;
use linkcheck_gen::object_set::ObjectSet;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

fn harness() -> &'static Mutex<(Harness, Instant)> {
    static HARNESS: OnceLock<Mutex<(Harness, Instant)>> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let chosen = std::env::var("DIFF_LINKERS").ok();
        let others: Vec<&str> = match &chosen {
            Some(list) => list.split(',').collect(),
            None => DEFAULT_LINKERS.to_vec(),
        };
        let linkers = refld_fuzz::reference_and(&others).unwrap_or_else(|e| panic!("diff_linkers: {e}"));
        let described: Vec<String> = linkers.iter().map(refld_fuzz::describe).collect();
        // Findings are saved as corpus cases when the source tree is here.
        let save = refld_fuzz::artifacts_dir("diff_linkers").map(|d| d.join("cases"));
        let h = Harness::with_linkers(linkers, refld_fuzz::policy(), save).unwrap_or_else(|e| panic!("diff_linkers: {e}"));
        eprintln!("diff_linkers: comparing {}", described.join(", "));
        Mutex::new((h, Instant::now()))
    })
}

fn dynamic() -> bool {
    static DYNAMIC: OnceLock<bool> = OnceLock::new();
    *DYNAMIC.get_or_init(|| std::env::var_os("DIFF_LINKERS_DYNAMIC").is_some())
}

fuzz_target!(|data: &[u8]| {
    let mut guard = harness().lock().unwrap_or_else(|e| e.into_inner());
    let (h, started) = &mut *guard;
    let checked = if dynamic() {
        h.check_program(&PicProgram::from_bytes(data)).map(drop)
    } else {
        h.check_set(&ObjectSet::from_bytes(data)).map(drop)
    };
    if let Err(finding) = checked {
        panic!("{finding}");
    }
    let s = &h.stats;
    if s.sets % 200 == 0 {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "diff_linkers: {} sets, {:.1} sets/s; {:.1} ms of check per set, {:.1} ms of external linkers (summed, concurrent); check/linkers {:+.0}%; {} known-bug differences ({} by quirks)",
            s.sets,
            s.sets as f64 / secs,
            1000.0 * s.total.as_secs_f64() / s.sets as f64,
            1000.0 * s.external.as_secs_f64() / s.sets as f64,
            100.0 * s.overhead(),
            s.known,
            s.by_quirks
        );
    }
});
