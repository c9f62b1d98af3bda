//! `linkcheck explain`: every undefined symbol of a link, who references it
//! and how, its import module and name, and what becomes of it under the
//! default policy, `--import-undefined`, `--allow-undefined` and as weak;
//! plus the import-module conflicts. The reference linker's rules decide
//! (refld is the judge here); this module only presents them.

use refld::explain::{Explanation, UndefinedSymbol};
use serde::Serialize;
use std::fmt::Write;
use std::path::Path;

/// Explains the link of `args` (wasm-ld arguments), inputs relative to `cwd`.
///
/// Errors: bad arguments, unreadable or malformed inputs (as text).
pub fn explain_command_line(args: &[String], cwd: &Path) -> Result<Explanation, String> {
    let read = |p: &str| std::fs::read_to_string(cwd.join(p)).map_err(|e| e.to_string());
    let config = match refld::args::parse_args(args, &read)? {
        refld::args::Action::Link(c) => c,
        _ => return Err("explain needs a link command line, not --help or --version".into()),
    };
    let fs = refld::input::FileSystem { cwd: cwd.to_path_buf() };
    refld::explain::explain(&config, &fs).map_err(|e| e.to_string())
}

/// JSON form of one undefined symbol.
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
}

#[derive(Serialize)]
struct JsonConflict<'a> {
    symbol: &'a str,
    imports: Vec<(&'a str, &'a str, &'a [String])>,
    reported: bool,
}

fn json_symbol(u: &UndefinedSymbol) -> JsonSymbol<'_> {
    JsonSymbol {
        name: &u.name,
        kind: u.kind.to_string().to_lowercase(),
        live: u.live,
        import_module: &u.import.0,
        import_name: &u.import.1,
        referrers: u
            .referrers
            .iter()
            .map(|r| JsonReferrer { file: &r.file, within: &r.within, kind: r.kind.word(), live: r.live, weak: r.weak, import_module: r.import_module.as_deref(), import_name: r.import_name.as_deref() })
            .collect(),
        outcomes: u.fates.iter().map(|o| (o.policy, o.fate.as_str())).collect(),
        did_you_mean: u.suggestions.iter().map(|(n, f)| (n.as_str(), f.as_str())).collect(),
    }
}

/// The explanation as JSON: `{"undefined": [...], "conflicts": [...]}`.
pub fn render_json(e: &Explanation) -> String {
    let undefined: Vec<_> = e.undefined.iter().map(json_symbol).collect();
    let conflicts: Vec<_> = e
        .conflicts
        .iter()
        .map(|c| JsonConflict { symbol: &c.name, imports: c.imports.iter().map(|(m, f, files)| (m.as_str(), f.as_str(), files.as_slice())).collect(), reported: c.reported })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({ "undefined": undefined, "conflicts": conflicts })).unwrap_or_default()
}

/// The explanation as text for people.
pub fn render_text(e: &Explanation) -> String {
    let mut s = String::new();
    if e.undefined.is_empty() {
        s.push_str("no undefined symbols\n");
    }
    for u in &e.undefined {
        let _ = writeln!(s, "undefined {} {}{}", u.kind.to_string().to_lowercase(), u.name, if u.live { "" } else { "  (only dead code refers to it)" });
        if u.kind != refld::SymbolKind::Data {
            let _ = writeln!(s, "  would import as: {}.{}", u.import.0, u.import.1);
        }
        for r in &u.referrers {
            let attrs = match (&r.import_module, &r.import_name) {
                (Some(m), Some(n)) => format!(" [import_module={m} import_name={n}]"),
                (Some(m), None) if m != "env" => format!(" [import_module={m}]"),
                _ => String::new(),
            };
            let _ = writeln!(
                s,
                "  referenced by {} in {} ({}{}{}){attrs}",
                r.file,
                r.within,
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
    }
    for c in &e.conflicts {
        let _ = writeln!(s, "import conflict for {}{}", c.name, if c.reported { " (reported: the link fails)" } else { " (not reported: a definition came first)" });
        for (m, f, files) in &c.imports {
            let _ = writeln!(s, "  {m}.{f} from {}", files.join(", "));
        }
    }
    s
}
