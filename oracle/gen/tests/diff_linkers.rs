//! The differential harness of the `diff_linkers` fuzz target
//! (`linkcheck_gen::diff_linkers`): agreement of refld and rust-lld on
//! generated sets (rust-lld's known bugs explained by the policy), and a
//! finding from a linker that really differs, saved as a case `linkcheck
//! reduce` can read, which no quirk explains.

use linkcheck_core::casefile::read_case;
use linkcheck_core::policy::{Policy, QuirkEntry};
use linkcheck_gen::diff_linkers::Harness;
use linkcheck_gen::object_set::ObjectSet;
use linkcheck_core::linker::Linker;

/// refld and rust-lld (wasm-ld 22) agree on generated sets: outcome,
/// diagnostics, structure and runs (the first 24 of the property suite's
/// streams; each difference found this way was a refld bug, now fixed),
/// except where the policy explains a bug of rust-lld.
#[test]
fn refld_and_rust_lld_agree_on_generated_sets() {
    let mut h = Harness::new(&["rust-lld"], Policy::embedded().clone(), None).expect("rust-lld (scripts/setup.sh installs the toolchain)");
    for i in 0..24 {
        let set = ObjectSet::from_bytes(&linkcheck_gen::object_set::fixed_stream(i));
        if let Err(f) = h.check_set(&set) {
            panic!("stream {i}: {f}\nset {set:?}");
        }
    }
    assert_eq!(h.stats.sets, 24);
    assert!(h.stats.external > std::time::Duration::ZERO && h.stats.total > h.stats.external);
}

/// Checks the first `n` fixed streams, each set changed by `shape`, with
/// refld and `linkers`; panics on the first divergence the policy does not
/// explain.
fn linkers_agree(linkers: &[&str], n: u32, shape: impl Fn(ObjectSet) -> ObjectSet) {
    let mut h = Harness::new(linkers, Policy::embedded().clone(), None).expect("rust-lld and wasm-ld-19/22 (scripts/setup.sh installs them)");
    for i in 0..n {
        let set = shape(ObjectSet::from_bytes(&linkcheck_gen::object_set::fixed_stream(i)));
        if let Err(f) = h.check_set(&set) {
            panic!("stream {i}: {f}\nset {set:?}");
        }
    }
    assert_eq!(h.stats.sets, n as u64);
}

/// The same for shared-memory sets (`--shared-memory`, objects using
/// atomics and bulk-memory: passive segments, `__wasm_init_memory`), with
/// wasm-ld 19 and 22 too: the property suite's first streams, each drawn
/// with shared memory.
#[test]
fn linkers_agree_on_shared_memory_sets() {
    linkers_agree(&["rust-lld", "wasm-ld-19", "wasm-ld-22"], 48, |set| {
        let set = ObjectSet { shared_memory: true, wasm64: false, ..set };
        assert!(set.args().contains(&"--shared-memory".to_string()));
        set
    });
}

/// The same for wasm64 sets (`-m wasm64`, memory64 objects with 64-bit
/// address and table-index relocations, SIXTYFOUR-*), run in wasmtime
/// with memory64.
#[test]
fn linkers_agree_on_wasm64_sets() {
    linkers_agree(&["rust-lld", "wasm-ld-19", "wasm-ld-22"], 48, |set| {
        let set = ObjectSet { wasm64: true, shared_memory: false, ..set };
        assert!(set.args().windows(2).any(|w| w == ["-m", "wasm64"]));
        set
    });
}

/// The same for two-step links (REL-OUT): each linker links the first
/// plain objects with `-r`, then its own output with the rest; the final
/// programs are compared and run. wasm-ld 19 only from LLVM 19 on, as
/// `-r` outputs carry the objects' features.
#[test]
fn linkers_agree_on_two_step_links() {
    linkers_agree(&["rust-lld", "wasm-ld-19", "wasm-ld-22"], 48, |set| {
        let set = ObjectSet { relocatable_first: 1 + (set.files.len() % 2) as u8, ..set };
        let case = set.to_case();
        if case.objects.is_empty() {
            assert!(case.side_modules.is_empty());
        } else {
            assert_eq!(case.side_modules[0].args[0], "-r");
            assert!(case.args.contains(&"part.o".to_string()));
        }
        set
    });
}

/// A "linker" that is rust-lld plus `--export-all`: its outputs export
/// more than refld's, which the harness must report and save, even with
/// all of wasm-ld's quirks given to it (refld under them still exports
/// less).
#[test]
fn a_real_difference_is_a_finding_with_a_saved_case() {
    let rust_lld = match Linker::rust_lld().unwrap() {
        Linker::External { program, .. } => program,
        Linker::Reference | Linker::Zig { .. } => unreachable!(),
    };
    let exporting = Linker::External { name: "lld-export-all".into(), program: rust_lld, leading_args: vec!["--export-all".into()] };
    let saved = tempfile::tempdir().unwrap();
    let quirks = refld::quirks::QUIRKS
        .iter()
        .map(|q| QuirkEntry { linker: "lld-export-all".into(), quirk: q.name.into(), note: "found/none".into() })
        .collect();
    let policy = Policy { quirks, ..Policy::default() };
    let mut h = Harness::with_linkers(vec![Linker::Reference, exporting], policy, Some(saved.path().to_path_buf())).unwrap();
    let finding = (0..64)
        .filter_map(|i| {
            let set = ObjectSet::from_bytes(&linkcheck_gen::object_set::fixed_stream(i));
            // Sets refld links without --export-all: their exports differ.
            if set.export_all || linkcheck_gen::props::link_set(&set).is_err() { None } else { h.check_set(&set).err() }
        })
        .next()
        .expect("some set links and differs in its exports");
    assert_eq!(finding.linker, "lld-export-all");
    assert!(finding.key.starts_with("export."), "{finding}");
    let dir = finding.saved.clone().expect("the case was saved");
    let case = read_case(&dir).unwrap();
    let d = case.divergence.expect("the divergence is recorded");
    assert_eq!(d.key, finding.key);
    assert_eq!(d.linkers, vec!["refld".to_string(), "lld-export-all".to_string()]);
    assert_eq!(h.stats.by_quirks, 0, "no quirk exports everything");
}
