//! The real programs through every linker: one [`linkcheck_core::check`] per
//! program with refld first, each other linker compared with it, and every
//! difference placed in the function, data or other symbol its key names.
//!
//! Used by `cargo run -p refld-tests --bin real-conform` (the matrix) and
//! `tests/tests/real_conform.rs` (its assertions).

use super::RealProgram;
use anyhow::{bail, Result};
use linkcheck_core::linker::Outcome;
use linkcheck_core::discover::{Found, Missing};
use linkcheck_core::key::{DiffKey, ItemKind};
use linkcheck_core::{CheckOptions, CheckReport, Difference, Linker, Runner};
use serde_json::{json, Value};

/// Every linker [`linkcheck_core::discover::discover_all`] expects (refld first,
/// then rust-lld, wasm-ld-14/16/19/22, Wild, Zig), then `extra`.
///
/// Errors: a linker that is missing (the message says what installs it and
/// names scripts/setup.sh), or two linkers with the same name.
pub fn all_linkers(extra: Vec<Linker>) -> Result<(Vec<Linker>, Vec<Found>)> {
    choose_linkers(|_| true, extra)
}

/// The linkers `real-conform` compares: `linkcheck conform`'s default ones
/// ([`linkcheck::conform::DEFAULT_LINKERS`]: refld, rust-lld, wasm-ld-19,
/// wasm-ld-22, Wild) or, with `all`, every one [`all_linkers`] takes
/// (wasm-ld-14/16 and Zig too), then `extra`.
///
/// Errors: as [`all_linkers`], for the linkers chosen.
pub fn default_linkers(all: bool, extra: Vec<Linker>) -> Result<(Vec<Linker>, Vec<Found>)> {
    choose_linkers(|name| all || linkcheck::conform::DEFAULT_LINKERS.contains(&name), extra)
}

/// The discovered linkers `wanted` keeps, in discovery order, then `extra`.
fn choose_linkers(wanted: impl Fn(&str) -> bool, extra: Vec<Linker>) -> Result<(Vec<Linker>, Vec<Found>)> {
    let (found, missing): (Vec<_>, Vec<_>) = linkcheck_core::discover::discover_all()
        .into_iter()
        .filter(|r| wanted(match r {
            Ok(f) => &f.name,
            Err(m) => &m.name,
        }))
        .partition(|r| r.is_ok());
    let missing: Vec<Missing> = missing.into_iter().filter_map(Result::err).collect();
    if !missing.is_empty() {
        let lines: Vec<String> = missing.iter().map(|m| format!("  {}: {}", m.name, m.reason)).collect();
        bail!(
            "{} linker(s) missing (scripts/setup.sh installs every one of them):\n{}",
            missing.len(),
            lines.join("\n")
        );
    }
    let found: Vec<Found> = found.into_iter().filter_map(Result::ok).collect();
    let mut linkers: Vec<Linker> = found.iter().map(Found::linker).collect();
    linkers.extend(extra);
    let mut names: Vec<&str> = linkers.iter().map(Linker::name).collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        bail!("two linkers are named `{}`", w[0]);
    }
    Ok((linkers, found))
}

/// Whether Zig's linker is among `linkers` (by its adapter): the libc
/// programs then get rows with Zig's libc too.
pub fn has_zig(linkers: &[Linker]) -> bool {
    linkers.iter().any(|l| matches!(l, Linker::Zig { .. }))
}

/// Links `program` with each of `linkers` (the first is the one every other
/// is compared with), runs and compares the outputs structurally
/// ([`CheckOptions::default`]).
pub fn check_program(program: &RealProgram, linkers: &[Linker], runner: &Runner) -> CheckReport {
    linkcheck_core::check(linkers, &program.inputs(), &program.dir, runner, &CheckOptions::default())
}

/// Where a difference lies, read from its key alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Locus {
    /// A defined function (`func.ID`, `func.ID.body`, `func.ID.site@K`, ...).
    Function(String),
    /// A data symbol, or a segment without one (`data.ID`, `data.ID.word@N`, ...).
    Data(String),
    /// A wasm global (`global.ID.init`, ...).
    Global(String),
    /// A table (`table.ID.elements`, `table.ID.type`).
    Table(String),
    /// A tag (`tag.ID.type`).
    Tag(String),
    /// A symbol a diagnostic names (`diag.KIND.SYMBOL`, `warn.KIND.SYMBOL`).
    Diagnostic(String),
    /// A whole-module key: `outcome`, `module.*`, `import.*`, `export.*`,
    /// `run.*`, `hostcall.*`, `call.*`, `layout.*`, `memory.type`,
    /// `start.function`, `canon.error`. The string is the key's first part.
    Module(String),
    /// A key the canonical form could not place (its fallback for an item
    /// of no known kind).
    Unknown(String),
}

impl Locus {
    /// Places a difference key (see `oracle/core/src/key.rs`).
    pub fn of(key: &DiffKey) -> Locus {
        match key {
            DiffKey::Item { kind, id, field } => match kind {
                ItemKind::Func => Locus::Function(id.clone()),
                ItemKind::Data => Locus::Data(id.clone()),
                ItemKind::Global => Locus::Global(id.clone()),
                ItemKind::Table => Locus::Table(id.clone()),
                ItemKind::Tag => Locus::Tag(id.clone()),
                // The canonical form names every item by a kind; its
                // fallback for one it missed is a `canon.*` key other than
                // `canon.error`.
                ItemKind::Canon if field.as_deref() != Some("error") => Locus::Unknown(key.to_string()),
                other => Locus::Module(other.as_str().to_string()),
            },
            DiffKey::Diagnostic { symbol, .. } => Locus::Diagnostic(symbol.clone()),
            DiffKey::Outcome => Locus::Module("outcome".into()),
            DiffKey::Module(_) => Locus::Module("module".into()),
            DiffKey::Run(_) => Locus::Module("run".into()),
            DiffKey::HostCall(_) | DiffKey::HostCallCount => Locus::Module("hostcall".into()),
            DiffKey::Call(_) => Locus::Module("call".into()),
            // Real programs are static links: no side modules.
            DiffKey::Side { key, .. } => Locus::of(key),
        }
    }

    /// Whether the key names a symbol (function, data, global, table, tag,
    /// or a diagnostic's symbol).
    pub fn names_symbol(&self) -> bool {
        self.symbol().is_some()
    }

    /// The symbol (or item id) the key names; `None` for module-wide and
    /// unknown keys.
    pub fn symbol(&self) -> Option<&str> {
        match self {
            Locus::Function(n) | Locus::Data(n) | Locus::Global(n) | Locus::Table(n) | Locus::Tag(n) | Locus::Diagnostic(n) => {
                Some(n)
            }
            Locus::Module(_) | Locus::Unknown(_) => None,
        }
    }

    /// `{"kind": "function" | "data" | "global" | "table" | "tag" |
    /// "diagnostic" | "module" | "unknown", "name": ...}`.
    pub fn to_json(&self) -> Value {
        let (kind, name) = match self {
            Locus::Function(n) => ("function", n),
            Locus::Data(n) => ("data", n),
            Locus::Global(n) => ("global", n),
            Locus::Table(n) => ("table", n),
            Locus::Tag(n) => ("tag", n),
            Locus::Diagnostic(n) => ("diagnostic", n),
            Locus::Module(k) => ("module", k),
            Locus::Unknown(k) => ("unknown", k),
        };
        json!({ "kind": kind, "name": name })
    }

    /// Text for the matrix details: `function NAME`, `data NAME`, ...,
    /// `(module: run)`.
    pub fn describe(&self) -> String {
        match self {
            Locus::Function(n) => format!("function {n}"),
            Locus::Data(n) => format!("data {n}"),
            Locus::Global(n) => format!("global {n}"),
            Locus::Table(n) => format!("table {n}"),
            Locus::Tag(n) => format!("tag {n}"),
            Locus::Diagnostic(n) => format!("symbol {n}"),
            Locus::Module(k) => format!("(module: {k})"),
            Locus::Unknown(k) => format!("(unknown key {k})"),
        }
    }
}

/// One cell of the matrix for a linker other than the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// The first linker's own cell: its outcome kind (`linked`, ...).
    Baseline { outcome: String },
    /// No difference from the first linker.
    Agree,
    /// Differences; `first` is the first key, `count` how many.
    Diverge { first: String, count: usize },
    /// The linker crashed (signal, unexpected exit status, no output).
    Crash { status: String },
    /// The link timed out.
    Timeout,
    /// The linker was not run: its adapter cannot express the link line.
    Unsupported { reason: String },
}

impl Cell {
    /// `{"verdict": "baseline" | "agree" | "diverge" | "crash" | "timeout" |
    /// "unsupported", ...}` with `outcome`, `first` and `count`, `status`
    /// or `reason` where they apply.
    pub fn to_json(&self) -> Value {
        match self {
            Cell::Baseline { outcome } => json!({ "verdict": "baseline", "outcome": outcome }),
            Cell::Agree => json!({ "verdict": "agree" }),
            Cell::Diverge { first, count } => json!({ "verdict": "diverge", "first": first, "count": count }),
            Cell::Crash { status } => json!({ "verdict": "crash", "status": status }),
            Cell::Timeout => json!({ "verdict": "timeout" }),
            Cell::Unsupported { reason } => json!({ "verdict": "unsupported", "reason": reason }),
        }
    }

    /// `agree`, `diverge:KEY (+N)`, `crash`, `timeout`, or the outcome.
    pub fn text(&self) -> String {
        match self {
            Cell::Baseline { outcome } => outcome.clone(),
            Cell::Agree => "agree".into(),
            Cell::Diverge { first, count: 1 } => format!("diverge:{first}"),
            Cell::Diverge { first, count } => format!("diverge:{first} (+{})", count - 1),
            Cell::Crash { .. } => "crash".into(),
            Cell::Timeout => "timeout".into(),
            Cell::Unsupported { .. } => "unsupported".into(),
        }
    }
}

/// The cells of one program, in the order of `report.linkers`.
pub fn cells(report: &CheckReport) -> Vec<Cell> {
    report
        .linkers
        .iter()
        .enumerate()
        .map(|(i, l)| match (&l.outcome, i) {
            (outcome, 0) => Cell::Baseline { outcome: outcome.kind().to_string() },
            (Outcome::Crashed { status, .. }, _) => Cell::Crash { status: status.clone() },
            (Outcome::TimedOut, _) => Cell::Timeout,
            (Outcome::Unsupported { reason }, _) => Cell::Unsupported { reason: reason.clone() },
            _ => match report.comparisons.get(i - 1).map(|c| c.differences.as_slice()) {
                Some([first, ..]) => {
                    Cell::Diverge { first: first.key.to_string(), count: report.comparisons[i - 1].differences.len() }
                }
                _ => Cell::Agree,
            },
        })
        .collect()
}

/// A difference of one linker from the first, with its locus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The program's name.
    pub program: String,
    /// The other linker (the right side).
    pub linker: String,
    pub difference: Difference,
    pub locus: Locus,
}

impl Located {
    /// `{"program", "linker", "key", "left", "right", "locus": {"kind", "name"}}`.
    pub fn to_json(&self) -> Value {
        json!({
            "program": self.program,
            "linker": self.linker,
            "key": self.difference.key,
            "left": self.difference.left,
            "right": self.difference.right,
            "locus": self.locus.to_json(),
        })
    }
}

/// Every difference of every comparison of `report`, located.
pub fn located(program: &str, report: &CheckReport) -> Vec<Located> {
    report
        .comparisons
        .iter()
        .flat_map(|c| {
            c.differences.iter().map(move |d| Located {
                program: program.to_string(),
                linker: c.right.clone(),
                difference: d.clone(),
                locus: Locus::of(&d.key),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::Locus;
    use linkcheck_core::key::DiffKey;

    #[test]
    fn keys_name_their_symbols() {
        let cases = [
            ("func.sqlite3_open.body", Locus::Function("sqlite3_open".into())),
            ("func.foo.site@3", Locus::Function("foo".into())),
            ("func.a.b", Locus::Function("a.b".into())),
            ("data..rodata.str1.1.word@8", Locus::Data(".rodata.str1.1".into())),
            ("data.x<a.o>.byte@0", Locus::Data("x<a.o>".into())),
            ("data.buf", Locus::Data("buf".into())),
            ("global.__stack_pointer", Locus::Global("__stack_pointer".into())),
            ("diag.undefined-symbol.missing", Locus::Diagnostic("missing".into())),
            ("run.stdout", Locus::Module("run".into())),
            ("outcome", Locus::Module("outcome".into())),
            ("import.env.f.type", Locus::Module("import".into())),
            ("canon.odd.type", Locus::Unknown("canon.odd.type".into())),
        ];
        for (key, want) in cases {
            assert_eq!(Locus::of(&DiffKey::parse(key).unwrap()), want, "{key}");
        }
        assert_eq!(Locus::of(&DiffKey::parse("data.x.size").unwrap()).symbol(), Some("x"));
        assert!(!Locus::of(&DiffKey::parse("layout.__heap_base").unwrap()).names_symbol());
    }
}
