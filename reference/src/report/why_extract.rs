//! `--why-extract=FILE` (rule WHY-1; wasm-ld `writeWhyExtract`).

use crate::resolve::Resolution;

/// The table: a header `reference\textracted\tsymbol`, then one line per
/// extracted member in the order the members were read to the end.
pub(crate) fn text(res: &Resolution) -> String {
    let mut s = String::from("reference\textracted\tsymbol\n");
    for e in &res.extractions {
        s.push_str(&format!("{}\t{}\t{}\n", e.reference, e.extracted, e.symbol));
    }
    s
}
