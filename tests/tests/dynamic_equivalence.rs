//! Static-vs-dynamic equivalence (`linkcheck_gen::equivalence`): a C
//! program compiled once with `-fPIC`, linked once statically and once as
//! a `-pie` main module plus `-shared` side modules, behaves the same under
//! the project's loader (`linkcheck_core::run::loader`): the same calls
//! give the same results with the same host calls. Checked for refld and
//! for rust-lld (wasm-ld 22) on drawn programs, and on one program that
//! uses every kind of reference across three modules.

use linkcheck_core::linker::Linker;
use linkcheck_core::run::Runner;
use linkcheck_gen::equivalence::check::{check_equivalence, Checked};
use linkcheck_gen::equivalence::{Data, Func, PicProgram, Use};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    let cases = std::env::var("EQUIVALENCE_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(24);
    let seed = std::env::var("PROPERTY_SEED").ok().and_then(|c| c.parse().ok()).unwrap_or(5);
    ProptestConfig {
        cases,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(seed),
        ..ProptestConfig::default()
    }
}

fn linkers() -> Vec<Linker> {
    vec![Linker::Reference, Linker::rust_lld().expect("rust-lld (rustup's wasm-ld 22) is installed")]
}

/// Every kind of use across three modules: calls and calls through
/// pointers in data from side modules into the main module and back,
/// loads and stores of another module's data, pointers to data in data,
/// hidden symbols used in their own module, host calls.
fn every_use() -> PicProgram {
    let f = |module: u8, hidden: bool, constant: i8, uses: Vec<Use>| Func { module, hidden, constant, uses };
    PicProgram {
        modules: 2,
        funcs: vec![
            f(0, false, 1, vec![Use::Load(0), Use::Host(0)]),
            f(1, true, 2, vec![Use::Call(0), Use::Store(1), Use::LoadThroughPointer(0)]),
            f(1, false, 3, vec![Use::Call(1), Use::CallThroughPointer(0), Use::Load(1)]),
            f(2, false, 4, vec![Use::CallThroughPointer(2), Use::Store(0), Use::Host(1), Use::LoadThroughPointer(2)]),
            f(0, false, 5, vec![Use::Call(3), Use::CallThroughPointer(2), Use::Load(0), Use::Load(2)]),
        ],
        data: vec![
            Data { module: 1, hidden: false, value: 10 },
            Data { module: 1, hidden: true, value: 20 },
            Data { module: 0, hidden: false, value: 30 },
        ],
    }
}

#[test]
fn a_program_using_every_reference_kind_runs_alike_both_ways() {
    let program = every_use();
    assert_eq!(program.normalized(), program, "the program is already normal");
    assert_eq!(program.called(), ["f0", "f2", "f3", "f4"]);
    let runner = Runner::new().expect("wasmtime");
    for linker in linkers() {
        match check_equivalence(&program, &linker, &runner) {
            Ok(Checked::Same { calls, returned, host_calls }) => {
                assert_eq!((calls, returned), (4, 4), "{}: every call returns", linker.name());
                assert!(host_calls >= 2, "{}: f0 and f3 call the host", linker.name());
            }
            Ok(Checked::LinkFailed(why)) => panic!("{}: a link failed: {why}", linker.name()),
            Err(d) => panic!("{d}"),
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// The property: every drawn program links both ways with refld and
    /// rust-lld and runs alike.
    #[test]
    fn static_and_dynamic_links_behave_the_same(b in proptest::collection::vec(any::<u8>(), 0..300)) {
        let program = PicProgram::from_bytes(&b);
        let runner = Runner::new().expect("wasmtime");
        for linker in linkers() {
            match check_equivalence(&program, &linker, &runner) {
                Ok(Checked::Same { .. }) => {}
                Ok(Checked::LinkFailed(why)) => prop_assert!(false, "{}: a link failed: {why}", linker.name()),
                Err(d) => prop_assert!(false, "{d}"),
            }
        }
    }
}

/// The differential harness on a dynamic link (`DIFF_LINKERS_DYNAMIC`):
/// the program of every reference kind, linked by refld, rust-lld,
/// wasm-ld-19 and wasm-ld-22 as a main module and two side modules, run
/// under the loader: every difference allowed or known.
#[test]
fn linkers_agree_on_the_dynamic_link_of_a_program() {
    let policy_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus/policy.toml");
    let policy = linkcheck_core::policy::Policy::load(&policy_path).expect("corpus/policy.toml");
    let mut h = linkcheck_gen::diff_linkers::Harness::new(&["rust-lld", "wasm-ld-19", "wasm-ld-22"], policy, None)
        .expect("the linkers are installed (scripts/setup.sh)");
    let report = h.check_program(&every_use()).unwrap_or_else(|f| panic!("{f}"));
    assert_eq!(report.linkers.len(), 4);
    for l in &report.linkers {
        assert_eq!(l.side_modules.len(), 2, "{}: two side modules", l.name);
        let run = l.run.as_ref().expect("the main module ran");
        assert_eq!(run.trap, None, "{}: {:?}", l.name, run.message);
        assert!(run.calls.iter().any(|c| c.name == "f4" && c.result.starts_with('(')), "{}: f4 returns: {:?}", l.name, run.calls);
    }
}
