//! The policy: what a difference between refld and another linker means,
//! as data, in one file (`corpus/policy.toml`, schema in corpus/README.md)
//! read by `linkcheck conform`, `linkcheck diff`, `linkcheck reduce`, the
//! `diff_linkers` and `split_relink` fuzz targets alike.
//!
//! - `[[allow]]`: a legitimate difference between two linkers (layout
//!   values, a default that changed between releases), with its reason
//!   ([`crate::allow::AllowList`]); it stays in reports, marked, and is no
//!   divergence.
//! - `[[quirk]]`: a measured deviation of a linker from SPEC.md that refld
//!   can emulate (`refld --quirk NAME`, SPEC QUIRK-*). A divergence of that
//!   linker is its known bug exactly when re-linking with refld under the
//!   linker's quirks removes it ([`attribute`]), whatever downstream form it
//!   takes.
//! - `[[known]]`: a bug that no quirk states (a crash, an exit status, an
//!   invalid output of its own), matched by difference key and values, on
//!   given corpus cases or anywhere.
//! - `[[unsupported]]`: a wasm-ld option the linker refuses; command lines
//!   using it are not given to that linker by generators.
//! - `[[precondition]]`: a shape of generated object set the linker is not
//!   given (a bug that shows in too many forms to match); the generator
//!   names the shapes it can test (`linkcheck_gen`'s `Condition`).
//!
//! Every entry but `[[allow]]` names a `note`: the corpus/found case (a
//! folder relative to the policy file's folder, holding NOTE.md) that
//! explains it. Patterns (`key`, `left`, `right`, `cases`) take `*` for any
//! run of characters ([`crate::allow::glob`]).

mod attribute;

pub use attribute::{attribute, Attribution};

use crate::allow::{glob, AllowList, Allowance};
use crate::check::{CheckReport, Comparison, LinkerReport};
use crate::linker::Outcome;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The file name looked for in a corpus folder and its parents.
pub const POLICY_FILE: &str = "policy.toml";

/// The workspace's policy (`corpus/policy.toml`), built into the binaries.
pub const EMBEDDED: &str = crate::allow::EMBEDDED_POLICY;

/// A quirk of a linker: refld emulates it under `--quirk NAME`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QuirkEntry {
    /// The linker measured to behave so (its report name: `rust-lld`).
    pub linker: String,
    /// refld's quirk name (`refld --help` lists them).
    pub quirk: String,
    /// The corpus/found case explaining the deviation.
    pub note: String,
}

/// A known bug matched by key and values ([`Policy`]'s `[[known]]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KnownBug {
    /// The linker that has the bug.
    pub linker: String,
    /// The difference key pattern.
    pub key: String,
    /// The first linker's (refld's) value pattern (default `*`).
    #[serde(default = "any")]
    pub left: String,
    /// The other linker's value pattern (default `*`).
    #[serde(default = "any")]
    pub right: String,
    /// Corpus cases (folders relative to the policy file's folder) it
    /// holds on; absent: every case and every generated set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cases: Option<Vec<String>>,
    /// A pattern one of the other linker's messages must match
    /// ([`messages_of`]: the first line of each diagnostic, or each line
    /// a crash printed): the bug's own signature, where the key and values
    /// (an `outcome` of `rejected`) say too little. Absent: any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Arguments the link's command line must all have, as written
    /// (`--allow-undefined`): the bug's trigger, for a crash that prints
    /// nothing to match `message` against. Absent: any command line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<Vec<String>>,
    /// The corpus/found case explaining the bug.
    pub note: String,
}

fn any() -> String {
    "*".to_string()
}

/// What one link says beyond its differences, for `[[known]]` entries with
/// `message` or `args` patterns: the other linker's messages
/// ([`messages_of`]) and the link's command line. The default is a link
/// that said nothing and took no arguments.
#[derive(Debug, Clone, Copy, Default)]
pub struct LinkFacts<'a> {
    pub messages: &'a [String],
    pub args: &'a [String],
}

impl KnownBug {
    /// Whether the entry covers a difference of `linker` under `key` with
    /// these values, on `case` (relative to the policy's folder; `None`:
    /// a generated set, which only entries without `cases` cover).
    pub fn covers(&self, linker: &str, case: Option<&str>, key: &str, left: &str, right: &str) -> bool {
        self.covers_on(&LinkFacts::default(), linker, case, key, left, right)
    }

    /// [`KnownBug::covers`] on a link: the other linker's `messages` for
    /// an entry with a `message` pattern, the command line for one with
    /// `args`.
    pub fn covers_on(&self, link: &LinkFacts<'_>, linker: &str, case: Option<&str>, key: &str, left: &str, right: &str) -> bool {
        let (messages, args) = (link.messages, link.args);
        self.args.as_ref().is_none_or(|want| want.iter().all(|w| args.contains(w)))
            && self.message.as_ref().is_none_or(|p| messages.iter().any(|m| glob(p, m)))
            && self.linker == linker
            && glob(&self.key, key)
            && glob(&self.left, left)
            && glob(&self.right, right)
            && match (&self.cases, case) {
                (None, _) => true,
                (Some(patterns), Some(case)) => patterns.iter().any(|p| glob(p, case)),
                (Some(_), None) => false,
            }
    }
}

/// An option a linker refuses.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Unsupported {
    /// The linker's report name.
    pub linker: String,
    /// The option as written (`--allow-undefined`): an argument equal to
    /// it, or it followed by `=`, matches.
    pub option: String,
    /// The corpus/found case recording the refusal.
    pub note: String,
}

impl Unsupported {
    /// Whether `args` use the option.
    pub fn used_by(&self, args: &[String]) -> bool {
        args.iter().any(|a| a == &self.option || a.strip_prefix(self.option.as_str()).is_some_and(|rest| rest.starts_with('=')))
    }
}

/// A set shape a linker is not given.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Precondition {
    /// The linker's report name.
    pub linker: String,
    /// The shape's name (kebab-case), as the generator knows it.
    pub condition: String,
    /// The corpus/found case recording the bug.
    pub note: String,
}

/// A policy file's entries, in file order (the first match gives the
/// reason or note).
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// The folder notes and case patterns are relative to (`None`: not
    /// read from a file on this machine).
    pub root: Option<PathBuf>,
    pub allow: AllowList,
    pub quirks: Vec<QuirkEntry>,
    pub known: Vec<KnownBug>,
    pub unsupported: Vec<Unsupported>,
    pub precondition: Vec<Precondition>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    allow: Vec<Allowance>,
    #[serde(default)]
    quirk: Vec<QuirkEntry>,
    #[serde(default)]
    known: Vec<KnownBug>,
    #[serde(default)]
    unsupported: Vec<Unsupported>,
    #[serde(default)]
    precondition: Vec<Precondition>,
}

/// Why a policy could not be read: the file, the entry and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError(pub String);

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PolicyError {}

impl Policy {
    /// Parses a policy; `source` names the file in errors, `root` is the
    /// folder its notes and cases are relative to. Errors: TOML errors,
    /// unknown fields, an empty key, reason, linker or note, a quirk refld
    /// does not have, an `[[allow]]` key with a `*` before its end.
    pub fn parse(text: &str, source: &str, root: Option<&Path>) -> Result<Policy, PolicyError> {
        let file: File = toml::from_str(text).map_err(|e| PolicyError(format!("{source}: {e}")))?;
        let err = |what: String| PolicyError(format!("{source}: {what}"));
        for (i, a) in file.allow.iter().enumerate() {
            let at = format!("[[allow]] entry {} (key `{}`)", i + 1, a.key);
            if a.key.is_empty() || a.key.trim_end_matches('*').contains('*') {
                return Err(err(format!("{at}: the key must be a key or a prefix ending in `*`")));
            }
            if a.reason.trim().is_empty() {
                return Err(err(format!("{at}: the reason is empty")));
            }
            if a.left.is_empty() || a.right.is_empty() {
                return Err(err(format!("{at}: `left` and `right` are linker names or `*`")));
            }
        }
        for (i, q) in file.quirk.iter().enumerate() {
            if refld::Quirk::from_name(&q.quirk).is_none() {
                let names: Vec<&str> = refld::quirks::QUIRKS.iter().map(|q| q.name).collect();
                return Err(err(format!("[[quirk]] entry {}: refld has no quirk `{}` (it has: {})", i + 1, q.quirk, names.join(", "))));
            }
        }
        for (i, k) in file.known.iter().enumerate() {
            let at = format!("[[known]] entry {} (linker `{}`, key `{}`)", i + 1, k.linker, k.key);
            if k.linker.is_empty() || k.key.is_empty() || k.note.is_empty() || k.cases.as_ref().is_some_and(Vec::is_empty) {
                return Err(err(format!("{at}: `linker`, `key`, `note` and `cases` (when given) must not be empty")));
            }
        }
        let notes = file.quirk.iter().map(|q| (&q.linker, &q.note)).chain(file.known.iter().map(|k| (&k.linker, &k.note)));
        let notes = notes.chain(file.unsupported.iter().map(|u| (&u.linker, &u.note)));
        if let Some((linker, _)) = notes.chain(file.precondition.iter().map(|p| (&p.linker, &p.note))).find(|(l, n)| l.is_empty() || n.is_empty()) {
            return Err(err(format!("an entry for linker `{linker}` has an empty linker or note")));
        }
        Ok(Policy {
            root: root.map(Path::to_path_buf),
            allow: AllowList { entries: file.allow },
            quirks: file.quirk,
            known: file.known,
            unsupported: file.unsupported,
            precondition: file.precondition,
        })
    }

    /// Reads `path`; notes and cases are relative to its folder, and each
    /// note must name a folder holding a NOTE.md.
    pub fn load(path: &Path) -> Result<Policy, PolicyError> {
        let text = std::fs::read_to_string(path).map_err(|e| PolicyError(format!("{}: {e}", path.display())))?;
        let root = path.parent().unwrap_or(Path::new("."));
        let policy = Policy::parse(&text, &path.display().to_string(), Some(root))?;
        if let Some(missing) = policy.notes().find(|n| !root.join(n).join("NOTE.md").is_file()) {
            return Err(PolicyError(format!("{}: the note `{missing}` has no {}", path.display(), root.join(missing).join("NOTE.md").display())));
        }
        Ok(policy)
    }

    /// The workspace's `corpus/policy.toml` as built in (parsed once; the
    /// tests check it, so a parse error here is a build mistake). Its
    /// root is the corpus folder of the source tree it was built from.
    pub fn embedded() -> &'static Policy {
        static POLICY: OnceLock<Policy> = OnceLock::new();
        POLICY.get_or_init(|| {
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
            Policy::parse(EMBEDDED, "corpus/policy.toml", Some(&root)).expect("corpus/policy.toml parses")
        })
    }

    /// The `policy.toml` of the corpus holding `dir`: in `dir` or its
    /// nearest parent that has one.
    pub fn find(dir: &Path) -> Option<PathBuf> {
        let dir = std::fs::canonicalize(dir).ok()?;
        dir.ancestors().map(|d| d.join(POLICY_FILE)).find(|f| f.is_file())
    }

    /// Every note the entries name.
    pub fn notes(&self) -> impl Iterator<Item = &str> {
        let q = self.quirks.iter().map(|q| q.note.as_str());
        let k = self.known.iter().map(|k| k.note.as_str());
        let u = self.unsupported.iter().map(|u| u.note.as_str());
        q.chain(k).chain(u).chain(self.precondition.iter().map(|p| p.note.as_str()))
    }

    /// The quirks of `linker`, in file order.
    pub fn quirks_of<'a>(&'a self, linker: &'a str) -> impl Iterator<Item = &'a QuirkEntry> + 'a {
        self.quirks.iter().filter(move |q| q.linker == linker)
    }

    /// The first `[[known]]` entry covering the difference.
    pub fn known_bug(&self, linker: &str, case: Option<&str>, key: &str, left: &str, right: &str) -> Option<&KnownBug> {
        self.known.iter().find(|k| k.covers(linker, case, key, left, right))
    }

    /// Marks the divergences of `cmp` a `[[known]]` entry covers with its
    /// note (on `case`, on the `link`, as [`KnownBug::covers_on`]);
    /// returns how many.
    pub fn mark_known(&self, cmp: &mut Comparison, case: Option<&str>, link: &LinkFacts<'_>) -> usize {
        let mut marked = 0;
        for d in cmp.differences.iter_mut().filter(|d| d.known.is_none()) {
            let key = d.key.to_string();
            let found = self.known.iter().find(|k| k.covers_on(link, &cmp.right, case, &key, &d.left, &d.right));
            if let Some(k) = found {
                d.known = Some(k.note.clone());
                marked += 1;
            }
        }
        marked
    }

    /// [`Policy::mark_known`] for every comparison of `report`, each with
    /// its linker's messages.
    pub fn mark_known_report(&self, report: &mut CheckReport, case: Option<&str>) -> usize {
        let CheckReport { linkers, comparisons, args, .. } = report;
        let mut marked = 0;
        for cmp in comparisons {
            let messages = linkers.iter().find(|l| l.name == cmp.right).map(messages_of).unwrap_or_default();
            marked += self.mark_known(cmp, case, &LinkFacts { messages: &messages, args });
        }
        marked
    }

    /// `dir` relative to the policy's root, `/` separated; `None` when it
    /// is not under it (or the policy has no root).
    pub fn relative(&self, dir: &Path) -> Option<String> {
        let root = std::fs::canonicalize(self.root.as_ref()?).ok()?;
        let dir = std::fs::canonicalize(dir).ok()?;
        let rel = dir.strip_prefix(&root).ok()?;
        Some(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"))
    }
}

/// What a linker said about a link, for `message` patterns: the first line
/// of each diagnostic (`error: ...`), or each non-empty line of a crash's
/// stderr; its side modules' too.
pub fn messages_of(report: &LinkerReport) -> Vec<String> {
    let mut out: Vec<String> = match &report.outcome {
        Outcome::Linked { warnings: d, .. } | Outcome::Rejected { diagnostics: d } => {
            d.iter().map(|m| m.lines().next().unwrap_or("").to_string()).collect()
        }
        Outcome::Crashed { stderr, .. } => stderr.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect(),
        Outcome::TimedOut | Outcome::Unsupported { .. } => Vec::new(),
    };
    out.extend(report.side_modules.iter().flat_map(messages_of));
    out
}
