//! Known divergences: bugs of a linker, kept in `corpus/found`, as data
//! (`corpus/known.toml`).
//!
//! ```toml
//! [[known]]
//! linker = "wild"                       # the linker whose bug it is (a column of conform)
//! key = "outcome"                       # a difference key, or a prefix ending in `*`
//! cases = ["undefined/close_*", "basic/undefined_symbol"]   # case folders, relative to the corpus root
//! note = "found/wild_links_undefined_function"              # the corpus/found case explaining it
//! ```
//!
//! On the cases its `cases` match, a difference of `linker` from the first
//! linker under a key `key` covers is a known bug of that linker, explained
//! by the `note` case's `NOTE.md`. `conform` shows a cell whose every
//! divergence is known as `known:KEY`, counts those cases apart, and does not
//! fail on them. A crash or timeout is known when its `outcome` difference
//! is.
//!
//! Case patterns are paths relative to the corpus root (the folder holding
//! `known.toml`); `*` matches any run of characters, `/` included. An entry
//! is *stale* when its linker ran and some case its patterns match ran, but
//! none of those cases shows a divergence under its key: the bug was fixed,
//! or the entry is wrong. Stale entries are warnings, not failures.

use super::ConformReport;
use linkcheck_core::allow::glob;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The file name looked for in the corpus root and its parents.
pub const KNOWN_FILE: &str = "known.toml";

/// One known divergence.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KnownEntry {
    /// The linker that has the bug (`wild`, `wasm-ld-19`).
    pub linker: String,
    /// A difference key, or a key prefix followed by `*`.
    pub key: String,
    /// Case folders relative to the corpus root, `*` a wildcard.
    pub cases: Vec<String>,
    /// The `corpus/found` case whose `NOTE.md` explains the bug, relative
    /// to the corpus root (`found/wild_links_undefined_function`).
    pub note: String,
}

impl KnownEntry {
    /// Whether `key` is covered: equal, or starting with the prefix before a
    /// final `*`.
    pub fn matches_key(&self, key: &str) -> bool {
        match self.key.strip_suffix('*') {
            Some(prefix) => key.starts_with(prefix),
            None => key == self.key,
        }
    }

    /// Whether the case at `case` (relative to the corpus root, `/`
    /// separated) is one of the entry's cases.
    pub fn matches_case(&self, case: &str) -> bool {
        self.cases.iter().any(|pattern| glob(pattern, case))
    }

    /// Whether the entry covers a difference under `key` of `linker` on
    /// `case`.
    pub fn covers(&self, linker: &str, case: &str, key: &str) -> bool {
        self.linker == linker && self.matches_key(key) && self.matches_case(case)
    }
}

/// Why a known list could not be read: the file and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownError(pub String);

impl std::fmt::Display for KnownError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KnownError {}

/// A known list and the corpus root its case patterns are relative to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownList {
    /// The folder case patterns and notes are relative to.
    pub root: PathBuf,
    pub entries: Vec<KnownEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    known: Vec<KnownEntry>,
}

impl KnownList {
    /// Parses a known list whose patterns are relative to `root`; `source`
    /// names the file in errors. An entry with an empty linker, key, case
    /// list or note, or a `*` inside its key, is an error.
    pub fn parse(text: &str, source: &str, root: &Path) -> Result<KnownList, KnownError> {
        let file: File = toml::from_str(text).map_err(|e| KnownError(format!("{source}: {e}")))?;
        for (i, k) in file.known.iter().enumerate() {
            let at = format!("{source}: [[known]] entry {} (linker `{}`, key `{}`)", i + 1, k.linker, k.key);
            if k.key.is_empty() || k.key.trim_end_matches('*').contains('*') {
                return Err(KnownError(format!("{at}: the key must be a key or a prefix ending in `*`")));
            }
            if k.linker.is_empty() || k.note.is_empty() || k.cases.is_empty() {
                return Err(KnownError(format!("{at}: `linker`, `note` and `cases` must not be empty")));
            }
        }
        Ok(KnownList { root: root.to_path_buf(), entries: file.known })
    }

    /// Reads `path`; patterns are relative to its folder. Each entry's note
    /// must name a folder holding a `NOTE.md`.
    pub fn load(path: &Path) -> Result<KnownList, KnownError> {
        let text = std::fs::read_to_string(path).map_err(|e| KnownError(format!("{}: {e}", path.display())))?;
        let root = path.parent().unwrap_or(Path::new("."));
        let list = KnownList::parse(&text, &path.display().to_string(), root)?;
        for k in &list.entries {
            let note = root.join(&k.note).join("NOTE.md");
            if !note.is_file() {
                return Err(KnownError(format!(
                    "{}: the note `{}` of the entry for {} `{}` has no {}",
                    path.display(),
                    k.note,
                    k.linker,
                    k.key,
                    note.display()
                )));
            }
        }
        Ok(list)
    }

    /// The `known.toml` of the corpus holding `dir`: in `dir` or the nearest
    /// of its parents that has one.
    pub fn find(dir: &Path) -> Option<PathBuf> {
        let dir = std::fs::canonicalize(dir).ok()?;
        dir.ancestors().map(|d| d.join(KNOWN_FILE)).find(|f| f.is_file())
    }

    /// `dir` relative to the root, `/` separated; `None` when it is not
    /// under the root.
    pub fn relative(&self, dir: &Path) -> Option<String> {
        let root = std::fs::canonicalize(&self.root).ok()?;
        let dir = std::fs::canonicalize(dir).ok()?;
        let rel = dir.strip_prefix(&root).ok()?;
        Some(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"))
    }

    /// Marks every divergence of `report` an entry covers with the entry's
    /// note ([`linkcheck_core::diff::Difference::known`]), and returns the stale
    /// entries: those whose linker ran and some of whose cases ran, but
    /// which covered no divergence.
    pub fn apply(&self, report: &mut ConformReport) -> Vec<KnownEntry> {
        let mut used = vec![false; self.entries.len()];
        let mut relevant = vec![false; self.entries.len()];
        for case in &mut report.cases {
            let Some(rel) = self.relative(&case.dir) else { continue };
            for (n, k) in self.entries.iter().enumerate() {
                if k.matches_case(&rel) && report.linkers.contains(&k.linker) {
                    relevant[n] = true;
                }
            }
            let Some(check) = &mut case.report else { continue };
            for cmp in &mut check.comparisons {
                for d in &mut cmp.differences {
                    if let Some(n) = self.entries.iter().position(|k| k.covers(&cmp.right, &rel, &d.key)) {
                        used[n] = true;
                        d.known = Some(self.entries[n].note.clone());
                    }
                }
            }
        }
        self.entries.iter().enumerate().filter(|(n, _)| relevant[*n] && !used[*n]).map(|(_, k)| k.clone()).collect()
    }
}

/// The warning line of a stale entry.
pub fn stale_line(k: &KnownEntry) -> String {
    format!(
        "warning: stale known divergence: {} `{}` on [{}] ({}) matches no divergence",
        k.linker,
        k.key,
        k.cases.join(", "),
        k.note
    )
}
