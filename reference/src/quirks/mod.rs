//! Quirks: measured deviations of other linkers from SPEC.md, stated as
//! rules refld follows when asked (`--quirk NAME`, off by default; SPEC.md
//! QUIRK-*). The oracle links a set again with refld under a linker's
//! quirks: a divergence from that linker which the quirks remove is its
//! known bug, whatever downstream form it takes.

use std::fmt;

// The hash-table orders of LLVM releases: the basis of the hash-order
// quirks to come (EXP-ORDER, SIG-2), measured by tests/tests/llvm_order.rs.
#[allow(dead_code)]
pub(crate) mod llvm_order;

/// One quirk refld can emulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Quirk {
    /// QUIRK-LAZY-SIG (wasm-ld, every release measured): no signature check
    /// where a function reference meets a lazy symbol.
    LazySignatureUnchecked,
    /// QUIRK-LAZY-KIND (wasm-ld, every release measured): no kind check
    /// where a symbol of another kind meets a lazy symbol.
    LazyKindUnchecked,
}

/// What a quirk is, for `--help`, `linkcheck quirks` and SPEC.md.
#[derive(Debug, Clone, Copy)]
pub struct QuirkInfo {
    pub quirk: Quirk,
    /// The `--quirk` name, kebab-case.
    pub name: &'static str,
    /// The SPEC.md rule ID (`QUIRK-*`).
    pub id: &'static str,
    /// The linkers (and releases) measured to behave so.
    pub linkers: &'static str,
    /// One line: what refld does differently under the quirk.
    pub summary: &'static str,
}

/// Every quirk, in SPEC.md's order.
pub const QUIRKS: &[QuirkInfo] = &[
    QuirkInfo {
        quirk: Quirk::LazySignatureUnchecked,
        name: "lazy-signature-unchecked",
        id: "QUIRK-LAZY-SIG",
        linkers: "wasm-ld 14, 16, 19, 22 (rust-lld 22)",
        summary: "a function reference meeting a lazy symbol is not checked against its signature: a weak one gives the lazy symbol its signature, a strong one extracts the member and binds to its definition whatever its type (SIG-LAZY off)",
    },
    QuirkInfo {
        quirk: Quirk::LazyKindUnchecked,
        name: "lazy-kind-unchecked",
        id: "QUIRK-LAZY-KIND",
        linkers: "wasm-ld 14, 16, 19, 22 (rust-lld 22)",
        summary: "a symbol of another kind meeting a lazy symbol is not checked: a reference extracts the member (or, weak, leaves it lazy) and joins the symbol, a definition replaces it (SYM-5's lazy cases off)",
    },
];

impl Quirk {
    /// The quirk's description.
    pub fn info(self) -> &'static QuirkInfo {
        QUIRKS.iter().find(|q| q.quirk == self).expect("every quirk is in QUIRKS")
    }

    /// The quirk named `name` (its `--quirk` name).
    pub fn from_name(name: &str) -> Option<Quirk> {
        QUIRKS.iter().find(|q| q.name == name).map(|q| q.quirk)
    }

    /// Its `--quirk` name.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

impl fmt::Display for Quirk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of quirks (none by default: refld follows SPEC.md).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Quirks(u32);

impl Quirks {
    /// No quirk.
    pub const NONE: Quirks = Quirks(0);

    /// True when `q` is in the set.
    pub fn has(self, q: Quirk) -> bool {
        self.0 & q.bit() != 0
    }

    /// Adds `q`.
    pub fn insert(&mut self, q: Quirk) {
        self.0 |= q.bit();
    }

    /// The quirks of the set, in SPEC.md's order.
    pub fn iter(self) -> impl Iterator<Item = Quirk> {
        QUIRKS.iter().map(|q| q.quirk).filter(move |&q| self.has(q))
    }
}

impl FromIterator<Quirk> for Quirks {
    fn from_iter<I: IntoIterator<Item = Quirk>>(iter: I) -> Self {
        let mut s = Quirks::NONE;
        for q in iter {
            s.insert(q);
        }
        s
    }
}
