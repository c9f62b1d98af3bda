//! The `target_features` and `producers` custom sections of the output:
//! merged from the inputs (rules FEAT-*, PROD-*).

use crate::diag::Diagnostic;
use crate::object::ObjectFile;
use std::collections::{BTreeMap, BTreeSet};

/// FEAT-1: the output uses every feature some input uses (`+` or `=`).
/// FEAT-2: a feature used by one input and disallowed (`-`) by another is
/// an error. (FEAT-3: the reader rejects `=`, so the `required` checks below
/// never fire.) With `--no-check-features` only FEAT-1 applies.
/// Returns the used features, sorted, and the errors.
pub fn merge_features(files: &[&ObjectFile], check: bool) -> (Vec<String>, Vec<Diagnostic>) {
    let mut used: BTreeMap<&str, &str> = BTreeMap::new();
    let mut disallowed: BTreeMap<&str, &str> = BTreeMap::new();
    let mut required: BTreeMap<&str, &str> = BTreeMap::new();
    for f in files {
        for feat in &f.features {
            let map = match feat.prefix {
                b'+' => &mut used,
                b'-' => &mut disallowed,
                _ => {
                    used.entry(&feat.name).or_insert(&f.name);
                    &mut required
                }
            };
            map.entry(&feat.name).or_insert(&f.name);
        }
    }
    let mut diags = Vec::new();
    if check {
        for (name, user) in &used {
            if let Some(by) = disallowed.get(name) {
                diags.push(Diagnostic::error(format!("Target feature '{name}' used in {user} is disallowed by {by}. Use --no-check-features to suppress.")));
            }
        }
        for (name, by) in &required {
            for f in files {
                if !f.features.iter().any(|x| x.name == *name && x.prefix != b'-') {
                    diags.push(Diagnostic::error(format!("Missing target feature '{name}' in {}, required by {by}. Use --no-check-features to suppress.", f.name)));
                }
            }
        }
    }
    (used.keys().map(|s| s.to_string()).collect(), diags)
}

/// FEAT-4 (measured): live thread-local data (a segment with the TLS flag
/// or named `.tdata*`/`.tbss*`) needs the `atomics` and `bulk-memory` features:
/// `'atomics' feature must be used in order to use thread-local storage`.
/// Off with `--no-check-features`.
pub fn check_tls(res: &crate::resolve::Resolution, live: &crate::live::LiveSet, check: bool) -> Vec<Diagnostic> {
    use crate::live::Chunk;
    let tls_used = res.files.iter().enumerate().any(|(f, obj)| {
        obj.segments.iter().enumerate().any(|(i, s)| {
            live.is_live(Chunk::Segment(f, i as u32)) && (s.flags & crate::object::SEG_TLS != 0 || s.name.starts_with(".tdata") || s.name.starts_with(".tbss"))
        })
    });
    if !check || !tls_used {
        return Vec::new();
    }
    let used = |name: &str| res.files.iter().any(|f| f.features.iter().any(|x| x.name == name && x.prefix == b'+'));
    ["atomics", "bulk-memory"]
        .into_iter()
        .filter(|f| !used(f))
        .map(|f| Diagnostic::error(format!("'{f}' feature must be used in order to use thread-local storage")))
        .collect()
}

/// PROD-1: producers fields merged: each (field, name) once, the first
/// version seen kept, fields and names in first-seen order.
pub fn merge_producers(files: &[&ObjectFile]) -> Vec<(String, Vec<(String, String)>)> {
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    for f in files {
        for (field, name, version) in &f.producers {
            if !seen.insert((field.clone(), name.clone())) {
                continue;
            }
            match out.iter_mut().find(|(k, _)| k == field) {
                Some((_, v)) => v.push((name.clone(), version.clone())),
                None => out.push((field.clone(), vec![(name.clone(), version.clone())])),
            }
        }
    }
    out
}
