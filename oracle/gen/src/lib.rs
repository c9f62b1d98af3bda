//! linkcheck-gen: the generators and fuzz engines of linkcheck.
//!
//! - [`object_set`]: object sets drawn from bytes ([`object_set::ObjectSet`]
//!   implements `Arbitrary`): up to five objects and an archive, names from
//!   small pools so that definitions collide, lowered to linkcheck-object
//!   models and saved as generated corpus cases;
//! - [`props`]: the formal properties of the reference linker over those
//!   sets, checked in-process (the `reference_properties` fuzz target);
//! - [`split`]: the split-and-relink oracle: a wasm-smith module cut into
//!   objects, relinked by refld, run beside the original (`split_relink`);
//! - [`equivalence`]: static-vs-dynamic equivalence: a C program compiled
//!   with `-fPIC`, linked statically and as a main module plus side
//!   modules, run both ways (the loader), compared (`dynamic_equivalence`);
//! - [`diff_linkers`]: the differential engine of the `diff_linkers` fuzz
//!   target: a set linked by refld and other linkers, compared by
//!   linkcheck-core, judged by the policy (`corpus/policy.toml`).
//!
//! The fuzz targets (fuzz/) depend on this crate; the CLI (linkcheck) uses
//! it for nothing but saved cases, which are linkcheck-core's case files.

pub mod diff_linkers;
pub mod equivalence;
pub mod object_set;
pub mod props;
pub mod split;
