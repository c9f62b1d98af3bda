//! Tests of the canonical form (`linkcheck_core::canon`): objects built with
//! `linkcheck_object`, linked by refld (in memory) and by rust-lld.
//!
//! - refld's and rust-lld's outputs of one multi-object program compare
//!   equal (layout values aside, by the default allow-list);
//! - re-laid-out outputs compare equal to the original: functions
//!   permuted, LEBs padded or shortened, data segments moved;
//! - each injected defect is reported under its key, and only there.
//!
//! rust-lld missing fails the tests with what to install.

mod canon {
    mod support;
    mod rewrite;

    mod defects;
    mod equal;
}
