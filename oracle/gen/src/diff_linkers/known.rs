//! The known-bug file of the differential run (fuzz/known.toml): bugs of
//! other linkers recognized by difference key and values ([`KnownBug`]),
//! options they refuse ([`Unsupported`]), and set shapes they are not
//! given ([`Precondition`]).

use crate::object_set::{func_name, Binding, NItem, ObjectSet};
use linkcheck_core::allow::glob;
use serde::Deserialize;
use std::path::Path;

/// A known bug of another linker, as the fuzz target recognizes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownBug {
    /// The linker that has the bug (its report name: `wild`).
    pub linker: String,
    /// The difference key; `*` matches any run of characters.
    pub key: String,
    /// refld's value (`*` for any).
    pub left: String,
    /// The other linker's value (`*` for any).
    pub right: String,
    /// The corpus/found case whose NOTE.md explains the bug.
    pub note: String,
}

impl KnownBug {
    /// Whether this entry covers a difference of `linker` under `key`.
    pub fn matches(&self, linker: &str, key: &str, left: &str, right: &str) -> bool {
        self.linker == linker && glob(&self.key, key) && glob(&self.left, left) && glob(&self.right, right)
    }
}

/// A wasm-ld option another linker does not accept: sets whose command
/// line has it are not linked by that linker (its refusal is a known bug,
/// kept in corpus/found, and would hide every other difference).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unsupported {
    /// The linker's report name (`wild`).
    pub linker: String,
    /// The option as written (`--allow-undefined`); an argument equal to
    /// it or starting with it followed by `=` matches.
    pub option: String,
    /// The corpus/found case whose NOTE.md records the refusal.
    pub note: String,
}

impl Unsupported {
    /// Whether `args` use the option.
    pub fn used_by(&self, args: &[String]) -> bool {
        args.iter().any(|a| a == &self.option || a.strip_prefix(self.option.as_str()).is_some_and(|rest| rest.starts_with('=')))
    }
}

/// A shape of object set on which another linker meets a known bug
/// wherever it looks (a bug whose differences take too many forms to list):
/// sets of that shape are not linked by that linker.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Precondition {
    /// The linker's report name (`wild`).
    pub linker: String,
    /// The shape.
    pub condition: Condition,
    /// The corpus/found case whose NOTE.md records the bug.
    pub note: String,
}

/// The shapes a [`Precondition`] can name (kebab-case in the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Condition {
    /// A name (function or data) defined weakly in one file and defined
    /// again, with any binding but local, in another (archive members
    /// included, extracted or not).
    WeakDefinitionBesideAnother,
    /// A function name referenced (undefined) in two files with different
    /// import modules or fields.
    ImportsDisagree,
}

impl Condition {
    /// Whether `set` has the shape.
    pub fn holds(self, set: &ObjectSet) -> bool {
        match self {
            Condition::WeakDefinitionBesideAnother => {
                let mut defs: std::collections::HashMap<String, Vec<(usize, Binding)>> = Default::default();
                for (i, f) in set.files().iter().enumerate() {
                    for item in &f.items {
                        let (name, binding) = match item {
                            NItem::Func { name, binding, .. } => (func_name(*name), *binding),
                            NItem::Data { name, binding, .. } => (name.clone(), *binding),
                            NItem::Ctor { .. } => continue,
                        };
                        if binding != Binding::Local {
                            defs.entry(name).or_default().push((i, binding));
                        }
                    }
                }
                defs.values().any(|v| v.iter().any(|&(i, b)| b == Binding::Weak && v.iter().any(|&(j, _)| j != i)))
            }
            Condition::ImportsDisagree => {
                let files = set.files();
                (0..crate::object_set::FUNC_NAMES).any(|j| {
                    let imports: std::collections::BTreeSet<(bool, bool)> = files
                        .iter()
                        .filter(|f| !f.defines_func(j) && f.used_funcs().contains(&j))
                        .map(|f| (f.attrs(j).other_module, f.attrs(j).shared_field))
                        .collect();
                    imports.len() > 1
                })
            }
        }
    }
}

/// The contents of a known-bug file (fuzz/known.toml).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Known {
    /// `[[known]]`: differences that are known bugs of the other linker.
    #[serde(default)]
    pub known: Vec<KnownBug>,
    /// `[[unsupported]]`: options another linker refuses.
    #[serde(default)]
    pub unsupported: Vec<Unsupported>,
    /// `[[precondition]]`: set shapes another linker is not given.
    #[serde(default)]
    pub precondition: Vec<Precondition>,
}

/// Parses a known-bug file (`[[known]]` tables, fields of [`KnownBug`];
/// `[[unsupported]]` tables, fields of [`Unsupported`]; `[[precondition]]`
/// tables, fields of [`Precondition`]). Errors name the
/// file and the TOML error.
pub fn parse_known(path: &Path, text: &str) -> Result<Known, String> {
    toml::from_str::<Known>(text).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn weak_definition_beside_another_needs_two_files() {
        use crate::object_set::{Binding, FileModel, Definition, ObjectSet, Policy};
        let func = |name, binding| Definition::Func { name, binding, sig2: false, constant: 0, uses: vec![] };
        let file = |items| FileModel { member: false, items, refs: vec![] };
        let set = |files| ObjectSet {
            files,
            exports: vec![],
            policy: Policy::Error,
            no_gc: false,
            explicit_gc: false,
            export_all: false,
        };
        let holds = |s: &ObjectSet| super::Condition::WeakDefinitionBesideAnother.holds(s);
        assert!(holds(&set(vec![file(vec![func(1, Binding::Weak)]), file(vec![func(1, Binding::Strong)])])));
        assert!(holds(&set(vec![file(vec![func(1, Binding::Hidden)]), file(vec![func(1, Binding::Weak)])])));
        assert!(!holds(&set(vec![file(vec![func(1, Binding::Weak)]), file(vec![func(1, Binding::Local)])])));
        assert!(!holds(&set(vec![file(vec![func(1, Binding::Strong)]), file(vec![func(1, Binding::Strong)])])));
        assert!(!holds(&set(vec![file(vec![func(1, Binding::Weak)]), file(vec![func(2, Binding::Strong)])])));

        // f1 calls the undefined f0 in two files: plainly, then with the
        // import field `shared`.
        use crate::object_set::{RefAttrs, Use};
        let caller = |shared_field| FileModel {
            member: false,
            items: vec![Definition::Func { name: 1, binding: Binding::Local, sig2: false, constant: 0, uses: vec![Use::Call(0)] }],
            refs: vec![RefAttrs { weak: false, other_module: false, shared_field, sig2: false }],
        };
        let disagree = |s: &ObjectSet| super::Condition::ImportsDisagree.holds(s);
        assert!(disagree(&set(vec![caller(false), caller(true)])));
        assert!(!disagree(&set(vec![caller(true), caller(true)])));
    }
}
