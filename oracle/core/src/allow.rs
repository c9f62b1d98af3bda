//! Allow-lists: differences between two linkers that are legitimate, as data.
//!
//! An allow-list is a TOML file of `[[allow]]` entries:
//!
//! ```toml
//! [[allow]]
//! left = "*"                 # the first linker of the comparison (refld, rust-lld, ...), or `*`
//! right = "wasm-ld-19"       # the other linker, or `*`
//! key = "export.__wasm_apply_data_relocs"   # a difference key, or a prefix ending in `*`
//! reason = "wasm-ld 19 ... (LLVM 20 release notes)"
//! ```
//!
//! A difference (the keys of `diff` and the structural keys of `canon`) of
//! the linker `right` from the linker `left` under a
//! covered key is *allowed*: it stays in the report, marked with the
//! reason, but does not count as a divergence. Entries with `left = "*"`
//! and `right = "*"` hold for every pair (the layout values every linker
//! chooses for itself); pair entries name a documented, legitimate
//! difference between two linkers (a default that changed between wasm-ld
//! releases, a feature one release lacks). Bugs are never allowed: they are
//! known divergences (`corpus/known.toml`, `linkcheck conform`'s known list).
//!
//! The list used by default is `oracle/allow.toml`, embedded in the binary
//! ([`AllowList::embedded`]); `linkcheck diff --allow FILE` and `linkcheck
//! conform --allow FILE` replace it.

use serde::Deserialize;
use std::path::Path;
use std::sync::OnceLock;

/// The default allow-list's text (`oracle/allow.toml`).
pub const EMBEDDED: &str = include_str!("../../allow.toml");

/// One allowed key (or key prefix) for a pair of linkers, and why.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Allowance {
    /// The first linker's name, or `*` for any (default `*`).
    #[serde(default = "any")]
    pub left: String,
    /// The other linker's name, or `*` for any (default `*`).
    #[serde(default = "any")]
    pub right: String,
    /// A difference key, or a key prefix followed by `*`.
    pub key: String,
    /// Why the difference is legitimate (one line, citing its source).
    pub reason: String,
}

fn any() -> String {
    "*".to_string()
}

impl Allowance {
    /// An entry for every pair of linkers.
    pub fn any_pair(key: &str, reason: &str) -> Allowance {
        Allowance { left: any(), right: any(), key: key.into(), reason: reason.into() }
    }

    /// Whether `key` is covered: equal, or starting with the prefix before a
    /// final `*`.
    pub fn matches(&self, key: &str) -> bool {
        match self.key.strip_suffix('*') {
            Some(prefix) => key.starts_with(prefix),
            None => key == self.key,
        }
    }

    /// Whether the entry holds for `left` compared with `right` (names equal
    /// or `*`; the order matters).
    pub fn holds_for(&self, left: &str, right: &str) -> bool {
        (self.left == "*" || self.left == left) && (self.right == "*" || self.right == right)
    }

    /// True for the entries that hold for every pair (`left` and `right`
    /// both `*`).
    pub fn is_any_pair(&self) -> bool {
        self.left == "*" && self.right == "*"
    }
}

/// Why an allow-list could not be read: the file and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowError(pub String);

impl std::fmt::Display for AllowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AllowError {}

/// The entries of an allow-list, in file order (the first match gives the
/// reason).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowList {
    pub entries: Vec<Allowance>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    allow: Vec<Allowance>,
}

impl AllowList {
    /// Parses an allow-list; `source` names the file in errors. An entry
    /// with an empty key or reason, or a `*` anywhere but at the end of the
    /// key, is an error.
    pub fn parse(text: &str, source: &str) -> Result<AllowList, AllowError> {
        let file: File = toml::from_str(text).map_err(|e| AllowError(format!("{source}: {e}")))?;
        for (i, a) in file.allow.iter().enumerate() {
            let at = format!("{source}: [[allow]] entry {} (key `{}`)", i + 1, a.key);
            if a.key.is_empty() || a.key.trim_end_matches('*').contains('*') {
                return Err(AllowError(format!("{at}: the key must be a key or a prefix ending in `*`")));
            }
            if a.reason.trim().is_empty() {
                return Err(AllowError(format!("{at}: the reason is empty")));
            }
            if a.left.is_empty() || a.right.is_empty() {
                return Err(AllowError(format!("{at}: `left` and `right` are linker names or `*`")));
            }
        }
        Ok(AllowList { entries: file.allow })
    }

    /// Reads and parses `path`.
    pub fn load(path: &Path) -> Result<AllowList, AllowError> {
        let text = std::fs::read_to_string(path).map_err(|e| AllowError(format!("{}: {e}", path.display())))?;
        AllowList::parse(&text, &path.display().to_string())
    }

    /// The embedded `oracle/allow.toml` (parsed once; it is checked by the
    /// tests, so a parse error here is a build mistake).
    pub fn embedded() -> &'static AllowList {
        static LIST: OnceLock<AllowList> = OnceLock::new();
        LIST.get_or_init(|| AllowList::parse(EMBEDDED, "oracle/allow.toml").expect("oracle/allow.toml parses"))
    }

    /// The reason `key` may differ between `left` and `right`, if an entry
    /// covers it.
    pub fn reason(&self, left: &str, right: &str, key: &str) -> Option<&str> {
        self.entries.iter().find(|a| a.holds_for(left, right) && a.matches(key)).map(|a| a.reason.as_str())
    }

    /// The entries that hold for every pair (what the structural comparison,
    /// `canon::compare_canon`, drops).
    pub fn any_pair(&self) -> Vec<Allowance> {
        self.entries.iter().filter(|a| a.is_any_pair()).cloned().collect()
    }
}

/// Whether `text` matches `pattern`, where `*` matches any run of
/// characters (none included, `/` included) and everything else itself:
/// the patterns of the known-bug lists (`corpus/known.toml` cases,
/// `fuzz/known.toml` keys and values).
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    // Classic two-pointer matching with backtracking to the last `*`.
    let (mut i, mut j, mut star, mut mark) = (0, 0, None, 0);
    while j < t.len() {
        if i < p.len() && p[i] == '*' {
            star = Some(i);
            mark = j;
            i += 1;
        } else if i < p.len() && p[i] == t[j] {
            i += 1;
            j += 1;
        } else if let Some(s) = star {
            i = s + 1;
            mark += 1;
            j = mark;
        } else {
            return false;
        }
    }
    p[i..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn glob_stars_match_any_run() {
        assert!(glob("undefined/close_*", "undefined/close_env_then_test"));
        assert!(glob("*", "basic/a"));
        assert!(glob("*/weak_*_traps", "undefined/weak_function_direct_call_traps"));
        assert!(glob("basic/a", "basic/a"));
        assert!(!glob("basic/a", "basic/ab"));
        assert!(!glob("undefined/close_*", "basic/close_x"));
        assert!(!glob("*_traps", "undefined/weak_function_direct_call"));
    }
}
