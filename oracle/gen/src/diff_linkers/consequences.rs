//! Differences that are consequences of others: the diagnostics an
//! outcome difference hides, the differences a known bug in the same
//! comparison explains, and the SIG-1 warnings before a SIG-2 error both
//! sides stopped at.

use linkcheck_core::check::{CheckReport, LinkerReport};
use linkcheck_core::diff::Difference;
use linkcheck_core::linker::Outcome;

/// What the diagnostics of two reports whose outcomes differ would show:
/// their `diag.*`/`warn.*` differences when both have diagnostics (a
/// linked output's warnings, a rejection's messages), and
/// [`missed_member_warnings`].
pub(super) fn diagnostic_differences(left: &LinkerReport, right: &LinkerReport) -> Vec<Difference> {
    let mut out = Vec::new();
    if let (Some(l), Some(r)) = (left.outcome.diagnostics(), right.outcome.diagnostics()) {
        linkcheck_core::diff::compare_diagnostics(l, r, &mut out);
    }
    out.extend(missed_member_warnings(left, right));
    out
}

/// The value of a missed symbol-type-mismatch diagnostic that names an
/// archive member (see [`missed_member_warnings`]).
pub(super) const MEMBER_TYPE_MISMATCH: &str = "1 (names a member)";

/// For each signature-mismatch warning of `left` that names an archive
/// member and that `right` does not give word for word, the difference
/// `warn.signature-mismatch.NAME`: 1 / (absent). The other linker may warn
/// about the same name for another reference while missing the one whose
/// member was extracted (wasm-ld's SIG-LAZY bug), and the counts alone
/// would not show which warning is missing. Likewise each such
/// `symbol type mismatch` diagnostic, as `KIND.symbol-type-mismatch.NAME`:
/// [`MEMBER_TYPE_MISMATCH`] / (absent) (wasm-ld checks no kind when a
/// reference extracts a lazy definition of another kind, SPEC SYM-5); the
/// value tells it from a mismatch between plain objects.
pub(super) fn missed_member_warnings(left: &LinkerReport, right: &LinkerReport) -> Vec<Difference> {
    let given = right.outcome.diagnostics().unwrap_or_default();
    let mut out = Vec::new();
    for text in left.outcome.diagnostics().unwrap_or_default().iter().filter(|t| t.contains(".a(") && !given.contains(t)) {
        for key in linkcheck_core::diagnostics::kind::key_counts([text]).into_keys() {
            if key.starts_with("warn.signature-mismatch.") {
                out.push(Difference::explained(key, "1", linkcheck_core::diff::ABSENT, &left.name, &right.name));
            } else if key.contains(".symbol-type-mismatch.") {
                out.push(Difference::explained(key, MEMBER_TYPE_MISMATCH, linkcheck_core::diff::ABSENT, &left.name, &right.name));
            }
        }
    }
    out
}

/// Whether the difference at `key` is a consequence of known ones in the
/// same comparison: a call of an export whose presence, signature or
/// target differs (`export.NAME` or `export.NAME.*` known explains
/// `call.NAME`: e.g. a missing constructor-running wrapper), the functions
/// of a name whose signature variants are handled otherwise (a known
/// `warn.signature-mismatch.NAME` explains `func.NAME`, `func.NAME.*`,
/// `func.NAME<file>`, `func.NAME#k`), the outcome once a known bug left out
/// a signature check (the mismatching call, not stubbed, keeps code live
/// that refld drops: its undefined symbols fail the link), and any run result
/// once the host saw different calls (a known `hostcall.*` explains
/// `call.*` and `run.*`: the recording host answers by import name).
///
/// Also a `warn.signature-mismatch.NAME` or `*.symbol-type-mismatch.NAME`
/// count of refld's above the other linker's when one of refld's
/// diagnostics for NAME that name an archive member is missed, as a known
/// difference ([`missed_member_warnings`]); an outcome once a known bug
/// left out a kind check;
/// and `func.__wasm_call_ctors.body` when the first differing instruction
/// of a side calls a function `F` whose `func.F` difference is known: an
/// init function that side keeps from a file wasm-ld and refld leave dead
/// (SPEC GC-2; corpus/found/wild_constructor_of_unused_member_runs). Only
/// the first differing instruction is seen, so an order difference of the
/// calls after it goes unseen in that set.
pub(super) fn follows_from_known(d: &Difference, known_keys: &[&str]) -> bool {
    let key = d.key.as_str();
    if follows_from_a_skipped_signature_check(d, known_keys) {
        return true;
    }
    // A missed member warning ([`missed_member_warnings`]) that is known
    // explains a lower warning count of the same name.
    let member_kind = key.starts_with("warn.signature-mismatch.") || key.contains(".symbol-type-mismatch.");
    if member_kind && known_keys.contains(&key) {
        let count = |v: &str| v.parse::<u32>().unwrap_or(0);
        if count(&d.left) > count(&d.right) {
            return true;
        }
    }
    if key == "func.__wasm_call_ctors.body" {
        let calls_known = |value: &str| {
            value.split_once(": call ").is_some_and(|(_, callee)| known_keys.contains(&format!("func.{callee}").as_str()))
        };
        if calls_known(&d.left) || calls_known(&d.right) {
            return true;
        }
    }
    if let Some(name) = key.strip_prefix("call.") {
        let of_export = |k: &&str| {
            k.strip_prefix("export.").is_some_and(|e| e == name || e.strip_prefix(name).is_some_and(|rest| rest.starts_with('.')))
        };
        if known_keys.iter().any(of_export) {
            return true;
        }
    }
    if let Some(func) = key.strip_prefix("func.") {
        let of_variants = |k: &&str| {
            k.strip_prefix("warn.signature-mismatch.").is_some_and(|name| {
                func.strip_prefix(name).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '<', '#']))
            })
        };
        if known_keys.iter().any(of_variants) {
            return true;
        }
    }
    let signature = |k: &&str| {
        k.starts_with("warn.signature-mismatch.") || k.starts_with("diag.signature-mismatch.") || k.contains(".symbol-type-mismatch.")
    };
    if key == "outcome" && known_keys.iter().any(signature) {
        return true;
    }
    (key.starts_with("call.") || key.starts_with("run.")) && known_keys.iter().any(|k| k.starts_with("hostcall."))
}

/// Whether `d` is where the address of a function NAME went when a known
/// `warn.signature-mismatch.NAME` difference says the other linker checked
/// no signature for it (SIG-LAZY): refld's mismatching reference is an
/// undefined variant (address 0, no table slot), the other linker's takes
/// the definition's slot. That explains a relocated constant or word naming
/// NAME (`slot(NAME)`, `(reloc: NAME)`), table elements that differ only in
/// NAME or its stub, and the results of exported calls (the address is a
/// value the program computes with).
fn follows_from_a_skipped_signature_check(d: &Difference, known_keys: &[&str]) -> bool {
    let names: Vec<&str> = known_keys.iter().filter_map(|k| k.strip_prefix("warn.signature-mismatch.")).collect();
    if names.is_empty() {
        return false;
    }
    let key = d.key.as_str();
    let names_it = |v: &str, n: &str| v.contains(&format!("slot({n})")) || v.ends_with(&format!("(reloc: {n})"));
    if (key.starts_with("func.") && key.contains(".site@")) || (key.starts_with("data.") && key.contains(".word@")) {
        return names.iter().any(|n| names_it(&d.left, n) || names_it(&d.right, n));
    }
    if key.starts_with("table.") && key.ends_with(".elements") {
        let set = |v: &str| -> std::collections::BTreeSet<String> {
            v.split(", ").map(str::trim).filter(|e| !e.is_empty()).map(String::from).collect()
        };
        let (l, r) = (set(&d.left), set(&d.right));
        let of_name = |e: &String| names.iter().any(|n| e == n || e.strip_prefix("signature_mismatch:") == Some(n));
        return l.symmetric_difference(&r).all(of_name);
    }
    key.starts_with("call.")
}

/// Whether the first linker and `right` both rejected the link with a
/// `function signature mismatch` error (SIG-2): wasm-ld stops at the first
/// such name of its hash order, so the SIG-1 warnings before it differ
/// (corpus/found/wasm_ld_signature_variants_in_hash_order).
pub(super) fn both_stopped_at_a_signature_error(report: &CheckReport, right: &str) -> bool {
    let stopped = |l: &LinkerReport| match &l.outcome {
        Outcome::Rejected { diagnostics } => {
            linkcheck_core::diagnostics::kind::key_counts(diagnostics).keys().any(|k| k.starts_with("diag.signature-mismatch."))
        }
        _ => false,
    };
    let other = report.linkers.iter().find(|l| l.name == right);
    report.linkers.first().is_some_and(stopped) && other.is_some_and(stopped)
}

#[cfg(test)]
mod tests {
    use super::{diagnostic_differences, follows_from_known};
    use linkcheck_core::check::LinkerReport;
    use linkcheck_core::diff::Difference;
    use linkcheck_core::linker::Outcome;

    fn difference(key: &str, left: &str, right: &str) -> Difference {
        Difference::explained(key, left, right, "refld", "wild")
    }

    #[test]
    fn only_the_member_warning_the_other_side_misses_counts() {
        use super::missed_member_warnings;
        let warn = |a: &str, b: &str| {
            format!("warning: function signature mismatch: f1\n>>> defined as (i32) -> i32 in {a}\n>>> defined as (i32) -> i32 in {b}")
        };
        let report = |name: &str, warnings| LinkerReport {
            name: name.into(),
            outcome: Outcome::Rejected { diagnostics: warnings },
            module: None,
            module_error: None,
            run: None,
        };
        let seen = warn("a2.o", "lib.a(m2.o)");
        let refld = report("refld", vec![seen.clone(), warn("a1.o", "lib.a(m2.o)")]);
        let other = report("rust-lld", vec![seen]);
        let missed = missed_member_warnings(&refld, &other);
        assert_eq!(missed.len(), 1, "{missed:?}");
        assert_eq!((missed[0].key.as_str(), missed[0].right.as_str()), ("warn.signature-mismatch.f1", "(absent)"));
        assert!(missed_member_warnings(&refld, &refld).is_empty());
        // The missed warning, known, explains refld's higher count only.
        let known = ["warn.signature-mismatch.f1"];
        assert!(follows_from_known(&difference("warn.signature-mismatch.f1", "2", "1"), &known));
        assert!(follows_from_known(&difference("warn.signature-mismatch.f1", "1", "(absent)"), &known));
        assert!(!follows_from_known(&difference("warn.signature-mismatch.f1", "1", "2"), &known));
        assert!(!follows_from_known(&difference("warn.signature-mismatch.f2", "2", "1"), &known));
    }

    #[test]
    fn where_an_unchecked_function_address_went_follows_from_its_known_warning() {
        let known = ["warn.signature-mismatch.f0"];
        let follows = |key: &str, left: &str, right: &str| follows_from_known(&difference(key, left, right), &known);
        assert!(follows("func.f1.site@0", "null (reloc: f0)", "slot(f0)"));
        assert!(follows("data.d0.word@4", "slot(null) (reloc: f0)", "slot(f0)"));
        assert!(!follows("func.f1.site@0", "null (reloc: f2)", "slot(f2)"));
        assert!(!follows("func.f1.site@0", "null (reloc: f01)", "slot(f01)"));
        assert!(follows("table.__indirect_function_table.elements", "f3", "f0, f3"));
        assert!(follows("table.__indirect_function_table.elements", "signature_mismatch:f0", "f0"));
        assert!(!follows("table.__indirect_function_table.elements", "f3", "f0, f2, f3"));
        assert!(follows("call.f1", "(0)", "(1)"));
        // Without the known warning none of it follows.
        let none = |key: &str, left: &str, right: &str| follows_from_known(&difference(key, left, right), &["export.f9"]);
        assert!(!none("func.f1.site@0", "null (reloc: f0)", "slot(f0)"));
        assert!(!none("table.__indirect_function_table.elements", "", "f0"));
        assert!(!none("call.f1", "(0)", "(1)"));
    }

    #[test]
    fn a_missed_type_mismatch_naming_a_member_is_marked() {
        use super::{missed_member_warnings, MEMBER_TYPE_MISMATCH};
        let text = "error: symbol type mismatch: f1\n>>> defined as WASM_SYMBOL_TYPE_DATA in lib.a(m1.o)\n>>> defined as WASM_SYMBOL_TYPE_FUNCTION in lib.a(m2.o)";
        let rejected = |name: &str, diags: Vec<String>| LinkerReport {
            name: name.into(),
            outcome: Outcome::Rejected { diagnostics: diags },
            module: None,
            module_error: None,
            run: None,
        };
        let linked = LinkerReport {
            name: "rust-lld".into(),
            outcome: Outcome::Linked { bytes: Vec::new(), warnings: Vec::new() },
            module: None,
            module_error: None,
            run: None,
        };
        let refld = rejected("refld", vec![text.to_string()]);
        let missed = missed_member_warnings(&refld, &linked);
        assert_eq!(missed.len(), 1, "{missed:?}");
        assert_eq!((missed[0].key.as_str(), missed[0].left.as_str()), ("diag.symbol-type-mismatch.f1", MEMBER_TYPE_MISMATCH));
        // The same message between plain objects is no member's.
        let plain = rejected("refld", vec![text.replace("lib.a(m1.o)", "m1.o").replace("lib.a(m2.o)", "m2.o")]);
        assert!(missed_member_warnings(&plain, &linked).is_empty());
        // Given word for word by the other linker: nothing missed.
        assert!(missed_member_warnings(&refld, &rejected("rust-lld", vec![text.to_string()])).is_empty());
        let known = ["diag.symbol-type-mismatch.f1"];
        assert!(follows_from_known(&difference("diag.symbol-type-mismatch.f1", "1", "(absent)"), &known));
        assert!(follows_from_known(&difference("outcome", "rejected", "linked"), &known));
    }

    #[test]
    fn a_constructor_call_follows_from_its_known_extra_function() {
        let ctors = |left: &str, right: &str| difference("func.__wasm_call_ctors.body", left, right);
        let known = ["func.ctor1<lib.a(m1.o)>", "import.env.f1"];
        assert!(follows_from_known(&ctors("#1: end", "#1: call ctor1<lib.a(m1.o)>"), &known));
        assert!(follows_from_known(&ctors("#1: call ctor1<lib.a(m1.o)>", "#1: call ctor2"), &known));
        // A call of a function both outputs have is an order difference.
        assert!(!follows_from_known(&ctors("#1: call ctor2", "#1: call ctor3"), &known));
        assert!(!follows_from_known(&ctors("#1: end", "#1: call ctor1<lib.a(m2.o)>"), &known));
        // Only the constructors' caller: another body calling it is no consequence.
        let other = difference("func.f1.body", "#1: end", "#1: call ctor1<lib.a(m1.o)>");
        assert!(!follows_from_known(&other, &known));
    }

    #[test]
    fn a_signature_warning_naming_a_member_counts_as_missed_by_the_other_side() {
        let warn = |files: &str| format!("warning: function signature mismatch: f1\n>>> defined as (i32) -> i32 in {files}");
        let report = |name: &str, outcome| LinkerReport { name: name.into(), outcome, module: None, module_error: None, run: None };
        let refld = report("refld", Outcome::Linked { bytes: Vec::new(), warnings: vec![warn("lib.a(m1.o)")] });
        let other = report(
            "rust-lld",
            Outcome::Rejected { diagnostics: vec![warn("lib.a(m3.o)"), "error: lib.a(m2.o): undefined symbol: d0".into()] },
        );
        let d = diagnostic_differences(&refld, &other);
        let got: Vec<(&str, &str, &str)> = d.iter().map(|d| (d.key.as_str(), d.left.as_str(), d.right.as_str())).collect();
        assert!(got.contains(&("warn.signature-mismatch.f1", "1", "(absent)")), "{got:?}");
        assert!(got.contains(&("diag.undefined-symbol.d0", "(absent)", "1")), "{got:?}");
        let plain = report("refld", Outcome::Linked { bytes: Vec::new(), warnings: vec![warn("a.o")] });
        let d = diagnostic_differences(&plain, &other);
        assert!(d.iter().all(|d| !d.key.starts_with("warn.")), "no member named: {d:?}");
    }

    #[test]
    fn a_signature_error_on_both_sides_hides_the_warnings_before_it() {
        use super::both_stopped_at_a_signature_error;
        use linkcheck_core::check::CheckReport;
        let rejected = |name: &str, diags: &[&str]| LinkerReport {
            name: name.into(),
            outcome: Outcome::Rejected { diagnostics: diags.iter().map(|d| d.to_string()).collect() },
            module: None,
            module_error: None,
            run: None,
        };
        let report = |linkers| CheckReport { args: vec![], linkers, comparisons: vec![], agree: false };
        let sig2 = "error: function signature mismatch: f3";
        let both = report(vec![rejected("refld", &[sig2]), rejected("rust-lld", &["warning: function signature mismatch: f1", sig2])]);
        assert!(both_stopped_at_a_signature_error(&both, "rust-lld"));
        let one = report(vec![rejected("refld", &["error: a.o: undefined symbol: g"]), rejected("rust-lld", &[sig2])]);
        assert!(!both_stopped_at_a_signature_error(&one, "rust-lld"));
    }

    #[test]
    fn calls_follow_from_their_export_and_runs_from_host_calls() {
        let follows_from_known = |key: &str, known: &[&str]| follows_from_known(&difference(key, "1", "2"), known);
        assert!(follows_from_known("call.f1", &["export.f1"]));
        assert!(!follows_from_known("call.f2", &["export.f1"]));
        assert!(!follows_from_known("call.f1", &["import.env.f1"]));
        assert!(follows_from_known("call.f2", &["export.f2.target"]));
        assert!(!follows_from_known("call.f2", &["export.f23.target"]));
        assert!(follows_from_known("call.f2", &["hostcall.0"]));
        assert!(follows_from_known("run.exit_code", &["hostcall.3"]));
        assert!(!follows_from_known("func.f2.body", &["hostcall.0"]));
        assert!(!follows_from_known("run.exit_code", &[]));
        let variants = ["warn.signature-mismatch.f0"];
        for key in ["func.f0", "func.f0.body", "func.f0.type", "func.f0<a2.o>", "func.f0#2"] {
            assert!(follows_from_known(key, &variants), "{key}");
        }
        assert!(!follows_from_known("func.f01.body", &variants));
        assert!(!follows_from_known("func.g.body", &variants));
        assert!(follows_from_known("outcome", &variants));
        assert!(follows_from_known("outcome", &["diag.signature-mismatch.f3"]));
        assert!(!follows_from_known("outcome", &["hostcall.0", "export.f"]));
    }
}
