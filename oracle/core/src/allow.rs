//! Allow-lists: differences between two linkers that are legitimate, as
//! data: the `[[allow]]` tables of the policy file (`corpus/policy.toml`).
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
//! the linker `right` from the linker `left` under a covered key is
//! *allowed*: it stays in the report, marked with the reason, but does not
//! count as a divergence. Entries with `left = "*"` and `right = "*"` hold
//! for every pair (the layout values every linker chooses for itself);
//! pair entries name a documented, legitimate difference between two
//! linkers (a default that changed between wasm-ld releases, a feature one
//! release lacks). Bugs are never allowed: they are quirks or known bugs of
//! the policy.

use serde::Deserialize;
use std::sync::OnceLock;

/// The workspace's policy file (`corpus/policy.toml`), built in: its
/// `[[allow]]` tables are the default allow-list ([`AllowList::embedded`]),
/// the whole of it the default policy (the policy module's `Policy::embedded`).
pub const EMBEDDED_POLICY: &str = include_str!("../../../corpus/policy.toml");

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

/// The entries of an allow-list, in file order (the first match gives the
/// reason).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowList {
    pub entries: Vec<Allowance>,
}

impl AllowList {
    /// The `[[allow]]` tables of the built-in `corpus/policy.toml` (parsed
    /// once; the tests check the file, so a parse error here is a build
    /// mistake).
    pub fn embedded() -> &'static AllowList {
        static LIST: OnceLock<AllowList> = OnceLock::new();
        LIST.get_or_init(|| {
            #[derive(Deserialize)]
            struct AllowOnly {
                #[serde(default)]
                allow: Vec<Allowance>,
            }
            let file: AllowOnly = toml::from_str(EMBEDDED_POLICY).expect("corpus/policy.toml parses");
            AllowList { entries: file.allow }
        })
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
/// the patterns of the policy's `[[known]]` entries (keys, values,
/// cases).
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
