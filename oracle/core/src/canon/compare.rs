//! Comparing two canonical forms: every difference a [`StructuralDifference`] under
//! a stable dotted key, those an allow-list ([`crate::allow`]) covers
//! marked with its reason.

use super::{Canon, Item, Value};
use crate::key::{DiffKey, ItemKind};
use serde::Serialize;
use std::collections::BTreeSet;

/// Text of a side that lacks the item or field.
pub const ABSENT: &str = "(absent)";

/// At most this many differing byte runs are reported per data item.
const MAX_BYTE_RUNS: usize = 8;

/// One point where two canonical forms differ (a structural difference;
/// `check` turns each into a [`crate::diff::Difference`] of the report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StructuralDifference {
    /// What differs: an item key of [`DiffKey`] (see the [module
    /// documentation](super)).
    pub key: DiffKey,
    /// The left output's value.
    pub left: String,
    /// The right output's value.
    pub right: String,
    /// One line saying what differs, naming the function or data symbol.
    pub explanation: String,
    /// The allow-list reason, when the key is allowed to differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<String>,
}

pub use crate::allow::Allowance;

/// The divergences of `left` and `right` that the entries of the embedded
/// allow-list (`corpus/policy.toml`, [`crate::allow::AllowList::embedded`])
/// holding for every pair of linkers do not allow (the layout values); empty
/// when the outputs mean the same program.
pub fn compare_canon(left: &Canon, right: &Canon) -> Vec<StructuralDifference> {
    let allowed = crate::allow::AllowList::embedded().any_pair();
    compare_canon_all(left, right, &allowed).into_iter().filter(|d| d.allowed.is_none()).collect()
}

/// Every divergence, in key order; those an entry of `allowed` covers (by
/// key only: the entries' linker pairs are not looked at here) carry its
/// reason. Explanations call the sides "the left output" and "the right
/// output".
pub fn compare_canon_all(left: &Canon, right: &Canon, allowed: &[Allowance]) -> Vec<StructuralDifference> {
    compare_canon_named(left, right, allowed, ["the left output", "the right output"])
}

/// [`compare_canon_all`], the explanations calling the sides `outputs`
/// (`["refld's output", "wild's output"]`).
pub fn compare_canon_named(left: &Canon, right: &Canon, allowed: &[Allowance], outputs: [&str; 2]) -> Vec<StructuralDifference> {
    let mut out = Vec::new();
    let keys: BTreeSet<&String> = left.items.keys().chain(right.items.keys()).collect();
    for key in keys {
        match (left.items.get(key), right.items.get(key)) {
            (Some(l), Some(r)) => compare_items(key, l, r, &mut out),
            (l, r) => {
                let side = if l.is_some() { outputs[0] } else { outputs[1] };
                let text = |i: Option<&Item>| i.map_or_else(|| ABSENT.to_string(), |i| i.summary.clone());
                let explanation = format!("{} is only in {side}", what(key));
                out.push(StructuralDifference { key: item_key(key, None), left: text(l), right: text(r), explanation, allowed: None });
            }
        }
    }
    for d in &mut out {
        let text = d.key.to_string();
        d.allowed = allowed.iter().find(|a| a.matches(&text)).map(|a| a.reason.clone());
    }
    out
}

fn compare_items(key: &str, l: &Item, r: &Item, out: &mut Vec<StructuralDifference>) {
    let fields: BTreeSet<&String> = l.fields.keys().chain(r.fields.keys()).collect();
    for field in fields {
        let full = item_key(key, Some(field));
        let push = |out: &mut Vec<StructuralDifference>, key: DiffKey, left: String, right: String, explanation: String| {
            out.push(StructuralDifference { key, left, right, explanation, allowed: None });
        };
        match (l.fields.get(field), r.fields.get(field)) {
            (Some(Value::Code(a)), Some(Value::Code(b))) => {
                if let Some(i) = (0..a.len().max(b.len())).find(|&i| a.get(i) != b.get(i)) {
                    let line = |c: &[String]| c.get(i).map_or_else(|| format!("#{i}: (end)"), |s| format!("#{i}: {s}"));
                    let why = format!("{}: instruction #{i} differs ({} and {} instructions)", what(key), a.len(), b.len());
                    push(out, full, line(a), line(b), why);
                }
            }
            (Some(Value::Bytes(a)), Some(Value::Bytes(b))) => {
                for (start, end) in byte_runs(a, b).into_iter().take(MAX_BYTE_RUNS) {
                    let why = format!("{}: bytes {start}..{end} differ", what(key));
                    push(out, item_key(key, Some(&format!("byte@{start}"))), hex(&a[start..end.min(a.len())]), hex(&b[start..end.min(b.len())]), why);
                }
            }
            (a, b) => {
                let (ta, tb) = (a.map_or_else(|| ABSENT.to_string(), Value::text), b.map_or_else(|| ABSENT.to_string(), Value::text));
                if ta != tb {
                    let why = explain(key, field, l, &ta, &tb);
                    push(out, full, ta, tb, why);
                }
            }
        }
    }
}

/// The difference key of canonical item `item` (`func.f`, `layout`,
/// `memory.1`: an item kind, then the id when the kind has ids) and, when
/// given, its field.
fn item_key(item: &str, field: Option<&str>) -> DiffKey {
    let (head, id) = item.split_once('.').unwrap_or((item, ""));
    match ItemKind::from_name(head) {
        Some(kind) if kind.has_id() => DiffKey::Item { kind, id: id.to_string(), field: field.map(str::to_string) },
        Some(kind) => {
            let field = [id, field.unwrap_or("")].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(".");
            DiffKey::Item { kind, id: String::new(), field: (!field.is_empty()).then_some(field) }
        }
        // Canon names every item by one of the kinds; were one missed, its
        // text is kept whole rather than dropped.
        None => DiffKey::field(ItemKind::Canon, "", [Some(item), field].into_iter().flatten().collect::<Vec<_>>().join(".")),
    }
}

/// Maximal runs `[start, end)` of differing bytes over the common length.
fn byte_runs(a: &[Option<u8>], b: &[Option<u8>]) -> Vec<(usize, usize)> {
    let n = a.len().min(b.len());
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for i in (0..n).filter(|&i| a[i] != b[i]) {
        match runs.last_mut() {
            Some((_, end)) if *end == i => *end = i + 1,
            _ => runs.push((i, i + 1)),
        }
    }
    runs
}

/// Bytes as hex pairs; relocated bytes are `..`.
pub(crate) fn hex(bytes: &[Option<u8>]) -> String {
    bytes.iter().map(|b| b.map_or_else(|| "..".to_string(), |b| format!("{b:02x}"))).collect::<Vec<_>>().join(" ")
}

/// What an item key names, for explanations.
fn what(key: &str) -> String {
    let (kind, rest) = key.split_once('.').unwrap_or((key, ""));
    match kind {
        "func" => format!("function {rest}"),
        "data" => format!("data {rest}"),
        "import" => format!("import {rest}"),
        "export" => format!("export {rest}"),
        "global" => format!("global {rest}"),
        "table" => format!("table {rest}"),
        "tag" => format!("tag {rest}"),
        "start" => "the start function".to_string(),
        "layout" => "the layout".to_string(),
        _ => key.to_string(),
    }
}

/// What a site's value points to, without the relocation's intent.
fn target(value: &str) -> &str {
    value.split_once(" (reloc: ").map_or(value, |(t, _)| t)
}

fn explain(key: &str, field: &str, item: &Item, left: &str, right: &str) -> String {
    let w = what(key);
    if let Some(k) = field.strip_prefix("site@") {
        let at = match item.fields.get("body") {
            Some(Value::Code(lines)) => {
                let tag = format!("@{k}");
                lines
                    .iter()
                    .position(|l| l.split(|c: char| !(c == '@' || c.is_ascii_digit())).any(|t| t == tag))
                    .map_or_else(String::new, |i| format!(" (instruction #{i})"))
            }
            _ => String::new(),
        };
        return format!("{w}: relocated constant @{k}{at} points to {} instead of {}", target(right), target(left));
    }
    if let Some(n) = field.strip_prefix("word@") {
        return format!("{w}: the relocated word at offset {n} points to {} instead of {}", target(right), target(left));
    }
    if key == "layout" {
        return format!("the linker-chosen value {field} differs");
    }
    match field {
        "type" => format!("{w}: the types differ"),
        "module" => format!("{w}: imported from module {right} instead of {left}"),
        "field" => format!("{w}: imported as field {right} instead of {left}"),
        "kind" => format!("{w}: exports a {right} instead of a {left}"),
        "target" => format!("{w}: exports {right} instead of {left}"),
        "init" => format!("{w}: the initial values differ"),
        "elements" => format!("{w}: holds different functions"),
        "locals" => format!("{w}: the locals differ"),
        "size" => format!("{w}: the sizes differ"),
        "function" => "the start functions differ".to_string(),
        _ => format!("{w}: {field} differs"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowances_match_keys_and_prefixes() {
        let exact = Allowance::any_pair("layout.__heap_base", "");
        let prefix = Allowance::any_pair("layout.table.*", "");
        assert!(exact.matches("layout.__heap_base") && !exact.matches("layout.__heap_base2"));
        assert!(prefix.matches("layout.table.t.initial") && !prefix.matches("layout.tables"));
    }

    #[test]
    fn byte_runs_are_maximal() {
        let a: Vec<Option<u8>> = [1, 2, 3, 4, 5].map(Some).to_vec();
        let b: Vec<Option<u8>> = [1, 9, 9, 4, 0, 7].map(Some).to_vec();
        assert_eq!(byte_runs(&a, &b), [(1, 3), (4, 5)]);
        assert_eq!(hex(&[Some(0xab), None]), "ab ..");
    }

    #[test]
    fn absent_items_and_layout_allowances() {
        let item = |v: &str| Item { summary: v.into(), fields: [("f".to_string(), Value::Text(v.into()))].into() };
        let mut l = Canon::default();
        let mut r = Canon::default();
        l.items.insert("export.main".into(), item("func main"));
        l.items.insert("layout".into(), Item { summary: String::new(), fields: [("__heap_base".into(), Value::Text("1".into()))].into() });
        r.items.insert("layout".into(), Item { summary: String::new(), fields: [("__heap_base".into(), Value::Text("2".into()))].into() });
        let all = compare_canon_all(&l, &r, &crate::allow::AllowList::embedded().any_pair());
        let keys: Vec<(String, bool)> = all.iter().map(|d| (d.key.to_string(), d.allowed.is_some())).collect();
        assert_eq!(keys, [("export.main".to_string(), false), ("layout.__heap_base".to_string(), true)]);
        assert_eq!(compare_canon(&l, &r).len(), 1);
        assert_eq!(l.get("export.main.f"), Some(&Value::Text("func main".into())));
    }
}
