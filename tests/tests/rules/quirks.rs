//! Quirks (QUIRK-*): under `--quirk NAME` refld must do what the linker
//! the quirk was measured on does. Each case is one where refld (per
//! SPEC.md) and rust-lld (wasm-ld 22) differ; under the quirk refld's
//! diagnostics must be rust-lld's and its output rust-lld's section by
//! section (refld lays out exactly as wasm-ld 22 does), valid or not.

use crate::signatures::{call_with, define_f0, one, run_calling_f0, two};
use crate::support::*;
use crate::symbols::data_named;

/// Links with refld under `quirk` and with rust-lld (without it); both
/// must give the same outcome, diagnostics and bytes. Returns the bytes
/// when they linked.
fn quirk_is_rust_lld(inputs: &[Input<'_>], args: &[&str], quirk: &str) -> Option<Vec<u8>> {
    let mut with = args.to_vec();
    with.extend(["--quirk", quirk]);
    let r = link(inputs, &with);
    let lld = rust_lld(inputs, args);
    assert_eq!(r.is_ok(), lld.ok, "outcome under --quirk {quirk} for {args:?}: refld {:?}\nrust-lld: {}", refld_messages(&r), lld.stderr);
    assert_eq!(refld_messages(&r), lld.messages, "diagnostics under --quirk {quirk} for {args:?}");
    let bytes = r.ok()?.bytes;
    let theirs = lld.bytes.expect("rust-lld's output");
    assert_eq!(sections(&bytes), sections(&theirs), "refld's output under --quirk {quirk} differs from rust-lld's for {args:?}");
    Some(bytes)
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
    let mut m1 = obj();
    define_f0(&mut m1, two(), 2, 0);
    let mut m2 = obj();
    let f = m2.undefined_func("f0", "env", "f0", one(), 0);
    m2.define_func("g", one(), call_with(f, 1), 0);
    let mut main = obj();
    let g = main.undefined_func("g", "env", "g", one(), 0);
    main.define_func("run", one(), call_with(g, 1), 0);
    let lib = archive(&[("m1.o", &encode(&m1)), ("m2.o", &encode(&m2))]);
    let inputs = [("main.o", encode(&main)), ("lib.a", lib)];
    let out = quirk_is_rust_lld(&inputs, &["--no-entry", "--export=run"], q).expect("links");
    assert!(invalid(&out));

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
fn unknown_quirk_is_an_error_naming_the_known_ones() {
    let err = refld::args::parse_args(&["--quirk".into(), "nope".into()], &|_| Err(String::new())).expect_err("an unknown quirk");
    assert!(err.contains("unknown quirk: nope"), "{err}");
    for q in refld::quirks::QUIRKS {
        assert!(err.contains(q.name), "{err}");
        assert!(refld::args::help_text().contains(q.name), "--help lacks {}", q.name);
    }
}
