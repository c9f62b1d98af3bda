//! The report as text for people and as JSON for tools. The text shows the
//! failing symbols first, each with its fixes in the terms of the
//! language its references come from; the JSON carries the same facts for
//! every symbol (dead-only ones included) and keeps the fields of the
//! earlier output.

use super::{Fix, Group, Language, Report, SymbolReport};
use refld::explain::{Explanation, UndefinedSymbol};
use serde::Serialize;
use std::fmt::Write;

/// JSON form of one undefined symbol. The fields up to `did_you_mean` are
/// the earlier output's; the rest came with the failing-first order.
#[derive(Serialize)]
struct JsonSymbol<'a> {
    name: &'a str,
    kind: String,
    live: bool,
    import_module: &'a str,
    import_name: &'a str,
    referrers: Vec<JsonReferrer<'a>>,
    outcomes: Vec<(&'a str, &'a str)>,
    did_you_mean: Vec<(&'a str, &'a str)>,
    /// `failing`, `other` or `dead`.
    group: &'static str,
    demangled: Option<&'a str>,
    fails_as_given: bool,
    fails_by_default: bool,
    /// `rust`, `c` or `unknown`.
    language: &'static str,
    fixes: Vec<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonReferrer<'a> {
    file: &'a str,
    within: &'a str,
    kind: &'a str,
    live: bool,
    weak: bool,
    import_module: Option<&'a str>,
    import_name: Option<&'a str>,
    within_demangled: Option<String>,
    producers: &'a [String],
}

#[derive(Serialize)]
struct JsonFix<'a> {
    kind: &'static str,
    effect: &'a str,
    rust: &'a str,
    c: &'a str,
    linker: Option<&'a str>,
    checked: bool,
    then: &'a [String],
}

#[derive(Serialize)]
struct JsonConflict<'a> {
    symbol: &'a str,
    imports: Vec<(&'a str, &'a str, &'a [String])>,
    reported: bool,
}

fn json_symbol<'a>(s: &'a SymbolReport, u: &'a UndefinedSymbol) -> JsonSymbol<'a> {
    JsonSymbol {
        name: &u.name,
        kind: u.kind.to_string().to_lowercase(),
        live: u.live,
        import_module: &u.import.0,
        import_name: &u.import.1,
        referrers: u
            .referrers
            .iter()
            .map(|r| JsonReferrer {
                file: &r.file,
                within: &r.within,
                kind: r.kind.word(),
                live: r.live,
                weak: r.weak,
                import_module: r.import_module.as_deref(),
                import_name: r.import_name.as_deref(),
                within_demangled: super::demangle_rust(&r.within),
                producers: &r.producers,
            })
            .collect(),
        outcomes: u.fates.iter().map(|o| (o.policy, o.fate.as_str())).collect(),
        did_you_mean: u.suggestions.iter().map(|(n, f)| (n.as_str(), f.as_str())).collect(),
        group: s.group.word(),
        demangled: s.demangled.as_deref(),
        fails_as_given: u.fails_as_given,
        fails_by_default: u.fails_by_default,
        language: s.language.word(),
        fixes: s
            .fixes
            .iter()
            .map(|f| JsonFix { kind: f.kind.word(), effect: &f.effect, rust: &f.rust, c: &f.c, linker: f.linker.as_deref(), checked: f.checked, then: &f.then })
            .collect(),
    }
}

/// The report as JSON: `{"summary": {"failing", "other", "dead"},
/// "undefined": [...], "conflicts": [...], "searched": [...]}`, the
/// undefined symbols in the text's order (failing first), every one of
/// them (`--all` or not: tools filter on `group`).
pub fn render_json(r: &Report) -> String {
    let undefined: Vec<_> = r.symbols.iter().map(|s| json_symbol(s, &r.explanation.undefined[s.index])).collect();
    let conflicts: Vec<_> = r
        .explanation
        .conflicts
        .iter()
        .map(|c| JsonConflict { symbol: &c.name, imports: c.imports.iter().map(|(m, f, files)| (m.as_str(), f.as_str(), files.as_slice())).collect(), reported: c.reported })
        .collect();
    let count = |g: Group| r.symbols.iter().filter(|s| s.group == g).count();
    let summary = serde_json::json!({ "failing": count(Group::Failing), "other": count(Group::Other), "dead": count(Group::DeadOnly) });
    let searched: Vec<String> = r.searched.iter().map(|p| p.display().to_string()).collect();
    serde_json::to_string_pretty(&serde_json::json!({ "summary": summary, "undefined": undefined, "conflicts": conflicts, "searched": searched })).unwrap_or_default()
}

/// A name as people read it: the demangled Rust path beside the mangled
/// name, or the name alone.
fn shown(name: &str) -> String {
    match super::demangle_rust(name) {
        Some(d) => format!("{d} ({name})"),
        None => name.to_string(),
    }
}

/// The report as text for people: a summary line; the failing symbols,
/// then the others, then (with `all`) the dead-only ones, each with its
/// referrers, fates and (failing ones) fixes; without `all` one line sums
/// up the dead-only ones; then the import conflicts.
pub fn render_text(r: &Report, all: bool) -> String {
    let e: &Explanation = &r.explanation;
    let mut s = String::new();
    if e.undefined.is_empty() {
        s.push_str("no undefined symbols\n");
    } else {
        let _ = writeln!(s, "{}\n", summary(r));
    }
    for group in [Group::Failing, Group::Other, Group::DeadOnly] {
        if group == Group::DeadOnly && !all {
            continue;
        }
        for (sr, u) in r.group(group) {
            symbol_text(&mut s, sr, u);
            s.push('\n');
        }
    }
    let dead: Vec<String> = r.group(Group::DeadOnly).map(|(_, u)| shown(&u.name)).collect();
    if !all && !dead.is_empty() {
        let more = if dead.len() > 5 { format!(", and {} more", dead.len() - 5) } else { String::new() };
        let _ = writeln!(
            s,
            "{} undefined symbol{} referenced only from dead code, which garbage collection removes (--all shows {}): {}{more}",
            dead.len(),
            if dead.len() == 1 { "" } else { "s" },
            if dead.len() == 1 { "it" } else { "them" },
            dead[..dead.len().min(5)].join(", ")
        );
    }
    for c in &e.conflicts {
        let _ = writeln!(s, "import conflict for {}{}", c.name, if c.reported { " (reported: the link fails)" } else { " (not reported: a definition came first)" });
        for (m, f, files) in &c.imports {
            let _ = writeln!(s, "  {m}.{f} from {}", files.join(", "));
        }
    }
    s
}

/// `2 undefined symbols fail the link (1 only under the default policy),
/// 1 more does not, 3 are referenced only from dead code`.
fn summary(r: &Report) -> String {
    let failing: Vec<&UndefinedSymbol> = r.group(Group::Failing).map(|(_, u)| u).collect();
    let only_default = failing.iter().filter(|u| !u.fails_as_given).count();
    let other = r.group(Group::Other).count();
    let dead = r.group(Group::DeadOnly).count();
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut s = format!("{} the link", plural(failing.len(), "undefined symbol fails", "undefined symbols fail"));
    if only_default > 0 {
        let _ = write!(s, " ({only_default} only under the default policy)");
    }
    let _ = write!(s, ", {} not, {} only from dead code", plural(other, "more does", "more do"), plural(dead, "is referenced", "are referenced"));
    s
}

fn symbol_text(s: &mut String, sr: &SymbolReport, u: &UndefinedSymbol) {
    let status = match sr.group {
        Group::Failing if u.fails_as_given => ": fails the link",
        Group::Failing => ": would fail the link under the default policy (without --allow-undefined, as Rust 1.96 links)",
        Group::Other => "",
        Group::DeadOnly => "  (only dead code refers to it)",
    };
    let _ = writeln!(s, "undefined {} {}{status}", u.kind.to_string().to_lowercase(), shown(&u.name));
    if u.kind != refld::SymbolKind::Data {
        let _ = writeln!(s, "  would import as: {}.{}", u.import.0, u.import.1);
    }
    for r in &u.referrers {
        let attrs = match (&r.import_module, &r.import_name) {
            (Some(m), Some(n)) => format!(" [import_module={m} import_name={n}]"),
            (Some(m), None) if m != "env" => format!(" [import_module={m}]"),
            _ => String::new(),
        };
        let within = super::demangle_rust(&r.within).unwrap_or_else(|| r.within.clone());
        let _ = writeln!(
            s,
            "  referenced by {} in {within} ({}{}{}){attrs}",
            r.file,
            r.kind.word(),
            if r.weak { ", weak" } else { "" },
            if r.live { "" } else { ", dead" }
        );
    }
    for o in &u.fates {
        let _ = writeln!(s, "  {:<24} -> {}", o.policy, o.fate);
    }
    for (n, f) in &u.suggestions {
        let _ = writeln!(s, "  did you mean: {n} (defined in {f})");
    }
    for f in &sr.fixes {
        let _ = writeln!(s, "  {}", fix_line(f, sr.language));
    }
}

/// One fix on one line: the user's form (Rust's, clang's, or Rust's with
/// clang's beside it when the language is unknown), what it does, the
/// wasm-ld flag, and what it brings:
/// `fix: -C link-arg=--import-undefined — imports every undefined function
/// from the host, this one as env.f  [wasm-ld: --import-undefined]`.
fn fix_line(f: &Fix, language: Language) -> String {
    let user = match language {
        Language::Rust => f.rust.clone(),
        Language::C => f.c.clone(),
        Language::Unknown => format!("Rust: {}; C: {}", f.rust, f.c),
    };
    let mut line = format!("fix{}: {user} — {}", if f.checked { "" } else { " (unchecked)" }, f.effect);
    if let Some(flag) = &f.linker {
        let _ = write!(line, "  [wasm-ld: {flag}]");
    }
    if !f.then.is_empty() {
        let _ = write!(line, "; then: {}", f.then.join(", "));
    }
    line
}
