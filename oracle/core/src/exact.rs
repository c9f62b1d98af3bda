//! The byte-level comparison of two outputs, section by section (`linkcheck
//! diff --exact`): where wasm-ld's encoding is deterministic refld makes the
//! same choice (issue #13, SPEC OUT-*), and this lists every place where
//! the bytes still differ, under `exact.SECTION` keys.
//!
//! Sections are matched by name (`type`, `import`, ..., `data`, a custom
//! section's own name) and occurrence (`name#2` for a second one), read
//! with wasmparser alone. A section on one side only is `(absent)` on the
//! other; sections of equal bytes give nothing; otherwise the value is
//! `SIZE bytes, first difference at +OFFSET` (offset from the section's
//! contents, the id and size bytes not counted; a custom section's
//! contents begin with its name).

use crate::allow::AllowList;
use crate::check::CheckReport;
use crate::diff::{explain_difference, unnamed, Difference, ABSENT};
use crate::key::{DiffKey, ItemKind};
use std::collections::BTreeMap;
use wasmparser::{Parser, Payload};

/// The sections of a module by name and occurrence, with their contents.
/// Errors (as text) when wasmparser cannot split the module.
pub fn sections(bytes: &[u8]) -> Result<Vec<(String, &[u8])>, String> {
    let mut out: Vec<(String, &[u8])> = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(|e| e.to_string())?;
        let Some((id, range)) = payload.as_section() else { continue };
        let name = match &payload {
            Payload::CustomSection(c) => c.name().to_string(),
            _ => section_name(id).to_string(),
        };
        let n = seen.entry(name.clone()).or_insert(0);
        *n += 1;
        let key = if *n == 1 { name } else { format!("{name}#{n}") };
        out.push((key, &bytes[range.start as usize..range.end as usize]));
    }
    Ok(out)
}

fn section_name(id: u8) -> &'static str {
    match id {
        1 => "type",
        2 => "import",
        3 => "function",
        4 => "table",
        5 => "memory",
        6 => "global",
        7 => "export",
        8 => "start",
        9 => "element",
        10 => "code",
        11 => "data",
        12 => "datacount",
        13 => "tag",
        _ => "unknown",
    }
}

/// Every section whose bytes differ between `left` and `right`, in the
/// left output's section order then the right's extra ones. An output
/// wasmparser cannot split gives one `exact.module` difference.
pub fn compare_exact(left: &[u8], right: &[u8]) -> Vec<Difference> {
    let (l, r) = match (sections(left), sections(right)) {
        (Ok(l), Ok(r)) => (l, r),
        (l, r) => {
            let text = |s: &Result<Vec<(String, &[u8])>, String>| s.as_ref().err().cloned().unwrap_or_else(|| "readable".into());
            return vec![unnamed(DiffKey::field(ItemKind::Exact, "", "module"), text(&l), text(&r))];
        }
    };
    let mut out = Vec::new();
    let value = |bytes: &[u8], other: Option<&[u8]>| {
        let at = other.map(|o| bytes.iter().zip(o).position(|(a, b)| a != b).unwrap_or(bytes.len().min(o.len())));
        match at {
            Some(at) => format!("{} bytes, first difference at +{at:#x}", bytes.len()),
            None => format!("{} bytes", bytes.len()),
        }
    };
    let names: Vec<&String> = l.iter().map(|(n, _)| n).chain(r.iter().map(|(n, _)| n).filter(|n| !l.iter().any(|(m, _)| m == *n))).collect();
    for name in names {
        let a = l.iter().find(|(n, _)| n == name).map(|(_, b)| *b);
        let b = r.iter().find(|(n, _)| n == name).map(|(_, b)| *b);
        let key = DiffKey::field(ItemKind::Exact, "", name.as_str());
        match (a, b) {
            (Some(a), Some(b)) if a == b => {}
            (Some(a), Some(b)) => out.push(unnamed(key, value(a, Some(b)), value(b, Some(a)))),
            (Some(a), None) => out.push(unnamed(key, value(a, None), ABSENT)),
            (None, Some(b)) => out.push(unnamed(key, ABSENT, value(b, None))),
            (None, None) => {}
        }
    }
    out
}

/// Adds each pair of linked outputs' byte-level differences (first linker
/// against each other) to `report`'s comparisons, explained, `allow`
/// sorting out the legitimate ones. Made after the policy's attribution:
/// a byte difference is an encoding choice, which re-linking under a
/// linker's quirks does not explain.
pub fn add_exact(report: &mut CheckReport, allow: &AllowList) {
    let outputs: Vec<Option<Vec<u8>>> = report.linkers.iter().map(|l| l.outcome.bytes().map(<[u8]>::to_vec)).collect();
    for (i, cmp) in report.comparisons.iter_mut().enumerate() {
        if let (Some(Some(a)), Some(Some(b))) = (outputs.first(), outputs.get(i + 1)) {
            let found = compare_exact(a, b)
                .into_iter()
                .map(|mut d| {
                    d.explanation = explain_difference(&d.key, &d.left, &d.right, &cmp.left, &cmp.right);
                    d
                })
                .collect();
            cmp.extend(found, allow);
        }
    }
    report.agree = report.comparisons.iter().all(|c| c.differences.is_empty());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(custom: &[(&str, &[u8])]) -> Vec<u8> {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        for (name, body) in custom {
            let mut payload = vec![name.len() as u8];
            payload.extend_from_slice(name.as_bytes());
            payload.extend_from_slice(body);
            m.push(0);
            m.push(payload.len() as u8);
            m.extend(payload);
        }
        m
    }

    #[test]
    fn equal_sections_give_nothing_and_others_their_first_difference() {
        let a = module(&[("x", b"abcd"), ("y", b"same")]);
        let b = module(&[("x", b"abXd"), ("y", b"same"), ("z", b"!")]);
        let d = compare_exact(&a, &b);
        let keys: Vec<String> = d.iter().map(|d| d.key.to_string()).collect();
        assert_eq!(keys, ["exact.x", "exact.z"]);
        assert_eq!(d[0].left, "6 bytes, first difference at +0x4");
        assert_eq!((d[1].left.as_str(), d[1].right.as_str()), (ABSENT, "3 bytes"), "name length, `z`, `!`");
        assert!(compare_exact(&a, &a).is_empty());
    }
}
