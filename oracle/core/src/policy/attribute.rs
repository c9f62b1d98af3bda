//! Attribution: which divergences of a check are known bugs of the other
//! linker, by the policy's `[[known]]` entries and by re-linking with
//! refld under that linker's quirks.

use super::{messages_of, LinkFacts, Policy};
use crate::check::{compare_under_quirks, CheckOptions, CheckReport};
use crate::dynamic::{compare_under_quirks_with_sides, SideLink};
use crate::linker::REFERENCE_NAME;
use crate::key::DiffKey;
use crate::run::Runner;
use std::collections::BTreeSet;
use std::path::Path;

/// What [`attribute`] did to a report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attribution {
    /// Divergences a `[[known]]` entry covers.
    pub by_known: usize,
    /// Divergences re-linking under the linker's quirks removes.
    pub by_quirks: usize,
    /// refld links made under quirks.
    pub relinks: usize,
}

/// Marks the divergences of `report` that are known bugs
/// ([`crate::diff::Difference::known`] set to the explaining note):
/// 1. a divergence a `[[known]]` entry of the other linker covers (on
///    `case`, relative to the policy's folder; `None` for a generated set);
/// 2. when some divergence of a comparison of refld with linker L is left
///    and the policy gives L quirks: refld links the same arguments again
///    under all of L's quirks and that link is compared with L's. If every
///    divergence left there is covered by a `[[known]]` entry or shows
///    under a key plain refld diverged at too, each divergence of plain
///    refld whose key is gone is L's quirk, noted with the quirk that
///    removes it alone, else with the quirks without which (the others
///    on) it comes back, joined by ` + `. A divergence the quirks leave in place, or a new one they
///    bring, leaves every divergence of plain refld as it is: the quirks do
///    not model L on this link.
///
/// Only comparisons whose first linker is refld are re-linked. `cwd`
/// holds the inputs `report.args` name; `sides` are the links made before
/// the main one (side modules, a two-step link's `-r` parts), which refld
/// then makes under the quirks too.
pub fn attribute(
    policy: &Policy,
    report: &mut CheckReport,
    case: Option<&str>,
    cwd: &Path,
    sides: &[SideLink],
    runner: &Runner,
    options: &CheckOptions,
) -> Attribution {
    let mut done = Attribution::default();
    for i in 0..report.comparisons.len() {
        let messages = report.linkers.iter().find(|l| l.name == report.comparisons[i].right).map(messages_of).unwrap_or_default();
        let cmp = &mut report.comparisons[i];
        done.by_known += policy.mark_known(cmp, case, &LinkFacts { messages: &messages, args: &report.args });
        let open: Vec<usize> = (0..cmp.differences.len()).filter(|&n| cmp.differences[n].known.is_none()).collect();
        let right = cmp.right.clone();
        let quirks: Vec<(&str, &str)> = policy.quirks_of(&right).map(|q| (q.quirk.as_str(), q.note.as_str())).collect();
        if open.is_empty() || quirks.is_empty() || cmp.left != REFERENCE_NAME {
            continue;
        }
        let open_keys: BTreeSet<DiffKey> = open.iter().map(|&n| cmp.differences[n].key.clone()).collect();
        let Some(other) = report.linkers.iter().find(|l| l.name == right) else { continue };
        let relinks = std::cell::Cell::new(0);
        let relink = |names: &[&str]| {
            relinks.set(relinks.get() + 1);
            let mut c = if sides.is_empty() {
                compare_under_quirks(&report.args, cwd, names, other, runner, options)
            } else {
                compare_under_quirks_with_sides(sides, &report.args, cwd, names, other, runner, options)
            };
            policy.mark_known(&mut c, case, &LinkFacts { messages: &messages, args: &report.args });
            c.differences.into_iter().filter(|d| d.known.is_none()).map(|d| d.key).collect::<BTreeSet<DiffKey>>()
        };
        let all: Vec<&str> = quirks.iter().map(|(q, _)| *q).collect();
        let left = relink(&all);
        if !left.is_subset(&open_keys) {
            done.relinks += relinks.get();
            continue;
        }
        // Which quirks to name: the one that removes the key alone, else
        // those without which (all the others on) the key comes back.
        let mut singles: Vec<Option<BTreeSet<DiffKey>>> = vec![None; quirks.len()];
        let mut all_but: Vec<Option<BTreeSet<DiffKey>>> = vec![None; quirks.len()];
        let cmp = &mut report.comparisons[i];
        for n in open {
            let key = cmp.differences[n].key.clone();
            if left.contains(&key) {
                continue;
            }
            let alone = (0..quirks.len())
                .find(|&q| quirks.len() == 1 || !singles[q].get_or_insert_with(|| relink(&[quirks[q].0])).contains(&key));
            let named: Vec<usize> = match alone {
                Some(q) => vec![q],
                None => (0..quirks.len())
                    .filter(|&q| {
                        let others: Vec<&str> = all.iter().enumerate().filter(|(o, _)| *o != q).map(|(_, name)| *name).collect();
                        all_but[q].get_or_insert_with(|| relink(&others)).contains(&key)
                    })
                    .collect(),
            };
            let named = if named.is_empty() { (0..quirks.len()).collect() } else { named };
            let note = named.iter().map(|&q| quirks[q].1).collect::<Vec<_>>().join(" + ");
            cmp.differences[n].known = Some(note);
            done.by_quirks += 1;
        }
        done.relinks += relinks.get();
    }
    done
}
