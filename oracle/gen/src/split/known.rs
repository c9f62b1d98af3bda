//! refld bugs the split oracle has found and that are not fixed yet, each
//! recognized by a precise predicate on the split (not by matching a
//! message), so that the fuzz target and the tests can step over them, say
//! how often they did, and still catch everything else. Remove an entry
//! when refld is fixed.

use super::{check_relink, split, Split, SplitFailure};

/// A known refld bug.
pub struct KnownRefldBug {
    /// A short stable name.
    pub id: &'static str,
    /// What goes wrong, where, and since when.
    pub summary: &'static str,
    /// Whether linking `split` can hit the bug.
    pub applies: fn(&Split) -> bool,
}

/// The known refld bugs (none now: `table-type-index-as-symbol`, a panic on
/// a `R_WASM_TYPE_INDEX_LEB` index beyond the symbol count, is fixed, REL-TYPE).
pub const KNOWN_REFLD_BUGS: &[KnownRefldBug] = &[];

/// The first known refld bug that linking `s` can hit.
pub fn known_refld_bug(s: &Split) -> Option<&'static KnownRefldBug> {
    KNOWN_REFLD_BUGS.iter().find(|b| (b.applies)(s))
}

/// What [`check_unless_known`] did.
pub enum Checked {
    /// The relinked module behaves like the original.
    Same,
    /// Not linked: the split can hit this known refld bug.
    Known(&'static KnownRefldBug),
}

/// [`super::check_split_relink`], except that a split that can hit a known
/// refld bug is not linked. Errors: as `check_split_relink`.
pub fn check_unless_known(module: &[u8], parts: usize, choice: &[u8]) -> Result<Checked, SplitFailure> {
    let s = split(module, parts, choice).map_err(SplitFailure::Split)?;
    if let Some(bug) = known_refld_bug(&s) {
        return Ok(Checked::Known(bug));
    }
    check_relink(&s).map(|()| Checked::Same)
}
