//! Outputs that mean the same program compare equal: refld's and
//! rust-lld's, and any output re-laid out.

use super::rewrite::{pad_lebs, rewrite, shorten_lebs, with_offset, Edit};
use super::support::{canon, inputs, link_refld, link_rust_lld, run_main, MAIN_RESULT_WITHOUT_CLOSE};
use linkcheck_core::canon::{compare_canon, compare_canon_all, Canon, StructuralDifference, InputObject};
use wasm_encoder::Instruction;
use wasmparser::Operator;

/// Divergences one a line, for failure messages.
pub fn show(divs: &[StructuralDifference]) -> String {
    divs.iter().map(|d| format!("  {}: {} | {}  -- {}\n", d.key, d.left, d.right, d.explanation)).collect()
}

/// Every field of a canonical form, one a line.
pub fn dump(c: &Canon) -> String {
    let mut s = String::new();
    for (k, item) in &c.items {
        for (f, v) in &item.fields {
            s += &format!("  {k}.{f} = {}\n", v.text());
        }
    }
    s
}

/// Asserts that `changed` runs like `original` and compares equal to it,
/// with no allow-list at all unless `layout_may_differ`.
fn assert_same(what: &str, original: &[u8], changed: &[u8], inputs: &[InputObject], layout_may_differ: bool) {
    assert_ne!(original, changed, "{what}: the rewrite changed nothing");
    assert_eq!(run_main(changed, 7), MAIN_RESULT_WITHOUT_CLOSE + 7, "{what}: the rewritten program runs differently");
    let (a, b) = (canon(original, inputs), canon(changed, inputs));
    let divs = if layout_may_differ { compare_canon(&a, &b) } else { compare_canon_all(&a, &b, &[]) };
    assert!(divs.is_empty(), "{what}: compares unequal:\n{}\noriginal:\n{}", show(&divs), dump(&a));
}

#[test]
fn refld_and_rust_lld_agree() {
    let inputs = inputs();
    let ours = link_refld(&inputs).bytes;
    let theirs = link_rust_lld(&inputs);
    assert_eq!(run_main(&ours, 7), MAIN_RESULT_WITHOUT_CLOSE + 7);
    assert_eq!(run_main(&theirs, 7), MAIN_RESULT_WITHOUT_CLOSE + 7);
    let (a, b) = (canon(&ours, &inputs), canon(&theirs, &inputs));
    assert!(a.notes.is_empty() && b.notes.is_empty(), "notes: {:?} {:?}", a.notes, b.notes);
    assert!(a.mismatches.is_empty() && b.mismatches.is_empty(), "{:?} {:?}", a.mismatches, b.mismatches);
    let divs = compare_canon(&a, &b);
    assert!(divs.is_empty(), "refld and rust-lld differ:\n{}\nrefld:\n{}", show(&divs), dump(&a));
    // Everything is named by symbol: the sites of main, the table, data words.
    for (key, want) in [
        ("func.main.site@1", "&arr"),
        ("func.main.site@2", "slot(callee)"),
        ("func.main.site@5", "&arr+4"),
        ("data.ptrs.word@4", "slot(callee2)"),
        ("data.table.word@8", "&arr+4"),
        ("global.arr.init", "&arr"),
        ("export.main.target", "main"),
        ("import.env.close.module", "env"),
        ("table.__indirect_function_table.elements", "callee, callee2"),
    ] {
        assert_eq!(a.get(key).map(|v| v.text()).as_deref(), Some(want), "{key}\n{}", dump(&a));
    }
    assert!(a.items.contains_key("func.twice<b.o>") && a.items.contains_key("func.twice<c.o>"), "{}", dump(&a));
}

/// Archive members are inputs too (`libb.a(b.o)`); a member the link
/// does not extract defines nothing, though it has a strong `value` and `pick`.
#[test]
fn archive_members_and_unextracted_definitions() {
    let inputs = super::support::archive_inputs();
    let ours = link_refld(&inputs).bytes;
    let theirs = link_rust_lld(&inputs);
    assert_eq!(run_main(&theirs, 7), MAIN_RESULT_WITHOUT_CLOSE + 7);
    let (a, b) = (canon(&ours, &inputs), canon(&theirs, &inputs));
    let divs = compare_canon(&a, &b);
    assert!(divs.is_empty(), "refld and rust-lld differ:\n{}", show(&divs));
    for (key, want) in [
        ("func.main.site@0", "&value"),
        ("data.value.bytes", "02 00 00 00"),
        ("data.table.word@0", "&value"),
        ("func.pick.body", "i32.const 2; end"),
        ("func.b_twice.body", "call twice<libb.a(b.o)>; end"),
    ] {
        assert_eq!(a.get(key).map(|v| v.text()).as_deref(), Some(want), "{key}\n{}", dump(&a));
    }
    assert!(!a.items.keys().any(|k| k.contains("extra.o")), "{}", dump(&a));
}

#[test]
fn permuted_functions_compare_equal() {
    let inputs = inputs();
    for out in [link_refld(&inputs).bytes, link_rust_lld(&inputs)] {
        let (_, defined) = super::rewrite::counts(&out);
        for order in [(0..defined).rev().collect::<Vec<_>>(), (1..defined).chain([0]).collect()] {
            let changed = rewrite(&out, Edit { order: Some(order.clone()), ..Edit::default() });
            assert_same(&format!("order {order:?}"), &out, &changed, &inputs, false);
        }
    }
}

#[test]
fn padded_and_shortened_lebs_compare_equal() {
    let inputs = inputs();
    for out in [link_refld(&inputs).bytes, link_rust_lld(&inputs)] {
        let padded = pad_lebs(&out);
        assert!(padded.len() > out.len(), "padding grows the module");
        assert_same("padded", &out, &padded, &inputs, false);
        let short = shorten_lebs(&out);
        assert!(short.len() < out.len(), "the linkers' padded relocations get shorter");
        assert_same("shortened", &out, &short, &inputs, false);
    }
}

/// Input segments moved: `(old address, size, new address)`.
#[derive(Clone)]
struct Moves(Vec<(u32, u32, u32)>);

impl Moves {
    /// Where an address goes: inside a segment, or one past its end.
    fn map(&self, v: u32) -> u32 {
        let inside = self.0.iter().find(|(a, n, _)| v >= *a && v < a + n);
        let end = || self.0.iter().find(|(a, n, _)| v == a + n);
        inside.or_else(end).map_or(v, |(a, _, new)| v - a + new)
    }
}

/// Re-lays out refld's output with its input segments in reverse order
/// (each aligned to 8) and every address constant rewritten.
#[test]
fn moved_data_compares_equal() {
    let inputs = inputs();
    let linked = link_refld(&inputs);
    let out = linked.bytes;
    let mut segs: Vec<(u32, u32)> = linked.map.segments.iter().map(|s| (s.address, s.size)).collect();
    segs.sort();
    assert!(segs.len() >= 4, "{segs:?}");
    let mut next = segs[0].0;
    let mut moves = Vec::new();
    for &(a, n) in segs.iter().rev() {
        next = next.next_multiple_of(8);
        moves.push((a, n, next));
        next += n;
    }
    assert!(moves.iter().any(|(a, _, new)| a != new));
    let moves = Moves(moves);
    let (m1, m2, m3) = (moves.clone(), moves.clone(), moves.clone());
    let edit = Edit {
        op: Some(Box::new(move |_, _, op: &Operator<'_>| match op {
            Operator::I32Const { value } if m1.map(*value as u32) != *value as u32 => {
                Some(Instruction::I32Const(m1.map(*value as u32) as i32))
            }
            Operator::I32Load { memarg } | Operator::I32Store { memarg } if m1.map(memarg.offset as u32) != memarg.offset as u32 => {
                with_offset(op, m1.map(memarg.offset as u32) as u64)
            }
            _ => None,
        })),
        data: Some(Box::new(move |old: Vec<(u32, Vec<u8>)>| {
            let byte = |addr: u32| {
                old.iter().find(|(a, b)| addr >= *a && addr < a + b.len() as u32).map_or(0, |(a, b)| b[(addr - a) as usize])
            };
            m2.0.iter()
                .map(|&(a, n, new)| {
                    let mut bytes: Vec<u8> = (a..a + n).map(byte).collect();
                    for w in bytes.chunks_exact_mut(4) {
                        let v = u32::from_le_bytes(w.try_into().unwrap());
                        w.copy_from_slice(&m2.map(v).to_le_bytes());
                    }
                    (new, bytes)
                })
                .collect()
        })),
        global_i32: Some(Box::new(move |v, mutable| if mutable { v } else { m3.map(v as u32) as i32 })),
        ..Edit::default()
    };
    let changed = rewrite(&out, edit);
    assert_same("data moved", &out, &changed, &inputs, true);
}


/// A local and a global definition of one name with the same body: the
/// exported function is the global one even when the local's file comes
/// first (found by diff_linkers: refld's lone `f` was matched to the local
/// body and named `f<a.o>`, Wild's exported copy `f`).
#[test]
fn export_of_a_name_a_local_shares_is_the_global_definition() {
    use linkcheck_object::{encode, flags, Body, ObjectModel};
    let object = |binding| {
        let mut m = ObjectModel::new();
        m.import_memory();
        let mut body = Body::new();
        body.i32_const(5);
        m.define_func("f", super::support::v_i(), body, binding);
        encode(&m)
    };
    let inputs = vec![InputObject::new("a.o", object(flags::BINDING_LOCAL)), InputObject::new("b.o", object(flags::BINDING_WEAK))];
    let out = super::support::link_refld_with(&inputs, &["--no-entry", "--export=f"]).bytes;
    let c = canon(&out, &inputs);
    assert_eq!(c.get("export.f.target").map(|v| v.text()).as_deref(), Some("f"), "{}", dump(&c));
}

/// An imported function and a defined (local) function of one name: the
/// defined one is `f0` and the import `import:f0`, so the definition keeps
/// its id in an output without the import (found by diff_linkers: Wild
/// keeps a dead reference's import, and its `f0` became `f0#2`).
#[test]
fn a_definition_keeps_its_name_beside_an_import_of_it() {
    use linkcheck_object::{encode, flags, Body, ObjectModel};
    let mut m = ObjectModel::new();
    m.import_memory();
    let import = m.undefined_func("f0", "env", "f0", super::support::v_i(), 0);
    let mut body = Body::new();
    body.i32_const(5);
    let local = m.define_func("f0", super::support::v_i(), body, flags::BINDING_LOCAL);
    let mut run = Body::new();
    run.call(import).call(local).i32_add();
    m.define_func("run", super::support::v_i(), run, 0);
    let inputs = vec![InputObject::new("a.o", encode(&m))];
    let out = super::support::link_refld_with(&inputs, &["--no-entry", "--export=run", "--allow-undefined"]).bytes;
    let c = canon(&out, &inputs);
    assert_eq!(c.get("func.f0.type").map(|v| v.text()).as_deref(), Some("func () -> i32"), "{}", dump(&c));
    let body = c.get("func.run.body").map(|v| v.text());
    assert_eq!(body.as_deref(), Some("call import:f0; call f0; i32.add; end"), "{}", dump(&c));
}
