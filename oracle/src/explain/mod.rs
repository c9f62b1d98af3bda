//! `linkcheck explain`: every undefined symbol of a link, who references it
//! and how, its import module and name, and what becomes of it under the
//! default policy, `--import-undefined`, `--allow-undefined` and as weak;
//! plus the import-module conflicts. The reference linker's rules decide
//! (refld is the judge here, `refld::explain`); this module orders and
//! words them for the person who has to act: the symbols that make the
//! link fail first (as given, or under the default policy, which Rust
//! 1.96's wasm targets link with), Rust names demangled, and for each
//! failing symbol the fixes in Rust's and clang's terms beside the wasm-ld
//! flag, each one checked by explaining the link again with it
//! (`fixes`). References from dead code only are summed up in one line
//! unless asked for.

mod fixes;
mod libraries;
mod names;
mod render;

pub use fixes::{Fix, FixKind};
pub use names::{demangle_rust, Language};
pub use render::{render_json, render_text};

use refld::explain::Explanation;
use std::path::{Path, PathBuf};

/// The command line `args` (wasm-ld arguments) parsed into refld's link
/// configuration.
///
/// Errors: bad arguments, or `--help`/`--version` instead of a link.
fn parse(args: &[String], cwd: &Path) -> Result<refld::Config, String> {
    let read = |p: &str| std::fs::read_to_string(cwd.join(p)).map_err(|e| e.to_string());
    match refld::args::parse_args(args, &read)? {
        refld::args::Action::Link(c) => Ok(*c),
        _ => Err("explain needs a link command line, not --help or --version".into()),
    }
}

/// refld's account of the link of `args` (wasm-ld arguments), inputs
/// relative to `cwd`: the facts alone, in symbol-table order, without the
/// ordering, names and fixes of [`explain_report`].
///
/// Errors: bad arguments, unreadable or malformed inputs (as text).
pub fn explain_command_line(args: &[String], cwd: &Path) -> Result<Explanation, String> {
    let config = parse(args, cwd)?;
    refld::explain::explain(&config, &refld::FileSystem { cwd: cwd.to_path_buf() }).map_err(|e| e.to_string())
}

/// Where a symbol is shown: the three parts of the report, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// Live, and reported as an error as given or under the default policy.
    Failing,
    /// Live, and no error: weak, imported by design (an explicit import
    /// name, `--allow-undefined-file`), or the policy imports it.
    Other,
    /// Only dead code refers to it: garbage collection removes the code,
    /// and nothing happens to the symbol.
    DeadOnly,
}

impl Group {
    /// `failing`, `other` or `dead` (the JSON spelling).
    pub fn word(self) -> &'static str {
        match self {
            Group::Failing => "failing",
            Group::Other => "other",
            Group::DeadOnly => "dead",
        }
    }
}

/// One undefined symbol as `explain` presents it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SymbolReport {
    /// Its index in `Report::explanation.undefined`.
    pub index: usize,
    pub group: Group,
    /// Its demangled Rust path (`other::foo`), when it is a Rust name.
    pub demangled: Option<String>,
    /// The language its references come from: which terms its fixes use.
    pub language: Language,
    /// For a failing symbol, the fixes (see [`Fix`]); empty otherwise.
    pub fixes: Vec<Fix>,
}

/// What `linkcheck explain` prints: refld's explanation, and each
/// undefined symbol in the order shown (failing, other, dead-only; in
/// symbol-table order within each), with names and fixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub explanation: Explanation,
    pub symbols: Vec<SymbolReport>,
    /// The folders searched for libraries defining the failing symbols.
    pub searched: Vec<PathBuf>,
}

impl Report {
    /// The symbols of `group`, with their explanations.
    pub fn group(&self, group: Group) -> impl Iterator<Item = (&SymbolReport, &refld::explain::UndefinedSymbol)> {
        self.symbols.iter().filter(move |s| s.group == group).map(|s| (s, &self.explanation.undefined[s.index]))
    }

    /// The report of the undefined symbol `name` (its first, when
    /// signature variants share the name).
    pub fn symbol(&self, name: &str) -> Option<(&SymbolReport, &refld::explain::UndefinedSymbol)> {
        self.symbols.iter().map(|s| (s, &self.explanation.undefined[s.index])).find(|(_, u)| u.name == name)
    }
}

/// Explains the link of `args` (wasm-ld arguments, inputs relative to
/// `cwd`) for people and tools: [`explain_command_line`]'s facts, ordered,
/// demangled, and with checked fixes for each failing symbol (libraries
/// searched in the `-L` folders, the inputs' folders and the known
/// toolchain libraries, `libraries::search_folders`).
///
/// Errors: bad arguments, unreadable or malformed inputs (as text).
pub fn explain_report(args: &[String], cwd: &Path) -> Result<Report, String> {
    let config = parse(args, cwd)?;
    let explanation = refld::explain::explain(&config, &refld::FileSystem { cwd: cwd.to_path_buf() }).map_err(|e| e.to_string())?;
    let mut all_fixes = fixes::fixes(&config, cwd, &explanation);
    let mut symbols: Vec<SymbolReport> = explanation
        .undefined
        .iter()
        .enumerate()
        .map(|(index, u)| SymbolReport {
            index,
            group: if fixes::fails(u) {
                Group::Failing
            } else if u.live {
                Group::Other
            } else {
                Group::DeadOnly
            },
            demangled: demangle_rust(&u.name),
            language: names::language(u),
            fixes: all_fixes.remove(&index).unwrap_or_default(),
        })
        .collect();
    // Stable: symbol-table order within each group.
    symbols.sort_by_key(|s| s.group);
    let searched = libraries::search_folders(&config, cwd).into_iter().map(|(d, _)| d).collect();
    Ok(Report { explanation, symbols, searched })
}
