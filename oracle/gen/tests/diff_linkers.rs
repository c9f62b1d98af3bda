//! The differential harness of the `diff_linkers` fuzz target
//! (`linkcheck_gen::diff_linkers`): known-bug matching, agreement of refld and
//! rust-lld on generated sets, and a finding from a linker that really
//! differs, saved as a case `linkcheck reduce` can read.

use linkcheck_core::casefile::read_case;
use linkcheck_gen::diff_linkers::{parse_known, Harness, KnownBug, Unsupported};
use linkcheck_gen::object_set::ObjectSet;
use linkcheck_core::linker::Linker;
use std::path::Path;

/// The property suite's family of byte streams.

fn bug(key: &str, left: &str, right: &str) -> KnownBug {
    KnownBug { linker: "wild".into(), key: key.into(), left: left.into(), right: right.into(), note: "n".into() }
}

#[test]
fn known_bugs_match_by_linker_key_and_values() {
    let b = bug("outcome", "rejected", "linked");
    assert!(b.matches("wild", "outcome", "rejected", "linked"));
    assert!(!b.matches("rust-lld", "outcome", "rejected", "linked"));
    assert!(!b.matches("wild", "outcome", "linked", "rejected"));
    let p = bug("func.*", "*", "*");
    assert!(p.matches("wild", "func.f1.body", "x", "y"));
    assert!(!p.matches("wild", "data.d0", "x", "y"));
    let w = bug("func.*.command_export", "*.command_export", "*");
    assert!(w.matches("wild", "func.f0.command_export", "f0.command_export", "(absent)"));
    assert!(!w.matches("wild", "func.f0.body", "f0.command_export", "(absent)"));
    assert!(!w.matches("wild", "func.f0.command_export", "f0", "(absent)"));
    assert!(linkcheck_core::allow::glob("a*b*c", "aXbYc") && !linkcheck_core::allow::glob("a*b*c", "aXc"));
    assert!(linkcheck_core::allow::glob("ab", "ab") && !linkcheck_core::allow::glob("ab", "abc"));
}

#[test]
fn unsupported_options_match_whole_options() {
    let u = Unsupported { linker: "wild".into(), option: "--export-all".into(), note: "n".into() };
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(u.used_by(&args(&["a.o", "--export-all"])));
    assert!(!u.used_by(&args(&["--export-allx", "--export=f"])));
    let v = Unsupported { linker: "wild".into(), option: "--unresolved-symbols".into(), note: "n".into() };
    assert!(v.used_by(&args(&["--unresolved-symbols=ignore-all"])));
}

#[test]
fn the_fuzz_targets_known_bug_file_parses_and_names_existing_notes() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/known.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let known = parse_known(&path, &text).unwrap();
    assert!(!known.known.is_empty() && !known.unsupported.is_empty());
    let notes = known.known.iter().map(|k| &k.note).chain(known.unsupported.iter().map(|u| &u.note));
    for note_dir in notes {
        let note = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(note_dir).join("NOTE.md");
        assert!(note.is_file(), "{} names {note_dir}, which has no NOTE.md", path.display());
    }
    assert!(parse_known(&path, "[[known]]\nlinker = 1\n").is_err());
}

/// refld and rust-lld (wasm-ld 22) agree on generated sets: outcome,
/// diagnostics, structure and runs (the first 24 of the property suite's
/// streams; each difference found this way was a refld bug, now fixed),
/// except where fuzz/known.toml lists a bug of rust-lld.
#[test]
fn refld_and_rust_lld_agree_on_generated_sets() {
    // rust-lld's own known bugs (fuzz/known.toml: SIG-LAZY) are not counted.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/known.toml");
    let known = parse_known(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut h = Harness::new(&["rust-lld"], known, None).expect("rust-lld (scripts/setup.sh installs the toolchain)");
    for i in 0..24 {
        let set = ObjectSet::from_bytes(&linkcheck_gen::object_set::fixed_stream(i));
        if let Err(f) = h.check_set(&set) {
            panic!("stream {i}: {f}\nset {set:?}");
        }
    }
    assert_eq!(h.stats.sets, 24);
    assert!(h.stats.external > std::time::Duration::ZERO && h.stats.total > h.stats.external);
}

/// A "linker" that is rust-lld plus `--export-all`: its outputs export
/// more than refld's, which the harness must report and save.
#[test]
fn a_real_difference_is_a_finding_with_a_saved_case() {
    let rust_lld = match Linker::rust_lld().unwrap() {
        Linker::External { program, .. } => program,
        Linker::Reference => unreachable!(),
    };
    let exporting = Linker::External { name: "lld-export-all".into(), program: rust_lld, leading_args: vec!["--export-all".into()] };
    let saved = tempfile::tempdir().unwrap();
    let mut h = Harness::with_linkers(vec![Linker::Reference, exporting], Default::default(), Some(saved.path().to_path_buf())).unwrap();
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
}
