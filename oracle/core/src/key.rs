//! The key of a difference (the diff module's `Difference`): what the two linkers disagree
//! on, as a value ([`DiffKey`]) rather than a string to be re-parsed.
//!
//! Every key prints as the stable dotted text that reports, the policy's
//! globs (`corpus/policy.toml`), case files and `linkcheck reduce --key`
//! use (`diag.undefined-symbol.f`, `run.exit_code`, `func.f.body`, ...; the
//! families are listed in `diff.rs` and `canon/mod.rs`), and
//! [`DiffKey::parse`] reads that text back: `parse(k.to_string()) == k` for
//! every key the comparisons make (a test checks it on the corpus).

use crate::diagnostics::kind::{classify, Classified, Kind};
use crate::diagnostics::Severity;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

/// One point of comparison. Keys order as their texts do (`diag.*`
/// before `warn.*`, `hostcall.10` before `hostcall.2`), the order reports
/// have always listed them in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DiffKey {
    /// `outcome`: linked, rejected, crashed or timed out.
    Outcome,
    /// `diag.KIND.SYMBOL` (an error) or `warn.KIND.SYMBOL` (a warning): how
    /// many diagnostics of that kind (never [`Kind::Other`]) name SYMBOL.
    Diagnostic { severity: Severity, kind: Kind, symbol: String },
    /// `module.readable` / `module.valid`.
    Module(ModuleFact),
    /// `run.exit_code`, `run.trap`, `run.stdout`, `run.stderr`.
    Run(RunFact),
    /// `hostcall.N`: the N-th (from 0) non-WASI host call.
    HostCall(usize),
    /// `hostcall.count`: how many non-WASI host calls the run made.
    HostCallCount,
    /// `call.NAME`: what calling the export NAME gave.
    Call(String),
    /// An item of the module (imports and exports of the module summary,
    /// the canonical form's functions, data, globals, ...), and the field
    /// of it that differs (`None`: the item as a whole, e.g. present on one
    /// side only): `import.MODULE.FIELD[.F]`, `export.NAME[.F]`,
    /// `func.ID[.F]`, `layout.NAME`, `memory.type`, `start[.function]`,
    /// `canon.error`.
    Item { kind: ItemKind, id: String, field: Option<String> },
    /// `side[NAME].KEY`: KEY of the side module NAME of a dynamic link (the
    /// case's `[[side_module]]`), its link and output compared as a static
    /// link's are.
    Side { name: String, key: Box<DiffKey> },
}

/// `module.*` keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ModuleFact {
    /// wasmparser could (not) parse the output.
    Readable,
    /// The output validates (or not).
    Valid,
}

/// `run.*` keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RunFact {
    ExitCode,
    Trap,
    Stdout,
    Stderr,
}

/// The family of an item key: its first dotted part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ItemKind {
    Import,
    Export,
    Func,
    Data,
    Global,
    Table,
    Tag,
    /// The memory (`memory.type`); no id.
    Memory,
    /// The start function (`start`, `start.function`); no id.
    Start,
    /// Linker-chosen values (`layout.__heap_base`, `layout.memory.initial`);
    /// no id, the value's name is the field.
    Layout,
    /// `canon.error`: the structural comparison could not read an output.
    Canon,
    /// `exact.SECTION`: a section whose bytes differ (`linkcheck diff
    /// --exact`, the exact module); no id.
    Exact,
    /// The `dylink.0` section (`dylink.memory_size`, `dylink.needed`, ...,
    /// `Dylink::facts` of the dylink module); no id.
    Dylink,
}

impl ItemKind {
    const ALL: [ItemKind; 13] = [
        ItemKind::Import,
        ItemKind::Export,
        ItemKind::Func,
        ItemKind::Data,
        ItemKind::Global,
        ItemKind::Table,
        ItemKind::Tag,
        ItemKind::Memory,
        ItemKind::Start,
        ItemKind::Layout,
        ItemKind::Canon,
        ItemKind::Dylink,
        ItemKind::Exact,
    ];

    /// The key's first part.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Import => "import",
            ItemKind::Export => "export",
            ItemKind::Func => "func",
            ItemKind::Data => "data",
            ItemKind::Global => "global",
            ItemKind::Table => "table",
            ItemKind::Tag => "tag",
            ItemKind::Memory => "memory",
            ItemKind::Start => "start",
            ItemKind::Layout => "layout",
            ItemKind::Canon => "canon",
            ItemKind::Dylink => "dylink",
            ItemKind::Exact => "exact",
        }
    }

    /// The kind whose key starts with `name`.
    pub fn from_name(name: &str) -> Option<ItemKind> {
        ItemKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Whether items of this kind have an id (a symbol, an import's
    /// module and field, an export's name) between kind and field.
    pub fn has_id(self) -> bool {
        !matches!(self, ItemKind::Memory | ItemKind::Start | ItemKind::Layout | ItemKind::Canon | ItemKind::Dylink | ItemKind::Exact)
    }
}

/// Field names of items with an id, as the canonical form and the module
/// summary write them (canon/mod.rs's table); `site@N`, `byte@N` and
/// `word@N` too. Parsing needs them because ids may hold dots (`f<a.o>`,
/// an import field `a.b`).
const ITEM_FIELDS: [&str; 10] = ["type", "locals", "body", "init", "elements", "size", "module", "field", "kind", "target"];
const NUMBERED_FIELDS: [&str; 3] = ["site@", "byte@", "word@"];

fn is_item_field(field: &str) -> bool {
    ITEM_FIELDS.contains(&field)
        || NUMBERED_FIELDS.iter().any(|p| {
            field.strip_prefix(p).is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
}

impl DiffKey {
    /// `diag.KIND.SYMBOL` / `warn.KIND.SYMBOL`.
    pub fn diagnostic(severity: Severity, kind: Kind, symbol: impl Into<String>) -> DiffKey {
        DiffKey::Diagnostic { severity, kind, symbol: symbol.into() }
    }

    /// An item as a whole (`func.f`, `import.env.f`).
    pub fn item(kind: ItemKind, id: impl Into<String>) -> DiffKey {
        DiffKey::Item { kind, id: id.into(), field: None }
    }

    /// A field of an item (`func.f.body`, `layout.__heap_base`).
    pub fn field(kind: ItemKind, id: impl Into<String>, field: impl Into<String>) -> DiffKey {
        DiffKey::Item { kind, id: id.into(), field: Some(field.into()) }
    }

    /// Reads a key's text. Total: text of no known shape becomes an item
    /// key of its first part when that is an item kind, else `None`.
    /// Diagnostic keys need a kind other than `other` and a symbol.
    pub fn parse(text: &str) -> Option<DiffKey> {
        if let Some(side) = text.strip_prefix("side[") {
            let (name, key) = side.split_once("].")?;
            let key = DiffKey::parse(key)?;
            return (!name.is_empty()).then(|| DiffKey::Side { name: name.to_string(), key: Box::new(key) });
        }
        let (head, rest) = text.split_once('.').unwrap_or((text, ""));
        let key = match (head, rest) {
            ("outcome", "") => DiffKey::Outcome,
            ("diag" | "warn", _) => {
                let severity = if head == "diag" { Severity::Error } else { Severity::Warning };
                let (kind, symbol) = rest.split_once('.')?;
                let kind = Kind::from_name(kind).filter(|k| *k != Kind::Other)?;
                if symbol.is_empty() {
                    return None;
                }
                DiffKey::diagnostic(severity, kind, symbol)
            }
            ("module", "readable") => DiffKey::Module(ModuleFact::Readable),
            ("module", "valid") => DiffKey::Module(ModuleFact::Valid),
            ("run", "exit_code") => DiffKey::Run(RunFact::ExitCode),
            ("run", "trap") => DiffKey::Run(RunFact::Trap),
            ("run", "stdout") => DiffKey::Run(RunFact::Stdout),
            ("run", "stderr") => DiffKey::Run(RunFact::Stderr),
            ("hostcall", "count") => DiffKey::HostCallCount,
            ("hostcall", n) => DiffKey::HostCall(n.parse().ok()?),
            ("call", name) if !name.is_empty() => DiffKey::Call(name.to_string()),
            _ => {
                let kind = ItemKind::from_name(head)?;
                if !kind.has_id() {
                    let field = (!rest.is_empty()).then(|| rest.to_string());
                    return Some(DiffKey::Item { kind, id: String::new(), field });
                }
                if rest.is_empty() {
                    return None;
                }
                match rest.rsplit_once('.') {
                    Some((id, field)) if !id.is_empty() && is_item_field(field) => DiffKey::field(kind, id, field),
                    _ => DiffKey::item(kind, rest),
                }
            }
        };
        Some(key)
    }

    /// The key of a classified diagnostic; `None` for [`Kind::Other`],
    /// which is never compared.
    pub fn of_diagnostic(d: &Classified) -> Option<DiffKey> {
        (d.kind != Kind::Other).then(|| DiffKey::diagnostic(d.severity, d.kind, d.symbol.clone()))
    }

    /// The diagnostic's parts, for `diag.*` and `warn.*` keys.
    pub fn as_diagnostic(&self) -> Option<(Severity, Kind, &str)> {
        match self {
            DiffKey::Diagnostic { severity, kind, symbol } => Some((*severity, *kind, symbol)),
            _ => None,
        }
    }

    /// Whether telling the two sides apart needs the outputs run
    /// (`run.*`, `hostcall.*`, `call.*`).
    pub fn needs_run(&self) -> bool {
        matches!(self, DiffKey::Run(_) | DiffKey::HostCall(_) | DiffKey::HostCallCount | DiffKey::Call(_))
    }

    /// Whether the key can come from the structural comparison (an item
    /// key: imports and exports come from both the module summary and the
    /// canonical form).
    pub fn is_item(&self) -> bool {
        matches!(self, DiffKey::Item { .. })
    }
}

/// A key equals its text (`key == "run.exit_code"`).
impl PartialEq<&str> for DiffKey {
    fn eq(&self, text: &&str) -> bool {
        DiffKey::parse(text).as_ref() == Some(self)
    }
}

impl Ord for DiffKey {
    fn cmp(&self, other: &Self) -> Ordering {
        self.to_string().cmp(&other.to_string())
    }
}

impl PartialOrd for DiffKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// `diag` for errors, `warn` for warnings: a diagnostic key's first part.
fn severity_prefix(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "diag",
        Severity::Warning => "warn",
    }
}

/// Key -> count of the compared (non-`other`) diagnostics among `texts`
/// (each as [`classify`] takes it).
pub fn diagnostic_counts<'a>(texts: impl IntoIterator<Item = &'a String>) -> BTreeMap<DiffKey, usize> {
    let mut counts = BTreeMap::new();
    for text in texts {
        if let Some(key) = DiffKey::of_diagnostic(&classify(text)) {
            *counts.entry(key).or_insert(0) += 1;
        }
    }
    counts
}

impl fmt::Display for DiffKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiffKey::Outcome => f.write_str("outcome"),
            DiffKey::Diagnostic { severity, kind, symbol } => {
                let prefix = severity_prefix(*severity);
                write!(f, "{prefix}.{}.{symbol}", kind.as_str())
            }
            DiffKey::Module(ModuleFact::Readable) => f.write_str("module.readable"),
            DiffKey::Module(ModuleFact::Valid) => f.write_str("module.valid"),
            DiffKey::Run(fact) => {
                let name = match fact {
                    RunFact::ExitCode => "exit_code",
                    RunFact::Trap => "trap",
                    RunFact::Stdout => "stdout",
                    RunFact::Stderr => "stderr",
                };
                write!(f, "run.{name}")
            }
            DiffKey::HostCall(n) => write!(f, "hostcall.{n}"),
            DiffKey::HostCallCount => f.write_str("hostcall.count"),
            DiffKey::Call(name) => write!(f, "call.{name}"),
            DiffKey::Side { name, key } => write!(f, "side[{name}].{key}"),
            DiffKey::Item { kind, id, field } => {
                f.write_str(kind.as_str())?;
                if !id.is_empty() {
                    write!(f, ".{id}")?;
                }
                match field {
                    Some(field) => write!(f, ".{field}"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl serde::Serialize for DiffKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for DiffKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        DiffKey::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("not a difference key: {text}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_read_back_as_the_same_key() {
        let keys = [
            DiffKey::Outcome,
            DiffKey::diagnostic(Severity::Error, Kind::UndefinedSymbol, "a.b"),
            DiffKey::diagnostic(Severity::Warning, Kind::SignatureMismatch, "f"),
            DiffKey::Module(ModuleFact::Valid),
            DiffKey::Run(RunFact::ExitCode),
            DiffKey::HostCall(12),
            DiffKey::HostCallCount,
            DiffKey::Call("main.x".into()),
            DiffKey::item(ItemKind::Import, "env.f"),
            DiffKey::item(ItemKind::Func, "static_fn<a.o>"),
            DiffKey::field(ItemKind::Func, "static_fn<a.o>", "body"),
            DiffKey::field(ItemKind::Data, "s", "byte@16"),
            DiffKey::field(ItemKind::Import, "env.f#1", "type"),
            DiffKey::field(ItemKind::Layout, "", "memory.initial"),
            DiffKey::field(ItemKind::Start, "", "function"),
            DiffKey::item(ItemKind::Start, ""),
            DiffKey::field(ItemKind::Canon, "", "error"),
            DiffKey::field(ItemKind::Dylink, "", "needed"),
            DiffKey::Side { name: "lib.so".into(), key: Box::new(DiffKey::item(ItemKind::Import, "GOT.mem.x")) },
        ];
        for key in keys {
            assert_eq!(DiffKey::parse(&key.to_string()), Some(key.clone()), "{key}");
        }
    }

    #[test]
    fn diagnostics_are_counted_by_key_and_others_left_out() {
        let texts: Vec<String> = [
            "error: a.o: undefined symbol: f",
            "error: b.o: undefined symbol: f",
            "warning: symbol exported via --export not found: g",
            "error: something else",
        ]
        .map(String::from)
        .to_vec();
        let counts: Vec<(String, usize)> = diagnostic_counts(&texts).into_iter().map(|(k, n)| (k.to_string(), n)).collect();
        assert_eq!(counts, [("diag.undefined-symbol.f".to_string(), 2), ("warn.export-missing.g".to_string(), 1)]);
    }

    #[test]
    fn malformed_texts_are_not_keys() {
        for text in ["", "side[].outcome", "side[a.so]", "diag.other.x", "diag.undefined-symbol.", "diag.no-such-kind.x", "hostcall.x", "func", "what.x"] {
            assert_eq!(DiffKey::parse(text), None, "{text}");
        }
    }
}
