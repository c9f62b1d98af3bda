//! Diagnostic kinds: what a diagnostic is about, independent of wording.
//!
//! Linkers word their messages differently (refld adds did-you-mean lines,
//! releases of wasm-ld list references differently), but the messages of
//! symbol resolution have fixed heads naming one symbol. Each diagnostic is
//! classified from its first line (`>>> ` lines are ignored) into
//! `(severity, kind, symbol)`:
//!
//! | kind | first line |
//! |---|---|
//! | `undefined-symbol` | `FILE: undefined symbol: X` |
//! | `duplicate-symbol` | `duplicate symbol: X` |
//! | `symbol-type-mismatch` | `symbol type mismatch: X` |
//! | `import-module-mismatch` | `import module mismatch for symbol: X` |
//! | `import-name-mismatch` | `import name mismatch for symbol: X` |
//! | `signature-mismatch` | `function signature mismatch: X` |
//! | `entry-missing` | `entry symbol not defined (pass --no-entry to suppress): X` |
//! | `export-missing` | `symbol exported via --export not found: X` |
//! | `other` | anything else (the first line is kept as the text) |
//!
//! Zig's self-hosted linker words the same facts its own way (Zig 0.17,
//! `src/link/Wasm`, measured): `FILE: undefined function: X` (also
//! `global`, `table`, `data`) is `undefined-symbol`, `symbol collision: X`
//! `duplicate-symbol`, `symbol 'X' mismatching module names`
//! `import-module-mismatch`, `symbol 'X' mismatching import names`
//! `import-name-mismatch`, `symbol 'X' mismatching function signatures`
//! `signature-mismatch` (its `function signature mismatch: X` is
//! wasm-ld's), `entry symbol 'X' missing` `entry-missing`, `manually
//! specified export name 'X' undefined` `export-missing`.
//!
//! The input is a diagnostic as the oracle keeps it (`error: MESSAGE`,
//! `warning: MESSAGE`, see [`super`]), or a raw stderr line with a program
//! prefix (`rust-lld: error: MESSAGE`); a text with neither head is an
//! error. The comparison of two linkers' reports compares the multisets of
//! `(severity, kind, symbol)` under their difference keys
//! (the key module counts them); `other` diagnostics are not compared at all (their
//! wording, and even their number, differ between linkers by design).

use super::{parse_stderr, Severity};

/// What a diagnostic is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Kind {
    UndefinedSymbol,
    DuplicateSymbol,
    SymbolTypeMismatch,
    ImportModuleMismatch,
    ImportNameMismatch,
    SignatureMismatch,
    EntryMissing,
    ExportMissing,
    Other,
}

/// Message heads of the kinds that name a symbol: the symbol follows the
/// head. `undefined symbol: ` is matched after a `FILE: ` prefix
/// ([`classify_message`]).
const HEADS: [(&str, Kind); 7] = [
    ("duplicate symbol: ", Kind::DuplicateSymbol),
    ("symbol type mismatch: ", Kind::SymbolTypeMismatch),
    ("import module mismatch for symbol: ", Kind::ImportModuleMismatch),
    ("import name mismatch for symbol: ", Kind::ImportNameMismatch),
    ("function signature mismatch: ", Kind::SignatureMismatch),
    ("entry symbol not defined (pass --no-entry to suppress): ", Kind::EntryMissing),
    ("symbol exported via --export not found: ", Kind::ExportMissing),
];

impl Kind {
    /// Every kind, in key order.
    pub const ALL: [Kind; 9] = [
        Kind::UndefinedSymbol,
        Kind::DuplicateSymbol,
        Kind::SymbolTypeMismatch,
        Kind::ImportModuleMismatch,
        Kind::ImportNameMismatch,
        Kind::SignatureMismatch,
        Kind::EntryMissing,
        Kind::ExportMissing,
        Kind::Other,
    ];

    /// The name used in keys: `undefined-symbol`, `duplicate-symbol`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::UndefinedSymbol => "undefined-symbol",
            Kind::DuplicateSymbol => "duplicate-symbol",
            Kind::SymbolTypeMismatch => "symbol-type-mismatch",
            Kind::ImportModuleMismatch => "import-module-mismatch",
            Kind::ImportNameMismatch => "import-name-mismatch",
            Kind::SignatureMismatch => "signature-mismatch",
            Kind::EntryMissing => "entry-missing",
            Kind::ExportMissing => "export-missing",
            Kind::Other => "other",
        }
    }

    /// The kind named `name` ([`Kind::as_str`]).
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// One classified diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Classified {
    pub severity: Severity,
    pub kind: Kind,
    /// The symbol the message names; for [`Kind::Other`] the message's
    /// first line.
    pub symbol: String,
}

/// Classifies one diagnostic text: `error: MESSAGE` / `warning: MESSAGE`
/// (the oracle's form), `PROGRAM: error: MESSAGE` (a raw stderr line), or a
/// bare message (taken as an error). Continuation lines are ignored.
pub fn classify(text: &str) -> Classified {
    match parse_stderr(text).into_iter().next() {
        Some(d) => classify_message(d.severity, &d.message),
        None => classify_message(Severity::Error, ""),
    }
}

/// Classifies a message (without `error: `) of the given severity from its
/// first line.
pub fn classify_message(severity: Severity, message: &str) -> Classified {
    let first = message.lines().next().unwrap_or("").trim_end();
    let found = |kind: Kind, symbol: &str| Classified { severity, kind, symbol: symbol.to_string() };
    for (head, kind) in HEADS {
        if let Some(symbol) = first.strip_prefix(head) {
            if !symbol.is_empty() {
                return found(kind, symbol);
            }
        }
    }
    if let Some(found) = classify_zig(first).map(|(kind, symbol)| found(kind, symbol)) {
        return found;
    }
    // `FILE: undefined symbol: X`; FILE may be `lib.a(m.o)` or absent.
    const UNDEFINED: &str = "undefined symbol: ";
    let symbol = first.strip_prefix(UNDEFINED).or_else(|| {
        first.find(&format!(": {UNDEFINED}")).map(|pos| &first[pos + 2 + UNDEFINED.len()..])
    });
    match symbol {
        Some(s) if !s.is_empty() => found(Kind::UndefinedSymbol, s),
        _ => found(Kind::Other, first),
    }
}

/// Zig's heads ([module docs](self)): the kind and the symbol, if `first`
/// is one of them.
fn classify_zig(first: &str) -> Option<(Kind, &str)> {
    const HEADS: [(&str, Kind); 2] = [("symbol collision: ", Kind::DuplicateSymbol), ("undefined function: ", Kind::UndefinedSymbol)];
    for (head, kind) in HEADS {
        if let Some(symbol) = first.strip_prefix(head).filter(|s| !s.is_empty()) {
            return Some((kind, symbol));
        }
    }
    // `FILE: undefined KIND: X`, where FILE may be `lib.a (m.o)`.
    for what in ["function", "global", "table", "data"] {
        let head = format!(": undefined {what}: ");
        if let Some(pos) = first.find(&head) {
            let symbol = &first[pos + head.len()..];
            if !symbol.is_empty() {
                return Some((Kind::UndefinedSymbol, symbol));
            }
        }
    }
    // Quoted names: `symbol 'X' mismatching ...`, `entry symbol 'X' missing`,
    // `manually specified export name 'X' undefined`.
    const QUOTED: [(&str, &str, Kind); 5] = [
        ("symbol '", "' mismatching module names", Kind::ImportModuleMismatch),
        ("symbol '", "' mismatching import names", Kind::ImportNameMismatch),
        ("symbol '", "' mismatching function signatures", Kind::SignatureMismatch),
        ("entry symbol '", "' missing", Kind::EntryMissing),
        ("manually specified export name '", "' undefined", Kind::ExportMissing),
    ];
    QUOTED.iter().find_map(|(head, tail, kind)| {
        let symbol = first.strip_prefix(head)?.strip_suffix(tail)?;
        (!symbol.is_empty()).then_some((*kind, symbol))
    })
}

/// Classifies every diagnostic of a linker's stderr.
pub fn classify_stderr(stderr: &str) -> Vec<Classified> {
    parse_stderr(stderr).iter().map(|d| classify_message(d.severity, &d.message)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(text: &str) -> (Severity, Kind, String) {
        let d = classify(text);
        (d.severity, d.kind, d.symbol)
    }

    #[test]
    fn wasm_ld_texts() {
        use Kind::*;
        use Severity::*;
        let cases: [(&str, Severity, Kind, &str); 14] = [
            ("rust-lld: error: main.o: undefined symbol: missing", Error, UndefinedSymbol, "missing"),
            ("rust-lld: warning: main.o: undefined symbol: missing", Warning, UndefinedSymbol, "missing"),
            ("wasm-ld-22: error: libx.a(m.o): undefined symbol: helper", Error, UndefinedSymbol, "helper"),
            ("rust-lld: error: duplicate symbol: value\n>>> defined in a.o\n>>> defined in b.o", Error, DuplicateSymbol, "value"),
            (
                "rust-lld: error: symbol type mismatch: x\n>>> defined as WASM_SYMBOL_TYPE_FUNCTION in a.o\n>>> defined as WASM_SYMBOL_TYPE_DATA in b.o",
                Error,
                SymbolTypeMismatch,
                "x",
            ),
            (
                "rust-lld: error: import module mismatch for symbol: close\n>>> defined as test in a.o\n>>> defined as env in b.o",
                Error,
                ImportModuleMismatch,
                "close",
            ),
            (
                "wasm-ld: error: import name mismatch for symbol: sym\n>>> defined as one in x.o\n>>> defined as two in y.o",
                Error,
                ImportNameMismatch,
                "sym",
            ),
            (
                "rust-lld: warning: function signature mismatch: f\n>>> defined as (i32, i32) -> i32 in c.o\n>>> defined as () -> i32 in d.o",
                Warning,
                SignatureMismatch,
                "f",
            ),
            ("rust-lld: error: function signature mismatch: f", Error, SignatureMismatch, "f"),
            ("rust-lld: error: entry symbol not defined (pass --no-entry to suppress): _start", Error, EntryMissing, "_start"),
            ("rust-lld: warning: symbol exported via --export not found: nothere", Warning, ExportMissing, "nothere"),
            ("rust-lld: error: symbol exported via --export not found: nothere", Error, ExportMissing, "nothere"),
            (
                "rust-lld: warning: dynamic imports are not yet stable (--unresolved-symbols=import-dynamic)",
                Warning,
                Other,
                "dynamic imports are not yet stable (--unresolved-symbols=import-dynamic)",
            ),
            (
                "rust-lld: error: m.o: relocation R_WASM_MEMORY_ADDR_LEB cannot be used against symbol `x`; recompile with -fPIC",
                Error,
                Other,
                "m.o: relocation R_WASM_MEMORY_ADDR_LEB cannot be used against symbol `x`; recompile with -fPIC",
            ),
        ];
        for (text, severity, kind, symbol) in cases {
            assert_eq!(c(text), (severity, kind, symbol.to_string()), "{text}");
        }
    }

    #[test]
    fn oracle_and_refld_forms() {
        // The oracle's own form (refld's Diagnostic display), with a
        // did-you-mean line that only refld prints: the same key.
        let refld = "error: user.o: undefined symbol: mylibraryinit\n>>> did you mean: mylibrary_init (defined in lib.o)";
        let lld = "rust-lld: error: user.o: undefined symbol: mylibraryinit";
        assert_eq!(classify(refld), classify(lld));
        // A bare message is an error.
        assert_eq!(c("undefined symbol: x"), (Severity::Error, Kind::UndefinedSymbol, "x".into()));
        assert_eq!(c("error: cannot open a.o: No such file or directory").1, Kind::Other);
        // `>>>` lines never make a kind of their own.
        assert_eq!(classify_stderr("rust-lld: error: duplicate symbol: v\n>>> defined in a.o\n>>> undefined symbol: y\n").len(), 1);
    }

    #[test]
    fn zig_texts() {
        use Kind::*;
        let cases: [(&str, Kind, &str); 10] = [
            ("error: symbol 'sym' mismatching import names", ImportNameMismatch, "sym"),
            ("error: e.o: undefined data: ext_data", UndefinedSymbol, "ext_data"),
            ("error: lib.a (m.o): undefined function: helper", UndefinedSymbol, "helper"),
            ("error: a.o: undefined global: g", UndefinedSymbol, "g"),
            ("error: symbol collision: dup\n    note: b.o: exported as () -> i32 here", DuplicateSymbol, "dup"),
            ("error: symbol 'close' mismatching module names\n    note: m3.o: module 'test' here", ImportModuleMismatch, "close"),
            ("error: symbol 'f' mismatching function signatures", SignatureMismatch, "f"),
            ("error: function signature mismatch: g\n    note: a.o: exported as () -> i32 here", SignatureMismatch, "g"),
            ("error: entry symbol '_start' missing\n    note: '-fno-entry' suppresses this error", EntryMissing, "_start"),
            ("error: manually specified export name 'nothere' undefined", ExportMissing, "nothere"),
        ];
        for (text, kind, symbol) in cases {
            assert_eq!(c(text), (Severity::Error, kind, symbol.to_string()), "{text}");
        }
        // The same fact in Zig's and wasm-ld's words: the same key.
        assert_eq!(classify("error: symbol collision: dup"), classify("rust-lld: error: duplicate symbol: dup"));
    }

    #[test]
    fn symbols_with_punctuation() {
        assert_eq!(c("error: m.o: undefined symbol: std::vector<int>::size() const").2, "std::vector<int>::size() const");
        assert_eq!(c("error: m.o: undefined symbol: GOT.mem.x").2, "GOT.mem.x");
    }
}
