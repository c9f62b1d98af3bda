//! Quirks (QUIRK-*): under `--quirk NAME` refld must do what the linker
//! the quirk was measured on does. Each case is one where refld (per
//! SPEC.md) and rust-lld (wasm-ld 22) differ; under the quirk refld's
//! diagnostics must be rust-lld's and its output rust-lld's section by
//! section (refld lays out exactly as wasm-ld 22 does), valid or not. The
//! hash-order quirks are held to Debian's wasm-ld 14, 16 and 19 as well.

use crate::signatures::{call_with, define_f0, one, run_calling_f0, strong_call_extracts_other_signature, two};
use crate::support::*;
use crate::symbols::data_named;

/// Links with refld under `quirk` and with rust-lld (without it); both
/// must give the same outcome, diagnostics and bytes. Returns the bytes
/// when they linked.
fn quirk_is_rust_lld(inputs: &[Input<'_>], args: &[&str], quirk: &str) -> Option<Vec<u8>> {
    quirk_is(Linker::RustLld, inputs, args, quirk)
}

/// A linker a quirk was measured on.
#[derive(Debug, Clone, Copy)]
enum Linker {
    /// rust-lld of the Rust toolchain (LLVM 22).
    RustLld,
    /// Debian's `/usr/bin/wasm-ld-<major>`.
    WasmLd(u32),
}

impl Linker {
    fn run(self, inputs: &[Input<'_>], args: &[&str]) -> Lld {
        match self {
            Linker::RustLld => rust_lld(inputs, args),
            Linker::WasmLd(major) => debian_wasm_ld(major, inputs, args),
        }
    }
}

/// [`quirk_is_rust_lld`] for any measured linker.
fn quirk_is(linker: Linker, inputs: &[Input<'_>], args: &[&str], quirk: &str) -> Option<Vec<u8>> {
    let mut with = args.to_vec();
    with.extend(["--quirk", quirk]);
    let r = link(inputs, &with);
    let lld = linker.run(inputs, args);
    assert_eq!(r.is_ok(), lld.ok, "outcome under --quirk {quirk} for {args:?}: refld {:?}\n{linker:?}: {}", refld_messages(&r), lld.stderr);
    assert_eq!(refld_messages(&r), lld.messages, "diagnostics under --quirk {quirk} for {args:?} ({linker:?})");
    let bytes = r.ok()?.bytes;
    let theirs = lld.bytes.expect("the linker's output");
    assert_eq!(sections(&bytes), sections(&theirs), "refld's output under --quirk {quirk} differs from {linker:?}'s for {args:?}");
    Some(bytes)
}

/// True when refld with `args` and `quirks` (none: SPEC.md) gives the
/// same outcome, diagnostics and sections as `linker` with `args`: the
/// cases where it does not are those that show a quirk's order matters.
fn agrees(linker: Linker, inputs: &[Input<'_>], args: &[&str], quirks: &[&str]) -> bool {
    let mut with = args.to_vec();
    for q in quirks {
        with.extend(["--quirk", q]);
    }
    let r = link(inputs, &with);
    let lld = linker.run(inputs, args);
    r.is_ok() == lld.ok
        && refld_messages(&r) == lld.messages
        && match (&r, &lld.bytes) {
            (Ok(l), Some(theirs)) => sections(&l.bytes) == sections(theirs),
            _ => true,
        }
}

/// The sections of a module as (id or custom name, payload), read
/// without validation (the outputs may be invalid, as wasm-ld's are).
/// Set aside, as encoding choices that are not the quirk's business:
/// sections and name subsections with no entries (refld writes some that
/// wasm-ld leaves out) and the module name rust-lld puts in the name
/// section (the other subsections stay compared).
fn sections(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use wasmparser::{Parser, Payload};
    let mut out = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.expect("a readable module");
        let (id, range) = match &payload {
            Payload::CustomSection(c) if c.name() == "name" => {
                let mut kept = Vec::new();
                let mut r = wasmparser::BinaryReader::new(c.data(), 0);
                while !r.eof() {
                    let id = r.read_u8().expect("a name subsection id");
                    let len = r.read_var_u32().expect("its size") as usize;
                    let body = r.read_bytes(len).expect("its payload");
                    if id != 0 && body != [0] {
                        kept.push(id);
                        kept.extend_from_slice(body);
                    }
                }
                out.push(("name".to_string(), kept));
                continue;
            }
            Payload::CustomSection(c) => (c.name().to_string(), c.data().to_vec()),
            other => match other.as_section() {
                Some((id, range)) => (format!("section {id}"), bytes[range.start as usize..range.end as usize].to_vec()),
                None => continue,
            },
        };
        // An empty vector section is its count, 0, alone.
        if range == [0] {
            continue;
        }
        let body = range;
        out.push((id, body));
    }
    out
}

fn invalid(bytes: &[u8]) -> bool {
    wasmparser::Validator::new().validate_all(bytes).is_err()
}

#[test]
fn lazy_signature_unchecked_binds_to_the_member() {
    // QUIRK-LAZY-SIG, the three shapes of SIG-LAZY
    // (rules::lazy_definition_of_other_signature_gets_a_stub): a strong
    // call extracting a member of another signature, a weak call meeting
    // a lazy `f0` that --export extracts later, and weak calls of two
    // signatures meeting a lazy `f0` never extracted. Each gives
    // wasm-ld's invalid module and no diagnostic.
    let q = "lazy-signature-unchecked";
    let inputs = strong_call_extracts_other_signature();
    let out = quirk_is_rust_lld(&inputs, &["--no-entry", "--export=run"], q).expect("links");
    assert!(invalid(&out));

    let mut m1 = obj();
    define_f0(&mut m1, two(), 2, 0);
    let lib = archive(&[("m1.o", &encode(&m1))]);
    let inputs = [("c.o", encode(&run_calling_f0(flags::BINDING_WEAK))), ("lib.a", lib.clone())];
    let out = quirk_is_rust_lld(&inputs, &["--no-entry", "--export=run", "--export=f0"], q).expect("links");
    assert!(invalid(&out));

    let mut c2 = obj();
    let f = c2.undefined_func("f0", "env", "f0", two(), flags::BINDING_WEAK);
    c2.define_func("run2", one(), call_with(f, 2), 0);
    let inputs = [("lib.a", lib), ("c1.o", encode(&run_calling_f0(flags::BINDING_WEAK))), ("c2.o", encode(&c2))];
    let out = quirk_is_rust_lld(&inputs, &["--no-entry", "--export=run", "--export=run2"], q).expect("links");
    assert!(invalid(&out));
    // Without the quirk refld follows SIG-LAZY: an error there.
    assert!(link(&inputs, &["--no-entry", "--export=run", "--export=run2"]).is_err());
}

#[test]
fn lazy_kind_unchecked_extracts_the_member() {
    // QUIRK-LAZY-KIND (corpus/found/wasm_ld_lazy_symbol_kind_unchecked):
    // an undefined function meeting a lazy data symbol extracts its member
    // without a word; nothing live uses it, so the link succeeds.
    let q = "lazy-kind-unchecked";
    let lib = archive(&[("b.o", &data_named("foo", 0))]);
    let mut user = obj();
    user.undefined_func("foo", "env", "foo", sig_i32(), 0);
    let inputs = [("lib.a", lib), ("a.o", encode(&user))];
    assert!(quirk_is_rust_lld(&inputs, &["--no-entry"], q).is_some());
    // Without the quirk refld reports SYM-5's mismatch.
    assert!(link(&inputs, &["--no-entry"]).is_err());
}

#[test]
fn lazy_kind_unchecked_exported_data_beside_an_unused_function_reference() {
    // QUIRK-LAZY-KIND with SYM-5's live-use condition
    // (corpus/found/wasm_ld_unused_reference_of_other_kind_links, found by
    // diff_linkers): a.o's undefined d0 extracts m1.o, whose weak undefined
    // function f1 leaves the lazy data f1 of m2.o lazy; --export=f1 then
    // extracts m2.o. No relocation uses m1.o's function reference, so
    // wasm-ld links and exports the data; a used one would crash it.
    let q = "lazy-kind-unchecked";
    let mut m1 = obj();
    m1.define_data("d0", ".data.d0", &[1, 0, 0, 0], flags::VISIBILITY_HIDDEN);
    m1.undefined_func("f1", "env", "f1", sig_i32(), flags::BINDING_WEAK);
    let lib = archive(&[("m1.o", &encode(&m1)), ("m2.o", &data_named("f1", 0))]);
    let mut a = obj();
    a.undefined_data("d0", 0);
    let inputs = [("a1.o", encode(&a)), ("lib.a", lib)];
    let args = ["--no-entry", "--export=f1"];
    let r = link(&inputs, &[&args[..], &["--quirk", q]].concat());
    let lld = rust_lld(&inputs, &args);
    assert!(lld.ok, "rust-lld: {}", lld.stderr);
    assert_eq!(refld_messages(&r), lld.messages);
    // Set aside: the name section (refld names the exported data's global,
    // wasm-ld does not: an encoding choice, not this quirk's business).
    let but_names = |b: &[u8]| sections(b).into_iter().filter(|(id, _)| id != "name").collect::<Vec<_>>();
    assert_eq!(but_names(&r.expect("refld links under the quirk").bytes), but_names(&lld.bytes.expect("rust-lld's output")));
    assert!(link(&inputs, &args).is_err(), "without the quirk SYM-5's lazy mismatch");
}

#[test]
fn lazy_kind_unchecked_weak_call_of_lazy_data_calls_a_stub() {
    // QUIRK-LAZY-KIND (corpus/found/wasm_ld_lazy_kind_weak_call_of_lazy_data,
    // found by diff_linkers): --export=f2 extracts m1.o, whose f2 calls the
    // weak undefined function f1; f1 is the lazy data of m2.o, which
    // nothing extracts. wasm-ld's lazy symbol takes the call's signature
    // and ends an undefined weak function: the call goes to a stub.
    let q = "lazy-kind-unchecked";
    let mut m1 = obj();
    let f1 = m1.undefined_func("f1", "env", "f1", sig_i32(), flags::BINDING_WEAK);
    m1.define_func("f2", sig_i32(), calls(f1), flags::BINDING_WEAK);
    let lib = archive(&[("m1.o", &encode(&m1)), ("m2.o", &data_named("f1", 0))]);
    let inputs = [("lib.a", lib)];
    let args = ["--no-entry", "--export=f2"];
    let bytes = quirk_is_rust_lld(&inputs, &args, q).expect("links under the quirk");
    assert!(summary(&bytes).names().iter().any(|n| n == "undefined_weak:f1"), "{:?}", summary(&bytes).names());
    assert!(link(&inputs, &args).is_err(), "without the quirk SYM-5's lazy mismatch");
}

#[test]
fn lazy_kind_unchecked_call_of_data_is_call_0() {
    // QUIRK-LAZY-KIND (corpus/found/wasm_ld_lazy_kind_call_of_data, found by
    // diff_linkers): f2's call of the undefined function f1 extracts the
    // member defining data f1; wasm-ld writes the call with function
    // index 0.
    let q = "lazy-kind-unchecked";
    let mut m2 = obj();
    let f1 = m2.undefined_func("f1", "env", "f1", sig_i32(), 0);
    m2.define_func("f2", sig_i32(), calls(f1), flags::VISIBILITY_HIDDEN);
    let lib = archive(&[("m1.o", &data_named("f1", 0)), ("m2.o", &encode(&m2))]);
    let inputs = [("lib.a", lib)];
    let args = ["--no-entry", "--export=f2"];
    assert!(quirk_is_rust_lld(&inputs, &args, q).is_some());
    assert!(link(&inputs, &args).is_err(), "without the quirk SYM-5's lazy mismatch");
}

#[test]
fn lazy_kind_unchecked_address_of_data_is_table_index_0() {
    // QUIRK-LAZY-KIND (corpus/found/wasm_ld_lazy_kind_address_of_data,
    // found by diff_linkers): f2 takes the address of the undefined weak
    // function f1, which leaves lib.a(m1.o)'s data f1 lazy; `--export=f1`
    // extracts it; wasm-ld writes the address as table index 0 and makes
    // no table for it.
    let q = "lazy-kind-unchecked";
    for weak in [flags::BINDING_WEAK, 0] {
        let mut m2 = obj();
        let f1 = m2.undefined_func("f1", "env", "f1", sig_i32(), weak);
        let mut body = Body::new();
        body.i32_const_table(f1);
        m2.define_func("f2", sig_i32(), body, flags::VISIBILITY_HIDDEN);
        let lib = archive(&[("m1.o", &data_named("f1", 0))]);
        let inputs = [("a.o", encode(&m2)), ("lib.a", lib)];
        let args = ["--no-entry", "--export=f1", "--export=f2", "--no-gc-sections"];
        let linked = quirk_is_rust_lld(&inputs, &args, q);
        if weak == 0 {
            // A strong function reference meeting the lazy data extracts
            // it at once: a type mismatch for both (the same messages).
            assert!(linked.is_none());
            continue;
        }
        let out = linked.expect("refld under the quirk links as rust-lld");
        assert_eq!(run_export(&out, "f2", &[]), Ok(0), "the address is table index 0");
        assert!(link(&inputs, &args).is_err(), "without the quirk SYM-5's lazy mismatch");
    }
}

#[test]
fn unknown_quirk_is_an_error_naming_the_known_ones() {
    let err = refld::args::parse_args(&["--quirk".into(), "nope".into()], &|_| Err(String::new())).expect_err("an unknown quirk");
    assert!(err.contains("unknown quirk: nope"), "{err}");
    for q in refld::quirks::QUIRKS {
        assert!(err.contains(q.name), "{err}");
        assert!(refld::args::help_text().contains(q.name), "--help lacks {}", q.name);
    }
}

/// xorshift64*: a fixed sequence of name sets, so that the hash-order
/// cases are many names, not one hand-picked pair.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }

    /// `count` distinct names of 1 to 12 characters of `[a-z0-9_]`, first
    /// a letter (so none is `memory`, `__*` or an uppercase helper name).
    fn names(&mut self, count: usize) -> Vec<String> {
        const REST: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789_";
        let mut out: Vec<String> = Vec::new();
        while out.len() < count {
            let len = 1 + self.below(12) as usize;
            let mut s = String::new();
            s.push((b'a' + self.below(26) as u8) as char);
            for _ in 1..len {
                s.push(REST[self.below(REST.len() as u64) as usize] as char);
            }
            if s != "memory" && !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }
}

/// The `--export` cases of the string-set quirks, for `names`: lib.a
/// holds `dup.o` (a strong `names[1]`), `both.o` (strong `names[0]` and
/// `names[1]`), then one member per other name. Whichever of `names[0]` and
/// `names[1]` is handled first decides the link (`names[0]` first: both.o
/// alone, it links; `names[1]` first: dup.o, then both.o, a duplicate
/// symbol), and the other members' order is the order of the output's
/// functions. The last name is an `--export-if-defined` one (inserted
/// first into wasm-ld's set). Gives the inputs and the two command lines
/// (the names in order and reversed).
fn export_order_case(names: &[String]) -> ([Input<'static>; 1], [Vec<String>; 2]) {
    let mut members: Vec<(String, Vec<u8>)> = vec![("dup.o".into(), encode(&returns(&names[1], 100, 0)))];
    let mut both = returns(&names[0], 0, 0);
    both.define_func(&names[1], sig_i32(), ret(1), 0);
    members.push(("both.o".into(), encode(&both)));
    for (k, n) in names.iter().enumerate().skip(2) {
        members.push((format!("m{k}.o"), encode(&returns(n, k as i32, 0))));
    }
    let refs: Vec<(&str, &[u8])> = members.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let lines = |order: Vec<&String>| -> Vec<String> {
        let last = names.last().expect("names");
        // `--stack-first`: wasm-ld 22's default, which 14 to 19 need to
        // lay out memory as 22 (and refld) do.
        let mut a = vec!["--no-entry".to_string(), "--stack-first".to_string()];
        for n in order {
            a.push(if n == last && names.len() > 2 { format!("--export-if-defined={n}") } else { format!("--export={n}") });
        }
        a
    };
    ([("lib.a", archive(&refs))], [lines(names.iter().collect()), lines(names.iter().rev().collect())])
}

/// Links every export case of 28 name sets (2 to 6 names, two of 14 and
/// 20 names, past the string set's first growth at 13, and the corpus
/// case's pairs) with `linker`, with refld under `quirk` (which must give
/// the same results), without quirks and under `other` (the other LLVM
/// family's quirk); returns how many cases each of the latter two gets
/// wrong, to show the cases tell the orders apart.
fn export_cases_as(linker: Linker, quirk: &str, other: &str) -> (usize, usize) {
    let mut rng = Rng(0x00e7_9047_0de4_0001);
    let mut sets: Vec<Vec<String>> = (0..22).map(|_| {
        let n = 2 + rng.below(5) as usize;
        rng.names(n)
    }).collect();
    sets.push(rng.names(14));
    sets.push(rng.names(20));
    // The pairs of corpus/found/wasm_ld_export_order_is_hash_order.
    for pair in [["f1", "f2"], ["a", "b"], ["aa", "zz"], ["foo", "bar"]] {
        sets.push(pair.iter().map(|s| s.to_string()).collect());
    }
    let (mut spec_wrong, mut other_wrong) = (0, 0);
    for names in &sets {
        let (inputs, lines) = export_order_case(names);
        for line in &lines {
            let args: Vec<&str> = line.iter().map(String::as_str).collect();
            quirk_is(linker, &inputs, &args, quirk);
            spec_wrong += usize::from(!agrees(linker, &inputs, &args, &[]));
            other_wrong += usize::from(!agrees(linker, &inputs, &args, &[other]));
        }
    }
    eprintln!("{linker:?}: of {} export cases, command-line order differs in {spec_wrong}, {other} in {other_wrong}", 2 * sets.len());
    (spec_wrong, other_wrong)
}

#[test]
fn export_hash_order_llvm19_is_wasm_ld_19_and_22() {
    // QUIRK-EXPORT-ORDER-19 (EXP-ORDER): rust-lld (LLVM 22), wasm-ld 19
    // and 22 extract in the walk order of LLVM 19's string set (xxh3).
    for linker in [Linker::RustLld, Linker::WasmLd(22), Linker::WasmLd(19)] {
        let (spec, other) = export_cases_as(linker, "export-hash-order-llvm19", "export-hash-order-llvm14");
        assert!(spec >= 10 && other >= 10, "{linker:?}: too few cases tell the orders apart ({spec}, {other})");
    }
}

#[test]
fn export_hash_order_llvm14_is_wasm_ld_14_and_16() {
    // QUIRK-EXPORT-ORDER-14 (EXP-ORDER): wasm-ld 14 and 16 extract in the
    // walk order of LLVM 14's string set (djb hash).
    for linker in [Linker::WasmLd(14), Linker::WasmLd(16)] {
        let (spec, other) = export_cases_as(linker, "export-hash-order-llvm14", "export-hash-order-llvm19");
        assert!(spec >= 10 && other >= 10, "{linker:?}: too few cases tell the orders apart ({spec}, {other})");
    }
}

#[test]
fn export_hash_orders_exclude_each_other() {
    // QUIRK-CLI: one release's order per table.
    let argv: Vec<String> = ["--quirk", "export-hash-order-llvm14", "--quirk", "export-hash-order-llvm19", "a.o"].map(String::from).to_vec();
    let err = refld::args::parse_args(&argv, &|_| Err(String::new())).expect_err("two releases' orders");
    assert!(err.contains("exclude each other"), "{err}");
}

/// The signature-variant case of `names`: `def.o` defines each name as
/// `() -> i32` (returning its position) when `defined`, else calls it so
/// from `D<k>`; then `c<k>.o` calls name k as `(i32) -> i32` from `C<k>`,
/// so the names get their variants in the order of `names`. Every `C<k>`
/// is exported, so every SIG-1 stub is live and the output shows their
/// order.
fn variants_case(names: &[String], defined: &[bool]) -> (Vec<(String, Vec<u8>)>, Vec<String>) {
    let mut def = obj();
    for (k, n) in names.iter().enumerate() {
        if defined[k] {
            def.define_func(n, sig_i32(), ret(k as i32), 0);
        } else {
            let f = def.undefined_func(n, "env", n, sig_i32(), 0);
            def.define_func(&format!("D{k}"), sig_i32(), calls(f), 0);
        }
    }
    let mut inputs = vec![("def.o".to_string(), encode(&def))];
    // `--stack-first` as in `export_order_case`.
    let mut args = vec!["--no-entry".to_string(), "--stack-first".to_string()];
    for (k, n) in names.iter().enumerate() {
        let mut c = obj();
        let f = c.undefined_func(n, "env", n, one(), 0);
        let mut body = ret(k as i32);
        body.call(f);
        c.define_func(&format!("C{k}"), sig_i32(), body, 0);
        inputs.push((format!("c{k}.o"), encode(&c)));
        args.push(format!("--export=C{k}"));
    }
    (inputs, args)
}

#[test]
fn variants_hash_order_is_wasm_ld() {
    // QUIRK-VARIANTS-ORDER (SIG-1, SIG-2): every release walks its variant
    // map in one order (the DenseMap hash is the same in LLVM 14 to 22):
    // the SIG-1 warnings up to the first name without a definition, that
    // name's SIG-2 error, and the order of the stubs follow it.
    let q = "variants-hash-order";
    let mut rng = Rng(0x5167_0bad_cafe_0002);
    let mut cases: Vec<(Vec<String>, Vec<bool>)> = Vec::new();
    for s in 0..20 {
        let n = 2 + rng.below(6) as usize;
        let names = rng.names(n);
        // Half the sets define every name (the stubs show the order), the
        // others leave about a third undefined (the diagnostics show it).
        let defined = (0..n).map(|_| s % 2 == 0 || rng.below(3) != 0).collect();
        cases.push((names, defined));
    }
    // Past the map's first growth (64 buckets hold 47 names).
    let names = rng.names(50);
    cases.push((names, vec![true; 50]));
    // corpus/found/wasm_ld_signature_variants_in_hash_order's names.
    cases.push((vec!["f3".into(), "f1".into()], vec![false, true]));
    for linker in [Linker::RustLld, Linker::WasmLd(22), Linker::WasmLd(19), Linker::WasmLd(16), Linker::WasmLd(14)] {
        let mut spec_wrong = 0;
        for (names, defined) in &cases {
            let (files, args) = variants_case(names, defined);
            let inputs: Vec<Input<'_>> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            quirk_is(linker, &inputs, &args, q);
            spec_wrong += usize::from(!agrees(linker, &inputs, &args, &[]));
        }
        eprintln!("{linker:?}: of {} variant cases, the order made differs in {spec_wrong}", cases.len());
        assert!(spec_wrong >= 8, "{linker:?}: only {spec_wrong} variant cases where the order made differs");
    }
}

/// An archive whose member `m.o` defines `h` locally and `f4` globally
/// (both `() -> i32`), plus the global `extra` when given.
fn member_with_local_h(extra: Option<&str>) -> Vec<u8> {
    let mut m = obj();
    m.define_func("h", sig_i32(), ret(4), flags::BINDING_LOCAL);
    m.define_func("f4", sig_i32(), ret(5), 0);
    if let Some(name) = extra {
        m.define_func(name, sig_i32(), ret(6), 0);
    }
    archive(&[("m.o", &encode(&m))])
}

#[test]
fn lazy_local_symbols_reference_first_extracts_the_member() {
    // QUIRK-LAZY-LOCAL (corpus/found/wasm_ld_19_local_symbol_extracts_member):
    // an undefined `h` meets the member's local `h`; wasm-ld 19 extracts
    // the member (its `_start` is then a duplicate) and `h` stays undefined.
    let q = "lazy-local-symbols";
    let inputs = [("x.o", encode(&caller("_start", "h", 0))), ("lib.a", member_with_local_h(Some("_start")))];
    let args = ["--stack-first"];
    assert!(quirk_is(Linker::WasmLd(19), &inputs, &args, q).is_none());
    let spec = refld_messages(&link(&inputs, &args));
    assert!(spec.iter().all(|m| !m.1.contains("duplicate symbol")), "without the quirk the member stays in the archive: {spec:?}");
    // wasm-ld 22 (rust-lld) agrees with SPEC.md AR-1.
    assert_eq!(spec, rust_lld(&inputs, &args).messages);
}

#[test]
fn lazy_local_symbols_left_lazy_name_is_call_0() {
    // QUIRK-LAZY-LOCAL: the archive first, the reference after: the lazy
    // symbol made from the local `h` is extracted and left without a
    // definition; wasm-ld 19 writes the call as `call 0`, the address as
    // table index 0, with no diagnostic.
    let q = "lazy-local-symbols";
    let mut x = obj();
    let h = x.undefined_func("h", "env", "h", sig_i32(), 0);
    x.define_func("_start", sig_i32(), calls(h), 0);
    let mut addr = Body::new();
    addr.i32_const_table(h);
    x.define_func("addr_h", sig_i32(), addr, 0);
    let inputs = [("lib.a", member_with_local_h(None)), ("x.o", encode(&x))];
    let args = ["--stack-first", "--export=addr_h"];
    let out = quirk_is(Linker::WasmLd(19), &inputs, &args, q).expect("wasm-ld 19 links it");
    let s = summary(&out);
    assert!(s.func("h").is_none() && s.imports.iter().all(|i| i.1 != "h"), "h is neither defined nor imported: {:?}", s.imports);
    let spec = link(&inputs, &args);
    assert!(spec.is_err(), "per SPEC.md AR-1 h is undefined");
    assert_eq!(refld_messages(&spec), rust_lld(&inputs, &args).messages);
}

#[test]
fn tls_globals_checked_as_mutable_rejects_export_all() {
    // QUIRK-TLS-MUTABLE (corpus/found/wasm_ld_tls_size_export_checked_as_mutable):
    // no input uses mutable-globals; wasm-ld 14, 16 and 19 take the
    // immutable `__tls_size` and `__tls_align` that --export-all exports
    // for mutable globals.
    let q = "tls-globals-checked-as-mutable";
    let mut m = returns("f", 1, 0);
    for name in ["atomics", "bulk-memory"] {
        m.features.push(linkcheck_object::FeatureModel { prefix: '+', name: name.into() });
    }
    let inputs = [("a.o", encode(&m))];
    let args = ["--no-entry", "--shared-memory", "--export-all"];
    for major in [19, 16, 14] {
        assert!(quirk_is(Linker::WasmLd(major), &inputs, &args, q).is_none(), "wasm-ld {major} rejects");
    }
    let spec = link_ok(&inputs, &args);
    assert!(summary(&spec.bytes).exports.iter().any(|e| e.0 == "__tls_size"), "per SPEC.md the immutable __tls_size is exported");
    assert!(rust_lld(&inputs, &args).ok);
    let mut no_check = args.to_vec();
    no_check.push("--no-check-features");
    // (Their layouts differ: wasm-ld 19 does not put the stack first.)
    assert!(debian_wasm_ld(19, &inputs, &no_check).ok, "--no-check-features lets wasm-ld 19 link");
    no_check.extend(["--quirk", q]);
    assert!(link(&inputs, &no_check).is_ok(), "and refld under the quirk");
}
