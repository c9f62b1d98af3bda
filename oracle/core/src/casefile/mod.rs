//! Corpus cases: a folder each, `case.toml` and the inputs it links; this
//! module reads and checks `case.toml` ([`Case`]) and writes and reads
//! generated cases ([`generated`]), which the generators save and the CLI
//! reduces.
//!
//! The format is documented in `corpus/README.md`; in short:
//!
//! ```toml
//! description = "weak definition overridden by a strong one"
//! args = ["-o", "out.wasm", "main.o", "strong.o", "weak.o"]
//! expect = "link"          # or "reject"
//! exit_code = 2            # optional, with expect = "link"
//! trap = "unreachable"     # optional, with expect = "link", not with exit_code
//! imports = ["env.f"]      # optional, with expect = "link"
//! diagnostics = ["warn.undefined-symbol.f"]   # optional: the exact multiset
//! cflags = ["-DX=1"]       # optional, extra flags for every NAME.c
//! divergence = { key = "outcome", linkers = ["refld", "wild"] }   # optional
//!
//! [[archive]]              # optional, any number
//! name = "libx.a"
//! members = ["m1.o", "m2.o"]
//!
//! [[side_module]]          # optional, any number: a dynamic link
//! name = "libside.so"      # args (above) then link the main module
//! args = ["-shared", "--experimental-pic", "side.o"]
//! preload = true           # default; false: loaded only through NEEDED
//! # a `-r` link here (args with -r) makes an input object of the main
//! # link instead: a two-step link, run as a static one
//! # top level, with side modules: missing_functions = "trap" (default "host")
//! ```
//!
//! [`Case::load`] reads and checks a case. Finding the cases of a corpus
//! and preparing their inputs (compiling, assembling, encoding) is the
//! CLI's (`linkcheck::corpus`).

pub mod generated;

use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

pub use generated::{read_case, write_case, write_inputs, GeneratedCase, OUTPUT_NAME};

/// The name of a case's description file inside its folder.
pub const CASE_FILE: &str = "case.toml";

/// What should happen to a case's link, by Linking.md and wasm-ld 22.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    /// The link succeeds and writes an output.
    Link,
    /// The linker refuses the inputs (exit status 1, diagnostics).
    Reject,
}

impl Expect {
    /// `link` or `reject`, as written in `case.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Expect::Link => "link",
            Expect::Reject => "reject",
        }
    }
}

/// An archive built from prepared inputs before the link.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchiveSpec {
    /// The archive's file name in the link directory (`libx.a`).
    pub name: String,
    /// Prepared inputs (`m1.o`, from `m1.c`, `m1.s`, `m1.json` or `m1.o`),
    /// in member order.
    pub members: Vec<String>,
}

/// A side module of a dynamic link, linked before the main module
/// (`[[side_module]]`; [`crate::dynamic`]).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SideModuleSpec {
    /// Its output's file name (`libside.so`): the main module's command
    /// line, NEEDED entries and the loader call it so.
    pub name: String,
    /// wasm-ld's arguments of its link (its `-o` is replaced).
    pub args: Vec<String>,
    /// Whether the loader loads it at start even when no NEEDED entry names
    /// it (default true).
    #[serde(default = "yes")]
    pub preload: bool,
}

fn yes() -> bool {
    true
}

impl SideModuleSpec {
    /// The link plan's form of it.
    pub fn to_side_link(&self) -> crate::dynamic::SideLink {
        crate::dynamic::SideLink { name: self.name.clone(), args: self.args.clone(), preload: self.preload }
    }
}

/// The `divergence` field of `case.toml`: the divergence a case was saved
/// or reduced for (generated cases, [`generated`]): the difference key ([`crate::diff`], e.g.
/// `outcome`) and the linkers compared, the first one first (`linkcheck
/// linkers` names: `refld`, `rust-lld`, `wild`, ...). `linkcheck reduce`
/// keeps it; `conform` ignores it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedDivergence {
    /// The difference key that shows the divergence.
    pub key: String,
    /// The linkers that diverge: the first linker, then the others (two or
    /// more, distinct).
    pub linkers: Vec<String>,
}

/// The contents of `case.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    description: String,
    args: Vec<String>,
    expect: Expect,
    #[serde(default)]
    exit_code: Option<i32>,
    #[serde(default)]
    trap: Option<String>,
    #[serde(default)]
    imports: Vec<String>,
    #[serde(default)]
    diagnostics: Option<Vec<String>>,
    #[serde(default)]
    cflags: Vec<String>,
    #[serde(default)]
    asflags: Vec<String>,
    #[serde(default, rename = "archive")]
    archives: Vec<ArchiveSpec>,
    #[serde(default, rename = "side_module")]
    side_modules: Vec<SideModuleSpec>,
    #[serde(default)]
    missing_functions: Option<crate::run::MissingFunction>,
    #[serde(default)]
    divergence: Option<RecordedDivergence>,
}

/// One case: its folder and what its `case.toml` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The case folder, as found (relative when the root was).
    pub dir: PathBuf,
    /// One line: what the case checks.
    pub description: String,
    /// wasm-ld's arguments (without argv[0]); inputs relative to the folder.
    pub args: Vec<String>,
    /// What should happen.
    pub expect: Expect,
    /// The exit code the linked program must end with, when given.
    pub exit_code: Option<i32>,
    /// The trap the linked program's run must end with, when given: a
    /// [`crate::run::RunResult::trap`] text (`unreachable`,
    /// `indirect call to null`, `out of fuel`, ...).
    pub trap: Option<String>,
    /// Imports (`MODULE.NAME`) the output must have, when given.
    pub imports: Vec<String>,
    /// When given, the exact multiset of classified diagnostics the link
    /// must print (warnings of a linked output included), as keys
    /// `diag.KIND.SYMBOL` / `warn.KIND.SYMBOL` ([`crate::diagnostics::kind`]), a key
    /// listed once per diagnostic; diagnostics of kind `other` are not
    /// counted.
    pub diagnostics: Option<Vec<String>>,
    /// Extra clang flags for every `NAME.c` of the case.
    pub cflags: Vec<String>,
    /// Extra llvm-mc flags for every `NAME.s` of the case (`-mattr=+F`:
    /// instructions of a proposal, such as `throw`).
    pub asflags: Vec<String>,
    /// Archives to build before the link, in order.
    pub archives: Vec<ArchiveSpec>,
    /// Side modules linked before `args` (the main module), in order: a
    /// dynamic link, run under the loader ([`crate::run::loader`]).
    pub side_modules: Vec<SideModuleSpec>,
    /// For a dynamic link: `host` (the default) or `trap`, what the loader
    /// does with a call of a function no module defines.
    pub missing_functions: crate::run::MissingFunction,
    /// The divergence the case was saved for, when recorded.
    pub divergence: Option<RecordedDivergence>,
}

/// A case that cannot be read, found or prepared: the file (or folder) and
/// what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusError {
    /// The file or folder at fault.
    pub path: PathBuf,
    /// What is wrong, in one or more lines.
    pub message: String,
}

impl CorpusError {
    /// An error about `path`.
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> CorpusError {
        CorpusError { path: path.into(), message: message.into() }
    }
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for CorpusError {}

impl Case {
    /// Reads `DIR/case.toml`.
    pub fn load(dir: &Path) -> Result<Case, CorpusError> {
        let file = dir.join(CASE_FILE);
        let text = std::fs::read_to_string(&file).map_err(|e| CorpusError::new(&file, format!("cannot read: {e}")))?;
        Case::parse(dir, &text)
    }

    /// Parses the text of `DIR/case.toml`; errors name that file.
    pub fn parse(dir: &Path, text: &str) -> Result<Case, CorpusError> {
        let file = dir.join(CASE_FILE);
        let bad = |message: String| CorpusError::new(&file, message);
        let parsed: CaseFile = toml::from_str(text).map_err(|e| bad(e.to_string().trim_end().to_string()))?;
        if parsed.description.trim().is_empty() {
            return Err(bad("`description` is empty".into()));
        }
        if parsed.args.is_empty() {
            return Err(bad("`args` is empty".into()));
        }
        if parsed.expect == Expect::Reject
            && (parsed.exit_code.is_some() || parsed.trap.is_some() || !parsed.imports.is_empty())
        {
            return Err(bad("`exit_code`, `trap` and `imports` need expect = \"link\"".into()));
        }
        if parsed.exit_code.is_some() && parsed.trap.is_some() {
            return Err(bad("`exit_code` and `trap` exclude each other".into()));
        }
        if let Some(k) = parsed.diagnostics.iter().flatten().find(|k| crate::key::DiffKey::parse(k).and_then(|k| k.as_diagnostic().map(|_| ())).is_none()) {
            return Err(bad(format!(
                "diagnostic `{k}` is not of the form diag.KIND.SYMBOL or warn.KIND.SYMBOL (KIND one of {})",
                crate::diagnostics::kind::Kind::ALL[..8].iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
            )));
        }
        if let Some(i) = parsed.imports.iter().find(|i| !i.contains('.')) {
            return Err(bad(format!("import `{i}` is not of the form MODULE.NAME")));
        }
        for a in &parsed.archives {
            if a.name.is_empty() || a.name.contains('/') {
                return Err(bad(format!("archive name `{}` must be a plain file name", a.name)));
            }
            if a.members.is_empty() {
                return Err(bad(format!("archive `{}` has no members", a.name)));
            }
        }
        for (i, side) in parsed.side_modules.iter().enumerate() {
            if side.name.is_empty() || side.name.contains('/') {
                return Err(bad(format!("side module name `{}` must be a plain file name", side.name)));
            }
            if side.args.is_empty() {
                return Err(bad(format!("side module `{}` has no `args`", side.name)));
            }
            if parsed.side_modules[..i].iter().any(|s| s.name == side.name) {
                return Err(bad(format!("two side modules are named `{}`", side.name)));
            }
        }
        if parsed.missing_functions.is_some() && parsed.side_modules.is_empty() {
            return Err(bad("`missing_functions` needs a dynamic link (`[[side_module]]`)".into()));
        }
        if let Some(d) = &parsed.divergence {
            let mut names = d.linkers.clone();
            names.sort();
            names.dedup();
            if d.key.trim().is_empty() || d.linkers.len() < 2 || names.len() != d.linkers.len() {
                return Err(bad("`divergence` needs a key and two or more distinct linkers".into()));
            }
        }
        Ok(Case {
            dir: dir.to_path_buf(),
            description: parsed.description,
            args: parsed.args,
            expect: parsed.expect,
            exit_code: parsed.exit_code,
            trap: parsed.trap,
            imports: parsed.imports,
            diagnostics: parsed.diagnostics,
            cflags: parsed.cflags,
            asflags: parsed.asflags,
            archives: parsed.archives,
            side_modules: parsed.side_modules,
            missing_functions: parsed.missing_functions.unwrap_or_default(),
            divergence: parsed.divergence,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_case() {
        let text = r#"
            description = "d"
            args = ["-o", "out.wasm", "main.o", "libx.a"]
            expect = "link"
            exit_code = 3
            imports = ["env.f"]
            [[archive]]
            name = "libx.a"
            members = ["a.o", "b.o"]
        "#;
        let case = Case::parse(Path::new("c"), text).unwrap();
        assert_eq!(case.expect, Expect::Link);
        assert_eq!(case.exit_code, Some(3));
        assert_eq!((case.trap.as_deref(), case.diagnostics.as_deref()), (None, None));
        assert_eq!(case.divergence, None);
        assert_eq!(
            case.archives,
            vec![ArchiveSpec { name: "libx.a".into(), members: vec!["a.o".into(), "b.o".into()] }]
        );
    }

    #[test]
    fn traps_and_diagnostics() {
        let text = r#"
            description = "d"
            args = ["main.o"]
            expect = "link"
            trap = "unreachable"
            diagnostics = ["warn.undefined-symbol.f", "warn.undefined-symbol.f"]
        "#;
        let case = Case::parse(Path::new("c"), text).unwrap();
        assert_eq!(case.trap.as_deref(), Some("unreachable"));
        assert_eq!(case.diagnostics.unwrap().len(), 2);
        let reject = "description = \"d\"\nargs = [\"m.o\"]\nexpect = \"reject\"\n";
        assert_eq!(Case::parse(Path::new("c"), &format!("{reject}diagnostics = []\n")).unwrap().diagnostics, Some(vec![]));
        let err = |extra: &str| Case::parse(Path::new("c"), &format!("{reject}{extra}\n")).unwrap_err().to_string();
        assert!(err("trap = \"unreachable\"").contains("need expect = \"link\""));
        assert!(err("diagnostics = [\"diag.other.x\"]").contains("diag.other.x"));
        assert!(err("diagnostics = [\"undefined-symbol.x\"]").contains("diag.KIND.SYMBOL"));
        let both = text.replace("trap", "exit_code = 1\ntrap");
        assert!(Case::parse(Path::new("c"), &both).unwrap_err().to_string().contains("exclude each other"));
    }

    #[test]
    fn divergences() {
        let base = "description = \"d\"\nargs = [\"m.o\"]\nexpect = \"reject\"\n";
        let parse = |extra: &str| Case::parse(Path::new("c"), &format!("{base}{extra}\n"));
        let case = parse("divergence = { key = \"outcome\", linkers = [\"refld\", \"wild\"] }").unwrap();
        let want = RecordedDivergence { key: "outcome".into(), linkers: vec!["refld".into(), "wild".into()] };
        assert_eq!(case.divergence, Some(want));
        let err = |extra: &str| parse(extra).unwrap_err().to_string();
        assert!(err("divergence = { key = \"outcome\", linkers = [\"refld\"] }").contains("two or more distinct"));
        assert!(err("divergence = { key = \"\", linkers = [\"a\", \"b\"] }").contains("needs a key"));
        assert!(err("divergence = { key = \"k\", linkers = [\"a\", \"a\"] }").contains("distinct"));
        assert!(err("divergence = { key = \"k\", linkers = [\"a\", \"b\"], why = 1 }").contains("why"));
    }

    #[test]
    fn a_bad_file_is_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let case_dir = dir.path().join("group").join("broken");
        std::fs::create_dir_all(&case_dir).unwrap();
        std::fs::write(case_dir.join(CASE_FILE), "description = \"x\"\nargs = [\"a.o\"]\nexpect = \"maybe\"\n")
            .unwrap();
        let err = Case::load(&case_dir).unwrap_err();
        let text = err.to_string();
        assert_eq!(err.path, case_dir.join(CASE_FILE));
        assert!(text.starts_with(&case_dir.join(CASE_FILE).display().to_string()), "{text}");
        assert!(text.contains("maybe") && text.contains("expect"), "{text}");

        std::fs::write(
            case_dir.join(CASE_FILE),
            "description = \"x\"\nargs = [\"a.o\"]\nexpect = \"link\"\nexit = 1\n",
        )
        .unwrap();
        let text = Case::load(&case_dir).unwrap_err().to_string();
        assert!(text.contains("case.toml") && text.contains("exit"), "{text}");

        std::fs::write(
            case_dir.join(CASE_FILE),
            "description = \"x\"\nargs = [\"a.o\"]\nexpect = \"reject\"\nexit_code = 1\n",
        )
        .unwrap();
        let text = Case::load(&case_dir).unwrap_err().to_string();
        assert!(text.contains("case.toml") && text.contains("exit_code"), "{text}");

        let missing = dir.path().join("nothing");
        std::fs::create_dir_all(&missing).unwrap();
        assert!(Case::load(&missing).unwrap_err().to_string().contains("case.toml: cannot read"));
    }

}
