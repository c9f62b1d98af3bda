//! Each injected defect is reported under its key, and nothing else is.
//! Defects are injected into both refld's and rust-lld's output and
//! compared with the unchanged output.

use super::equal::show;
use super::rewrite::{func_index, operators, rewrite, Edit, Segments};
use super::support::{canon, inputs, link_refld, link_rust_lld};
use linkcheck_core::canon::{compare_canon, Canon, StructuralDifference, InputObject};
use wasm_encoder::Instruction;
use wasmparser::{Operator, Parser, Payload};

/// Links with both linkers, applies `defect` to each output and checks the
/// divergences' keys are exactly `keys`; returns them with the defective
/// output's canonical form (refld's first).
fn check(what: &str, keys: &[&str], defect: impl Fn(&[u8]) -> Vec<u8>) -> Vec<(Vec<StructuralDifference>, Canon)> {
    let inputs = inputs();
    let mut all = Vec::new();
    for (linker, out) in [("refld", link_refld(&inputs).bytes), ("rust-lld", link_rust_lld(&inputs))] {
        let changed = defect(&out);
        let changed = canon(&changed, &inputs);
        let divs = compare_canon(&canon(&out, &inputs), &changed);
        let got: Vec<String> = divs.iter().map(|d| d.key.to_string()).collect();
        assert_eq!(got, keys, "{what} in {linker}'s output:\n{}", show(&divs));
        for d in &divs {
            assert_ne!(d.left, d.right);
            assert!(!d.explanation.is_empty() && d.allowed.is_none(), "{d:?}");
        }
        eprintln!("{what} ({linker}):\n{}", show(&divs));
        all.push((divs, changed));
    }
    all
}

/// Rewrites operators of the function named `name`.
fn in_function(out: &[u8], name: &str, mut f: impl FnMut(usize, &Operator<'_>) -> Option<Instruction<'static>> + 'static) -> Vec<u8> {
    let target = func_index(out, name);
    rewrite(out, Edit { op: Some(Box::new(move |func, i, op| if func == target { f(i, op) } else { None })), ..Edit::default() })
}

/// Positions and values of `main`'s `i32.const`s. By construction of
/// `a_object`: `&value`, `&arr`, `slot(callee)`, `&ptrs`, `&ptrs+4`, `0`, `&table+8`.
fn main_consts(out: &[u8]) -> Vec<(usize, i32)> {
    let ops = operators(out, func_index(out, "main"));
    ops.iter()
        .enumerate()
        .filter_map(|(i, op)| match op {
            Operator::I32Const { value } => Some((i, *value)),
            _ => None,
        })
        .collect()
}

/// The value of exported i32 global `name`.
fn exported_global(out: &[u8], name: &str) -> u32 {
    let (mut index, mut globals, mut imported) = (None, Vec::new(), 0);
    for p in Parser::new(0).parse_all(out) {
        match p.unwrap() {
            Payload::ImportSection(r) => {
                imported = r.into_imports().filter(|i| matches!(i.as_ref().unwrap().ty, wasmparser::TypeRef::Global(_))).count()
            }
            Payload::GlobalSection(r) => {
                for g in r {
                    match g.unwrap().init_expr.get_operators_reader().read().unwrap() {
                        Operator::I32Const { value } => globals.push(value as u32),
                        _ => globals.push(0),
                    }
                }
            }
            Payload::ExportSection(r) => {
                index = r.into_iter().map(|e| e.unwrap()).find(|e| e.name == name).map(|e| e.index as usize)
            }
            _ => {}
        }
    }
    globals[index.expect("exported") - imported]
}

#[test]
fn swapped_call_targets() {
    check("two call targets swapped", &["func.main.body"], |out| {
        let ops = operators(out, func_index(out, "main"));
        let calls: Vec<(usize, u32)> = ops
            .iter()
            .enumerate()
            .filter_map(|(i, op)| match op {
                Operator::Call { function_index } => Some((i, *function_index)),
                _ => None,
            })
            .collect();
        let ((i, f), (j, g)) = (calls[0], calls[1]);
        assert_ne!(f, g);
        in_function(out, "main", move |k, _| match k {
            _ if k == i => Some(Instruction::Call(g)),
            _ if k == j => Some(Instruction::Call(f)),
            _ => None,
        })
    });
}

#[test]
fn import_module_changed() {
    let runs = check("an import module changed", &["import.env.close.module"], |out| {
        let hook = |m: &str, f: &str| if f == "close" { ("wasi".to_string(), f.to_string()) } else { (m.to_string(), f.to_string()) };
        rewrite(out, Edit { import: Some(Box::new(hook)), ..Edit::default() })
    });
    assert_eq!((runs[0].0[0].left.as_str(), runs[0].0[0].right.as_str()), ("env", "wasi"));
}

#[test]
fn data_byte_changed() {
    check("a data byte changed", &["data.arr.byte@4"], |out| {
        let at = exported_global(out, "arr") + 4;
        let hook = move |mut segs: Segments| {
            for (a, bytes) in &mut segs {
                if at >= *a && at < *a + bytes.len() as u32 {
                    bytes[(at - *a) as usize] ^= 1;
                }
            }
            segs
        };
        rewrite(out, Edit { data: Some(Box::new(hook)), ..Edit::default() })
    });
}

#[test]
fn export_dropped() {
    check("an export dropped", &["export.main"], |out| {
        rewrite(out, Edit { drop_exports: vec!["main".into()], ..Edit::default() })
    });
}

#[test]
fn table_slot_off_by_one() {
    let runs = check("a table slot off by one", &["func.main.site@2"], |out| {
        let (i, slot) = main_consts(out)[2];
        in_function(out, "main", move |k, _| (k == i).then_some(Instruction::I32Const(slot + 1)))
    });
    for (divs, changed) in &runs {
        assert!(divs[0].right.contains("(reloc: callee)"), "{:?}", divs[0]);
        assert_eq!(changed.mismatches, [format!("func.main.site@2: {}", divs[0].right)]);
    }
}

#[test]
fn address_into_the_wrong_symbol() {
    let runs = check("a memory address pointing into the wrong symbol", &["func.main.site@1"], |out| {
        let consts = main_consts(out);
        let (i, value_address) = (consts[1].0, consts[0].1);
        in_function(out, "main", move |k, _| (k == i).then_some(Instruction::I32Const(value_address)))
    });
    for (divs, changed) in &runs {
        assert_eq!((divs[0].left.as_str(), divs[0].right.as_str()), ("&arr", "&value (reloc: &arr)"));
        assert!(divs[0].explanation.ends_with("points to &value instead of &arr"), "{}", divs[0].explanation);
        // The defect shows in the defective output alone, too.
        assert_eq!(changed.mismatches, ["func.main.site@1: &value (reloc: &arr)"]);
    }
}

/// `pick` is weak in b.o (returns 1) and strong in c.o (returns 2): the
/// output gets the weak body instead.
#[test]
fn weak_definition_chosen_over_strong() {
    let runs = check("a weak definition chosen over a strong one", &["func.pick.body"], |out| {
        let pick = func_index(out, "pick");
        let mut edit = Edit::default();
        edit.bodies.insert(pick, vec![0x00, 0x41, 0x01, 0x0b]);
        rewrite(out, edit)
    });
    assert_eq!((runs[0].0[0].left.as_str(), runs[0].0[0].right.as_str()), ("#0: i32.const 2", "#0: i32.const 1"));
}

/// The canonical form names what it reads from the inputs: a missing
/// input is an error only when it cannot be read.
#[test]
fn unreadable_input_is_an_error() {
    let out = link_refld(&inputs()).bytes;
    let err = linkcheck_core::canon::canonicalize(&out, &[InputObject::new("bad.o", b"\0asm\x01\0\0\0\x01".to_vec())]).unwrap_err();
    assert!(err.to_string().contains("bad.o"), "{err}");
}
