//! The `target_features` and `producers` custom sections of the output:
//! merged from the inputs (rules FEAT-*, PROD-*).

use crate::config::Config;
use crate::diag::Diagnostics;
use crate::live::{Chunk, LiveSet};
use crate::object::ObjectFile;
use crate::resolve::Resolution;
use std::collections::{BTreeMap, BTreeSet};

/// The features of the output's `target_features` section (FEAT-1,
/// FEAT-OPT): the allowed features, which the shared-memory and TLS checks
/// read too.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Features {
    /// Every feature some input uses (or `--features`' list), with
    /// `--extra-features`' added, sorted by name.
    pub used: Vec<String>,
}

/// FEAT-1: the output uses every feature some input uses (`+` or `=`).
/// FEAT-2: a feature used by one input and disallowed (`-`) by another is
/// an error. (FEAT-3: the reader rejects `=`, so the `required` checks below
/// never fire.) With `--no-check-features` only FEAT-1 applies.
pub(crate) fn merge_features(res: &Resolution, config: &Config, diags: &mut Diagnostics) -> Features {
    let files = &res.files;
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
    if config.check_features {
        for (name, user) in &used {
            if let Some(by) = disallowed.get(name) {
                diags.error(format!("Target feature '{name}' used in {user} is disallowed by {by}. Use --no-check-features to suppress."));
            }
        }
        for (name, by) in &required {
            for f in files {
                if !f.features.iter().any(|x| x.name == *name && x.prefix != b'-') {
                    diags.error(format!("Missing target feature '{name}' in {}, required by {by}. Use --no-check-features to suppress.", f.name));
                }
            }
        }
    }
    // FEAT-OPT (measured, wasm-ld 22): `--features=LIST` replaces what the
    // inputs use, and each used feature outside it is an error naming the
    // first file that uses it; `--extra-features=LIST` adds to either.
    let mut allowed: BTreeSet<String> = match &config.features {
        Some(list) => list.iter().cloned().collect(),
        None => used.keys().map(|s| s.to_string()).collect(),
    };
    allowed.extend(config.extra_features.iter().cloned());
    if config.check_features && config.features.is_some() {
        for (name, user) in used.iter().filter(|(name, _)| !allowed.contains(**name)) {
            diags.error(format!("Target feature '{name}' used by {user} is not allowed."));
        }
    }
    let mut used = allowed;
    // FEAT-PIC (measured, wasm-ld 22 and 19): PIC output needs imported
    // mutable globals (`__stack_pointer`, GOT entries), so it always lists
    // the feature, whatever the inputs say.
    if config.is_pic() {
        used.insert("mutable-globals".into());
    }
    Features { used: used.into_iter().collect() }
}

/// FEAT-SHARED-MEMORY (measured, wasm-ld 22 and 19): `--shared-memory`
/// needs the `atomics` and `bulk-memory` features:
/// `'F' feature must be used in order to use shared memory` for each one
/// no input uses, before FEAT-4's. Off with `--no-check-features`.
pub(crate) fn check_shared_memory(features: &Features, config: &Config, diags: &mut Diagnostics) {
    if !config.check_features || !config.shared_memory {
        return;
    }
    for f in ["atomics", "bulk-memory"].into_iter().filter(|f| !features.allows(f)) {
        diags.error(format!("'{f}' feature must be used in order to use shared memory"));
    }
}

impl Features {
    /// Whether the output allows feature `name` (FEAT-OPT: the inputs'
    /// features, or `--features`' list, and `--extra-features`').
    pub(crate) fn allows(&self, name: &str) -> bool {
        self.used.iter().any(|f| f == name)
    }
}

/// FEAT-4 (measured): live thread-local data (a segment with the TLS flag
/// or named `.tdata*`/`.tbss*`) needs the `atomics` and `bulk-memory` features:
/// `'atomics' feature must be used in order to use thread-local storage`.
/// Off with `--no-check-features`.
pub(crate) fn check_tls(res: &Resolution, live: &LiveSet, features: &Features, config: &Config, diags: &mut Diagnostics) {
    let tls_used = res.files().any(|(f, obj)| {
        obj.segments.iter().enumerate().any(|(i, s)| {
            live.is_live(Chunk::Segment(f, i.into())) && (s.flags & crate::object::SEG_TLS != 0 || s.name.starts_with(".tdata") || s.name.starts_with(".tbss"))
        })
    });
    if !config.check_features || !tls_used {
        return;
    }
    for f in ["atomics", "bulk-memory"].into_iter().filter(|f| !features.allows(f)) {
        diags.error(format!("'{f}' feature must be used in order to use thread-local storage"));
    }
}

/// PROD-1: producers fields merged: each (field, name) once, the first
/// version seen kept, names in first-seen order; the fields in wasm-ld's
/// order (`language`, `processed-by`, `sdk`; any other after them).
pub(crate) fn merge_producers(files: &[ObjectFile]) -> Vec<(String, Vec<(String, String)>)> {
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
    let rank = |field: &str| ["language", "processed-by", "sdk"].iter().position(|f| *f == field).unwrap_or(3);
    out.sort_by_key(|(field, _)| rank(field));
    out
}
