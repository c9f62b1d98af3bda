//! Property tests over generated object sets (`linkcheck_gen::object_set`): arbitrary
//! bytes -> `ObjectSet` (collision-biased names, bindings, archives,
//! constructors) -> objects + command line -> refld (in memory).
//!
//! Each property runs a bounded number of cases; the doc comment of each
//! names the SPEC rules it checks.

#[path = "rules/support.rs"]
#[allow(unused_imports)]
mod support;

use std::collections::BTreeSet;

use linkcheck_gen::object_set::ObjectSet;
use proptest::prelude::*;
use support::*;
use testkit::validate_all_features;

/// A fixed seed (`PROPERTY_SEED=N` for another), so a run is reproducible.
fn seed() -> u64 {
    std::env::var("PROPERTY_SEED").ok().and_then(|c| c.parse().ok()).unwrap_or(5)
}

/// Sets the properties cannot judge because of wasm-ld's own signature
/// rules (the refld bugs this filter once hid are fixed, see the regression
/// tests at the end; the name stays for its callers):
/// - an `--export`ed name used with two signatures: wasm-ld exports nothing
///   for a name whose primary symbol became a `signature_mismatch` stub
///   (SIG-EXPORT), so "exactly the requested exports" need not hold;
/// - rust-lld's own output does not validate: wasm-ld checks no signature
///   when an archive member's definition replaces a lazy symbol (SIG-LAZY),
///   so its run results cannot be compared. rust-lld runs only for the sets
///   where that can happen: a name defined in an archive member and called
///   directly, with the other signature, by a file that does not define it.
fn known_signature_bug(set: &ObjectSet) -> bool {
    use linkcheck_gen::object_set::{Binding, NItem, NUse};
    if linkcheck_gen::props::export_has_two_signatures(set) {
        return true;
    }
    let files = set.files();
    let calls = |f: &linkcheck_gen::object_set::NFile, j: usize| {
        f.items.iter().any(|i| match i {
            NItem::Func { uses, .. } => uses.contains(&NUse::Call(j)),
            NItem::Ctor { callee, .. } => *callee == j,
            NItem::Data { .. } => false,
        })
    };
    let lazy_mismatch = files.iter().filter(|m| m.member).any(|m| {
        m.items.iter().any(|i| match i {
            NItem::Func { name, binding, sig2, .. } if *binding != Binding::Local => {
                files.iter().any(|f| !f.defines_func(*name) && calls(f, *name) && f.attrs(*name).sig2 != *sig2)
            }
            _ => false,
        })
    });
    if !lazy_mismatch {
        return false;
    }
    let l = set.lower();
    let args: Vec<&str> = l.args.iter().map(String::as_str).collect();
    rust_lld(&inputs(&l), &args).bytes.is_some_and(|b| validate_all_features(&b).is_err())
}

/// 64 cases per property (`PROPERTY_CASES=N` for more).
fn config() -> ProptestConfig {
    ProptestConfig { cases: std::env::var("PROPERTY_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64), failure_persistence: None, max_global_rejects: 100_000, rng_seed: proptest::test_runner::RngSeed::Fixed(seed()), ..ProptestConfig::default() }
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..400)
}

fn inputs(l: &linkcheck_gen::object_set::Lowered) -> Vec<Input<'_>> {
    l.inputs.iter().map(|(n, b)| (n.as_str(), b.clone())).collect()
}

fn refld(set: &ObjectSet) -> Result<Linked, LinkError> {
    let l = set.lower();
    let args: Vec<&str> = l.args.iter().map(String::as_str).collect();
    link(&inputs(&l), &args)
}

/// Function imports of an output: (module, field, number of params == 2).
fn func_imports(bytes: &[u8]) -> BTreeSet<(String, String, bool)> {
    use wasmparser::{Parser, Payload, TypeRef};
    let mut types = Vec::new();
    let mut out = BTreeSet::new();
    for p in Parser::new(0).parse_all(bytes) {
        match p.unwrap() {
            Payload::TypeSection(r) => {
                for t in r.into_iter_err_on_gc_types() {
                    types.push(t.unwrap().params().len());
                }
            }
            Payload::ImportSection(r) => {
                for i in r.into_imports() {
                    let i = i.unwrap();
                    if let TypeRef::Func(t) = i.ty {
                        out.insert((i.module.to_string(), i.name.to_string(), types[t as usize] == 2));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The observable outcome: success, diagnostics, imports, exports and the
/// results of calling every requested export with 3.
/// (success, diagnostics, imports, exports, export call results).
type Outcome = (bool, Vec<Msg>, Vec<(String, String, &'static str)>, Vec<String>, Vec<Result<i32, String>>);

fn outcome(set: &ObjectSet, r: &Result<Linked, LinkError>) -> Outcome {
    let msgs = refld_messages(r);
    match r {
        Ok(l) => {
            let s = summary(&l.bytes);
            let mut imports = s.imports.clone();
            imports.sort();
            // wasmtime's linker cannot provide one (module, field) twice
            // (imports of different types stay distinct, UND-DEDUP).
            let distinct: BTreeSet<(&str, &str)> = s.imports.iter().map(|i| (i.0.as_str(), i.1.as_str())).collect();
            if distinct.len() != s.imports.len() {
                return (true, msgs, imports, s.export_names(), Vec::new());
            }
            let names: Vec<String> = set.export_names().into_iter().filter(|e| s.exports.iter().any(|x| &x.0 == e && x.1 == "func")).collect();
            let calls: Vec<(&str, &[i32])> = names.iter().map(|e| (e.as_str(), &[3][..])).collect();
            (true, msgs, imports, s.export_names(), run_calls(&l.bytes, &calls))
        }
        Err(_) => (false, msgs, Vec::new(), Vec::new(), Vec::new()),
    }
}

/// Runs the in-process property `name` of `linkcheck_gen::props` (the same
/// code the `reference_properties` fuzz target runs) on one set.
fn holds(name: &str, set: &ObjectSet) -> Result<(), TestCaseError> {
    match linkcheck_gen::props::check_one(name, set).expect("a property of linkcheck_gen::props") {
        Ok(_) => Ok(()),
        Err(f) => Err(TestCaseError::fail(f.to_string())),
    }
}

proptest! {
    #![proptest_config(config())]

    /// OUT-VALID: every successful link of a generated set validates with
    /// all features enabled.
    #[test]
    fn successful_outputs_validate(b in bytes()) {
        let set = ObjectSet::from_bytes(&b);
        prop_assume!(!known_signature_bug(&set));
        holds("successful_outputs_validate", &set)?;
    }

    /// OUT-VALID (determinism): the same inputs and arguments give the same bytes
    /// and the same diagnostics.
    #[test]
    fn same_inputs_same_bytes(b in bytes()) {
        holds("same_inputs_same_bytes", &ObjectSet::from_bytes(&b))?;
    }

    /// SYM-1, SYM-2, SYM-3, SYM-6, SYM-7, AR-1: the outcome (success,
    /// diagnostics, imports, exports, defined functions) does not depend on
    /// the order of the plain objects, provided no name has two non-local
    /// definitions among them, no data symbol is named like a function, and
    /// all references to a name agree on signature, import module and
    /// import name (UND-MODULE and UND-NAME are order dependent by design).
    /// The archive stays last. Here the exports are also called (with 3) in
    /// both outputs and must give the same results.
    #[test]
    fn object_order_does_not_matter(b in bytes()) {
        let set = ObjectSet::from_bytes(&b);
        prop_assume!(set.order_independent());
        holds("object_order_does_not_matter", &set)?;
        let files = set.files();
        let (objs, mems): (Vec<_>, Vec<_>) = files.iter().cloned().partition(|f| !f.member);
        let rev: Vec<_> = objs.into_iter().rev().chain(mems).collect();
        let (a, z) = (set.lower_files(&files), set.lower_files(&rev));
        let args: Vec<&str> = a.args.iter().map(String::as_str).collect();
        let (ra, rz) = (link(&inputs(&a), &args), link(&inputs(&z), &args));
        prop_assert_eq!(outcome(&set, &ra), outcome(&set, &rz), "set: {:?}", set);
    }

    /// UND-IMPORT, UND-DEDUP, UND-WEAK, GC-1..GC-4: under `--allow-undefined`
    /// the function imports are exactly the live, undefined, non-weak
    /// function names of the model's resolution, one per (module, field,
    /// type). Precondition: no kind clash, references agree, no duplicate,
    /// every `--export` defined.
    #[test]
    fn imports_are_live_strong_undefined_functions(b in bytes()) {
        holds("imports_are_live_strong_undefined_functions", &ObjectSet::from_bytes(&b))?;
    }

    /// EXP-2: without `--export-all` (and under the default policy, where an
    /// `--export` of a missing symbol fails the link) the exports are exactly
    /// the `--export` names and `memory`.
    #[test]
    fn exports_are_the_requested_ones(b in bytes()) {
        let set = ObjectSet::from_bytes(&b);
        prop_assume!(!known_signature_bug(&set));
        holds("exports_are_the_requested_ones", &set)?;
    }

    /// GC-1, GC-2, GC-3, GC-4: the pool functions named in the name section
    /// are exactly the live definitions of the model's resolution.
    /// Precondition: no kind clash, references agree, no duplicate.
    #[test]
    fn gc_keeps_exactly_the_reachable_functions(b in bytes()) {
        holds("gc_keeps_exactly_the_reachable_functions", &ObjectSet::from_bytes(&b))?;
    }
}

/// Every property of `linkcheck_gen::props` has a proptest of its name here
/// (the list above is complete).
#[test]
fn every_library_property_is_tested() {
    let source = include_str!("properties.rs");
    for p in linkcheck_gen::props::PROPERTIES {
        assert!(source.contains(&format!("fn {}(b in bytes())", p.name)), "no proptest runs {}", p.name);
    }
}

fn run_exports(set: &ObjectSet, bytes: &[u8]) -> Vec<Result<i32, String>> {
    let s = summary(bytes);
    let distinct: BTreeSet<(&str, &str)> = s.imports.iter().map(|i| (i.0.as_str(), i.1.as_str())).collect();
    if distinct.len() != s.imports.len() {
        return Vec::new();
    }
    let names: Vec<String> = set.export_names().into_iter().filter(|e| s.exports.iter().any(|x| &x.0 == e && x.1 == "func")).collect();
    let calls: Vec<(&str, &[i32])> = names.iter().map(|e| (e.as_str(), &[7][..])).collect();
    run_calls(bytes, &calls)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: config().cases / 2, ..config() })]

    /// SYM-1..SYM-3, SYM-6, SYM-7, UND-WEAK-FUNC, INIT-1 (every relocation
    /// site holds the value of the definition resolution chose, checked
    /// through behaviour): refld and rust-lld (wasm-ld 22) agree on success
    /// and, when both link, every requested export called with 7 gives the
    /// same value or the same trap. Preconditions: none of the sets
    /// `known_signature_bug` names, no `--export` of an undefined name.
    #[test]
    fn exports_compute_what_rust_lld_computes(b in bytes()) {
        let set = ObjectSet::from_bytes(&b);
        prop_assume!(!known_signature_bug(&set) && exports_defined(&set));
        // Excluded: a data symbol named like a function (a file can then
        // hold a data definition and a function reference of one name,
        // which rust-lld rejects as `duplicate symbol name` while reading).
        prop_assume!(!set.has_kind_clash());
        let l = set.lower();
        let args: Vec<&str> = l.args.iter().map(String::as_str).collect();
        let r = link(&inputs(&l), &args);
        let lld = rust_lld(&inputs(&l), &args);
        prop_assert_eq!(r.is_ok(), lld.ok, "refld {:?}\nrust-lld {}\nset: {:?}", refld_messages(&r), lld.stderr, set);
        if let (Ok(r), Some(b)) = (r, lld.bytes) {
            prop_assert_eq!(run_exports(&set, &r.bytes), run_exports(&set, &b), "set: {:?}", set);
        }
    }
}

/// A linker: inputs and arguments to the output, `None` when it fails.
type LinkBytes = dyn Fn(&[Input<'_>], &[&str]) -> Option<Vec<u8>>;

/// The two-step link of a lowered set: its first `k` plain objects
/// (at least one, at most all) linked with `-r` into `part.o` by `linker`,
/// which then links `part.o`, the other objects and the archive with the
/// set's arguments. `None` when the `-r` link fails.
fn two_step(l: &linkcheck_gen::object_set::Lowered, k: usize, linker: &LinkBytes) -> Option<Option<Vec<u8>>> {
    let all = inputs(l);
    let plain = all.iter().take_while(|(n, _)| !n.ends_with(".a")).count();
    let k = k.clamp(1, plain.max(1));
    // SIXTYFOUR-MACHINE: wasm64 objects need `-m wasm64` in each step.
    let machine: &[&str] = if l.args.iter().any(|a| a == "wasm64") { &["-m", "wasm64"] } else { &[] };
    let r_args: Vec<&str> = ["-r", "-o", "part.o"].into_iter().chain(machine.iter().copied()).collect();
    let part = linker(&all[..k], &r_args)?;
    let mut rest: Vec<Input<'_>> = vec![("part.o", part)];
    rest.extend(all[k..].iter().cloned());
    let args: Vec<&str> = l.args.iter().map(String::as_str).collect();
    Some(linker(&rest, &args))
}

/// The module without its `name` section: rust-lld's final link of a
/// `-r` output in which a weak definition lost (its function keeps a
/// name-section name but no symbol) writes a malformed one (wasm-ld 22
/// counts the functions its input name sections name but writes only
/// those with symbols, measured), which the comparison does not need.
fn without_names(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes[..8.min(bytes.len())].to_vec();
    let mut at = 8;
    while at < bytes.len() {
        let start = at;
        at += 1;
        let (mut size, mut shift) = (0usize, 0);
        while let Some(&b) = bytes.get(at) {
            at += 1;
            size |= ((b & 0x7f) as usize) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                break;
            }
        }
        let end = (at + size).min(bytes.len());
        let is_name = bytes[start] == 0 && bytes.get(at) == Some(&4) && bytes.get(at + 1..at + 5) == Some(&b"name"[..]);
        if !is_name {
            out.extend_from_slice(&bytes[start..end]);
        }
        at = end;
    }
    out
}

fn refld_bytes(objs: &[Input<'_>], args: &[&str]) -> Option<Vec<u8>> {
    link(objs, args).ok().map(|l| l.bytes)
}

fn rust_lld_bytes(objs: &[Input<'_>], args: &[&str]) -> Option<Vec<u8>> {
    rust_lld(objs, args).bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: config().cases / 2, ..config() })]

    /// REL-OUT-ACCEPTED: split a generated set, link its first plain
    /// objects with `-r`, then link that output with the rest: for refld
    /// and for rust-lld (wasm-ld 22) alike, when the one-step link
    /// succeeds the `-r` link and the final link succeed, and every
    /// requested export called with 7 gives what the one-step link's gives.
    /// Preconditions: as `exports_compute_what_rust_lld_computes`, and all
    /// references and definitions of a name agree (`references_agree`).
    #[test]
    fn relocatable_output_links_like_its_inputs(b in bytes(), k in 1usize..5) {
        let set = ObjectSet::from_bytes(&b);
        // SIG-1 stubs: a name with two signatures is left out (covered by
        // rules::relocatable_signature_stub_is_a_local_symbol).
        prop_assume!(!known_signature_bug(&set) && exports_defined(&set) && !set.has_kind_clash() && set.references_agree());
        let l = set.lower();
        prop_assume!(l.inputs.first().is_some_and(|(n, _)| !n.ends_with(".a")), "no plain object to link with -r");
        let args: Vec<&str> = l.args.iter().map(String::as_str).collect();
        for (name, linker) in [("refld", &refld_bytes as &dyn Fn(&[Input<'_>], &[&str]) -> Option<Vec<u8>>), ("rust-lld", &rust_lld_bytes)] {
            let Some(one) = linker(&inputs(&l), &args) else { continue };
            let two = two_step(&l, k, linker);
            prop_assert!(two.is_some(), "{}: -r failed; set: {:?}", name, set);
            let two = two.flatten();
            prop_assert!(two.is_some(), "{}: the final link failed; set: {:?}", name, set);
            prop_assert_eq!(run_exports(&set, &without_names(&one)), run_exports(&set, &without_names(&two.unwrap())), "{} k={}: set: {:?}", name, k, set);
        }
    }
}

use linkcheck_gen::props::exports_defined;

/// Every generated input object validates as a module (the generator's own check).
#[test]
fn generated_objects_validate() {
    for seed in 0..200u32 {
        let b: Vec<u8> = (0..400u32).map(|i| (i.wrapping_mul(2654435761).wrapping_add(seed.wrapping_mul(40503)) >> 13) as u8).collect();
        let set = ObjectSet::from_bytes(&b);
        for f in set.files() {
            for wasm64 in [false, true] {
                let m = linkcheck_gen::object_set::lower_file(&f, wasm64);
                let o = linkcheck_object::encode(&m);
                assert_eq!(validate_all_features(&o), Ok(()), "{f:?}\n{}", linkcheck_object::dump(&m));
            }
        }
    }
}


/// The generator is useful: a fair share of sets link, and some of those
/// meet the preconditions of the model-based properties.
#[test]
fn generator_reaches_successful_links() {
    let (mut ok, mut modelled, mut archives, mut rich) = (0, 0, 0, 0);
    for seed in 0..200u32 {
        let set = ObjectSet::from_bytes(&linkcheck_gen::object_set::fixed_stream(seed));
        if refld(&set).is_ok() {
            ok += 1;
            if !set.has_kind_clash() && set.references_agree() && !set.resolve().duplicate {
                modelled += 1;
            }
            let items: usize = set.files().iter().map(|f| f.items.len()).sum();
            if items >= 3 && set.files().len() >= 2 {
                rich += 1;
            }
            if set.files().iter().any(|f| f.member) {
                archives += 1;
            }
        }
    }
    eprintln!("ok {ok} modelled {modelled} with archives {archives} rich {rich}");
    assert!(ok >= 40 && modelled >= 20 && archives >= 10, "ok {ok} modelled {modelled} archives {archives}");
}

/// Found by `imports_are_live_strong_undefined_functions`: under
/// `--allow-undefined`, `--export=f0` of an undefined function that only
/// dead code (an unexported local `f2`) takes the address of makes refld
/// import `env.f0`; rust-lld (wasm-ld 22) imports nothing (and exports
/// nothing but `memory`). Ignored until refld is fixed.
#[test]
fn undefined_export_referenced_by_dead_code_is_not_imported() {
    use linkcheck_gen::object_set::*;
    let set = ObjectSet {
        files: vec![FileModel {
            member: false,
            items: vec![Definition::Func { name: 2, binding: Binding::Local, sig2: false, constant: 1, uses: vec![Use::CallIndirect(0)] }],
            refs: vec![],
        }],
        exports: vec![0],
        policy: UndefinedFlag::AllowUndefined,
        no_gc: false,
        explicit_gc: false,
        export_all: false,
        shared_memory: false,
        wasm64: false,
        relocatable_first: 0,
    };
    let l = set.lower();
    let args: Vec<&str> = l.args.iter().map(String::as_str).collect();
    let r = link(&inputs(&l), &args).unwrap();
    assert_eq!(func_imports(&r.bytes), BTreeSet::new());
}

fn mismatch_set(ctor: bool, no_gc: bool) -> ObjectSet {
    use linkcheck_gen::object_set::*;
    let weak_user = if ctor {
        vec![Definition::Func { name: 0, binding: Binding::Weak, sig2: false, constant: 0, uses: vec![] }, Definition::Ctor { callee: 0, priority: 0 }]
    } else {
        vec![
            Definition::Func { name: 0, binding: Binding::Weak, sig2: false, constant: 0, uses: vec![] },
            Definition::Func { name: 1, binding: Binding::Strong, sig2: false, constant: 0, uses: vec![Use::Call(0)] },
        ]
    };
    ObjectSet {
        files: vec![
            FileModel { member: false, items: weak_user, refs: vec![] },
            FileModel {
                member: false,
                items: vec![Definition::Func { name: 0, binding: Binding::Hidden, sig2: true, constant: 0, uses: vec![] }],
                refs: vec![],
            },
        ],
        exports: if ctor { vec![] } else { vec![1] },
        policy: UndefinedFlag::Error,
        no_gc,
        explicit_gc: false,
        export_all: false,
        shared_memory: false,
        wasm64: false,
        relocatable_first: 0,
    }
}

/// Found by `exports_are_the_requested_ones` (OUT-VALID, SIG-1,
/// SIG-VARIANT): a weak `f0: (i32) -> i32` called directly (here by a
/// constructor) in its own file meets a strong `f0: (i32, i32) -> i32` of
/// a later file. wasm-ld keeps the first definition (the weak one) for the
/// call and makes the later one a `signature_mismatch:f0` stub, with a
/// warning; refld's output did not validate (the call went to the strong
/// definition). Now both agree and both outputs validate and run alike.
#[test]
fn weak_definition_replaced_by_other_signature_gives_valid_output() {
    for (ctor, no_gc) in [(true, true), (true, false), (false, true), (false, false)] {
        let set = mismatch_set(ctor, no_gc);
        let l = set.lower();
        let args: Vec<&str> = l.args.iter().map(String::as_str).collect();
        let (r, lld) = both(&inputs(&l), &args);
        let (r, b) = (r.expect("a warning only").bytes, lld.bytes.expect("rust-lld links"));
        assert_eq!((validate_all_features(&r), validate_all_features(&b)), (Ok(()), Ok(())), "ctor {ctor} no_gc {no_gc}");
        assert_eq!(run_exports(&set, &r), run_exports(&set, &b), "ctor {ctor} no_gc {no_gc}");
    }
}

/// Found by `exports_compute_what_rust_lld_computes` (UND-STUB-SLOT):
/// under `--warn-unresolved-symbols`, `f3` takes the address of the
/// undefined `f0` and calls it indirectly. rust-lld's output traps in the
/// trapping stub (`unreachable`: the address, met before any call, is a
/// table slot holding the stub); refld's trapped on an uninitialized table
/// element (table index 0).
#[test]
fn warn_unresolved_indirect_call_reaches_the_stub() {
    use linkcheck_gen::object_set::*;
    let set = ObjectSet {
        files: vec![FileModel {
            member: false,
            items: vec![Definition::Func { name: 3, binding: Binding::Strong, sig2: false, constant: 0, uses: vec![Use::CallIndirect(0)] }],
            refs: vec![],
        }],
        exports: vec![3],
        policy: UndefinedFlag::Warn,
        no_gc: false,
        explicit_gc: false,
        export_all: false,
        shared_memory: false,
        wasm64: false,
        relocatable_first: 0,
    };
    let l = set.lower();
    let args: Vec<&str> = l.args.iter().map(String::as_str).collect();
    let r = link(&inputs(&l), &args).unwrap();
    let lld = rust_lld(&inputs(&l), &args);
    assert_eq!(run_exports(&set, &r.bytes), run_exports(&set, &lld.bytes.unwrap()));
}

/// Found by `successful_outputs_validate` (UND-WEAK-FUNC, SIG-REPLACE):
/// the undefined weak `f0` is called indirectly as `(i32, i32) -> i32` in
/// one file and directly (by a constructor) as `(i32) -> i32` in another,
/// next to an undefined weak `f1` called directly; with `--export-all
/// --no-gc-sections` refld's output did not validate (its `undefined_weak`
/// stub took the first reference's signature, not the direct call's).
/// (The shrunk input as proptest left it.)
#[test]
fn undefined_weak_function_used_with_two_signatures_gives_valid_output() {
    use linkcheck_gen::object_set::*;
    let w2 = RefAttrs { weak: true, other_module: true, shared_field: true, sig2: true };
    let set = ObjectSet {
        files: vec![
            FileModel {
                member: false,
                items: vec![
                    Definition::Ctor { callee: 69, priority: 0 },
                    Definition::Func { name: 155, binding: Binding::Strong, sig2: true, constant: 0, uses: vec![Use::CallIndirect(0), Use::Call(112)] },
                    Definition::Func { name: 66, binding: Binding::Weak, sig2: false, constant: 0, uses: vec![Use::CallIndirect(0), Use::Call(1), Use::Call(83)] },
                ],
                refs: vec![RefAttrs { weak: true, other_module: false, shared_field: true, sig2: true }, w2, w2, w2, w2, w2],
            },
            FileModel {
                member: false,
                items: vec![Definition::Ctor { callee: 88, priority: 0 }],
                refs: vec![RefAttrs { weak: true, other_module: false, shared_field: true, sig2: false }, w2, w2, w2, w2, w2],
            },
        ],
        exports: vec![],
        policy: UndefinedFlag::Error,
        no_gc: true,
        explicit_gc: false,
        export_all: true,
        shared_memory: false,
        wasm64: false,
        relocatable_first: 0,
    };
    let l = set.lower();
    let args: Vec<&str> = l.args.iter().map(String::as_str).collect();
    let (r, lld) = both(&inputs(&l), &args);
    assert_eq!(validate_all_features(&lld.bytes.expect("rust-lld links")), Ok(()), "rust-lld's output");
    assert_eq!(validate_all_features(&r.expect("refld links").bytes), Ok(()));
}

/// Found by the `reference_properties` fuzz target (EXP-5): `--export=f3`
/// where `f3` is only called (by a constructor) through a weak reference
/// and defined nowhere.
/// wasm-ld links without error and without an export of `f3` (the weak
/// function has its `undefined_weak` stub); the property required the
/// export. refld was right; the property now leaves such names out.
#[test]
fn export_of_a_weakly_referenced_undefined_function_is_no_export() {
    use linkcheck_gen::object_set::*;
    let attrs = |weak| RefAttrs { weak, other_module: false, shared_field: false, sig2: false };
    let set = ObjectSet {
        files: vec![FileModel {
            member: false,
            items: vec![
                Definition::Func { name: 2, binding: Binding::Strong, sig2: false, constant: 0, uses: vec![] },
                Definition::Ctor { callee: 3, priority: 0 },
            ],
            refs: vec![attrs(false), attrs(false), attrs(false), attrs(true)],
        }],
        exports: vec![2, 3],
        policy: UndefinedFlag::Error,
        no_gc: false,
        explicit_gc: false,
        export_all: false,
        shared_memory: false,
        wasm64: false,
        relocatable_first: 0,
    };
    assert_eq!(set.export_names(), ["f2", "f3"]);
    let l = set.lower();
    let args: Vec<&str> = l.args.iter().map(String::as_str).collect();
    let (r, lld) = both(&inputs(&l), &args);
    let exports = |bytes: &[u8]| linkcheck_gen::props::facts(bytes).unwrap().exports;
    let lld_exports = exports(&lld.bytes.expect("rust-lld links"));
    assert_eq!(lld_exports, ["f2", "memory"], "rust-lld exports no f3");
    assert_eq!(exports(&r.expect("refld links").bytes), lld_exports);
    assert_eq!(
        linkcheck_gen::props::check_one("exports_are_the_requested_ones", &set),
        Some(Ok(linkcheck_gen::props::PropertyVerdict::Held))
    );
}
