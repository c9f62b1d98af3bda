//! refld bugs the split oracle has found and that are not fixed yet, as
//! `[[known]]` entries of the policy (`corpus/policy.toml`) whose linker
//! is `refld`: the split-and-relink check compares refld with itself, so
//! its failures are keyed ([`SplitFailure::key`]) and matched like any
//! difference, with the original's behaviour as the left value and the
//! relinked module's as the right. Remove an entry when refld is fixed.

use super::{check_relink, split, SplitFailure};
use linkcheck_core::policy::{KnownBug, Policy};

/// The policy's linker name of refld's own bugs in the split oracle.
pub const SPLIT_LINKER: &str = "refld";

impl SplitFailure {
    /// The failure as a difference key: `split.refused`, `split.part`,
    /// `split.link`, `split.output`, `split.harness.SIDE`, `split.exports`,
    /// `split.call.EXPORT`.
    pub fn key(&self) -> String {
        match self {
            SplitFailure::Split(_) => "split.refused".into(),
            SplitFailure::InvalidPart { .. } => "split.part".into(),
            SplitFailure::Link { .. } => "split.link".into(),
            SplitFailure::InvalidOutput { .. } => "split.output".into(),
            SplitFailure::Harness { side, .. } => format!("split.harness.{side}"),
            SplitFailure::Exports { .. } => "split.exports".into(),
            SplitFailure::Behaviour { export, .. } => format!("split.call.{export}"),
        }
    }

    /// The original's side and the relinked side of the failure, as the
    /// left and right values a `[[known]]` entry matches.
    pub fn values(&self) -> (String, String) {
        match self {
            SplitFailure::Exports { original, relinked } => (original.join(","), relinked.join(",")),
            SplitFailure::Behaviour { original, relinked, .. } => (original.clone(), relinked.clone()),
            other => (String::new(), other.to_string()),
        }
    }
}

/// What [`check_unless_known`] did.
pub enum Checked<'a> {
    /// The relinked module behaves like the original.
    Same,
    /// The check failed the way a known refld bug of the policy does.
    Known(&'a KnownBug),
}

/// [`super::check_split_relink`], except that a failure a `[[known]]`
/// entry of `policy` for [`SPLIT_LINKER`] covers is that known bug.
/// Errors: as `check_split_relink`.
pub fn check_unless_known<'a>(module: &[u8], parts: usize, choice: &[u8], policy: &'a Policy) -> Result<Checked<'a>, SplitFailure> {
    let s = split(module, parts, choice).map_err(SplitFailure::Split)?;
    match check_relink(&s) {
        Ok(()) => Ok(Checked::Same),
        Err(failure) => {
            let (left, right) = failure.values();
            match policy.known_bug(SPLIT_LINKER, None, &failure.key(), &left, &right) {
                Some(bug) => Ok(Checked::Known(bug)),
                None => Err(failure),
            }
        }
    }
}
