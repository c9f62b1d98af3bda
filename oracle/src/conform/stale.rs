//! Stale policy entries: `[[known]]` entries with `cases` that no longer
//! match a divergence (the linker was fixed, or the entry is wrong).

use super::ConformReport;
use linkcheck_core::allow::glob;
use linkcheck_core::policy::{KnownBug, Policy};

/// The `[[known]]` entries of `policy` with `cases` whose linker ran and
/// some of whose cases ran, but which explain no divergence of that linker
/// on those cases (no divergence under a key the entry matches carries
/// its note). Entries without `cases` (generated sets) are never stale
/// here. Stale entries are warnings, not failures.
pub fn stale_entries(policy: &Policy, report: &ConformReport) -> Vec<KnownBug> {
    let cases: Vec<(String, &super::CaseResult)> =
        report.cases.iter().filter_map(|c| Some((policy.relative(&c.dir)?, c))).collect();
    policy
        .known
        .iter()
        .filter(|k| {
            let Some(patterns) = &k.cases else { return false };
            if !report.linkers.contains(&k.linker) {
                return false;
            }
            let matching: Vec<&super::CaseResult> =
                cases.iter().filter(|(rel, _)| patterns.iter().any(|p| glob(p, rel))).map(|(_, c)| *c).collect();
            !matching.is_empty()
                && !matching.iter().filter_map(|c| c.report.as_ref()).flat_map(|r| &r.comparisons).filter(|cmp| cmp.right == k.linker).any(
                    |cmp| cmp.differences.iter().any(|d| glob(&k.key, &d.key.to_string()) && d.known.as_deref() == Some(k.note.as_str())),
                )
        })
        .cloned()
        .collect()
}

/// The warning line of a stale entry.
pub fn stale_line(k: &KnownBug) -> String {
    format!(
        "warning: stale known divergence: {} `{}` on [{}] ({}) matches no divergence",
        k.linker,
        k.key,
        k.cases.as_deref().unwrap_or_default().join(", "),
        k.note
    )
}
