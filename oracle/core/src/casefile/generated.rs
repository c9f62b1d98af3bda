//! Generated corpus cases: object models saved as a corpus case folder, and
//! read back.
//!
//! A [`GeneratedCase`] is a link whose every input is a linkcheck-object
//! [`ObjectModel`]: plain objects and archives of them, a wasm-ld command
//! line, the expected outcome and, optionally, the divergence it was saved
//! for. [`write_case`] stores it in the corpus format (`corpus/README.md`,
//! "Generated cases"):
//!
//! ```text
//! DIR/case.toml   description, args (with `-o out.wasm`), expect,
//!                 divergence = { key, linkers }, [[archive]] name + members
//! DIR/NAME.json   one per object and archive member: the ObjectModel (serde
//!                 JSON), which `linkcheck conform` encodes to NAME.o
//! DIR/NAME.txt    the text dump of NAME.json (linkcheck_object::dump), for readers
//! ```
//!
//! [`read_case`] loads such a folder back; [`write_inputs`] writes the
//! encoded objects and archives, ready to link, into a scratch directory.
//! (The generators turn their object sets into such cases: a fuzz target
//! saves what it found this way.)

use super::{Case, CorpusError, RecordedDivergence, Expect, SideModuleSpec, CASE_FILE};
use crate::cmdline::strip_output_args;
use linkcheck_object::{archive, dump, encode, ObjectModel};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The output name written into `case.toml` (every linker replaces it).
pub const OUTPUT_NAME: &str = "out.wasm";

/// A link of object models: what [`write_case`] saves and [`read_case`]
/// loads.
///
/// Names are plain file names: objects and members `NAME.o` (saved as
/// `NAME.json` and `NAME.txt`), archives any other name (`lib.a`); all
/// distinct. `args` are wasm-ld's arguments without argv[0] and without
/// `-o` (the harness chooses the output), naming inputs by file name.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedCase {
    /// One line: what the case shows.
    pub description: String,
    /// Plain objects: (`NAME.o`, model).
    pub objects: Vec<(String, ObjectModel)>,
    /// Archives: (archive name, members (`NAME.o`, model) in member order).
    pub archives: Vec<(String, Vec<(String, ObjectModel)>)>,
    /// wasm-ld's arguments, without `-o`.
    pub args: Vec<String>,
    /// The expected outcome (`expect` of `case.toml`).
    pub expect: Expect,
    /// The divergence the case was saved for, if any.
    pub divergence: Option<RecordedDivergence>,
    /// Links made before the main link (`[[side_module]]`): a two-step
    /// link's `-r` link, whose output the main link reads.
    pub side_modules: Vec<SideModuleSpec>,
}

impl GeneratedCase {
    /// Every object model with its file name: plain objects, then archive
    /// members archive by archive.
    pub fn models(&self) -> impl Iterator<Item = &(String, ObjectModel)> {
        self.objects.iter().chain(self.archives.iter().flat_map(|(_, m)| m.iter()))
    }

    /// The names of the files on the command line: objects, then archives.
    pub fn input_names(&self) -> Vec<&str> {
        self.objects.iter().map(|(n, _)| n.as_str()).chain(self.archives.iter().map(|(n, _)| n.as_str())).collect()
    }

    /// Checks the names: plain, `.o` for objects and members, distinct,
    /// archives not empty. The error says which name is wrong.
    pub fn check_names(&self) -> Result<(), String> {
        let mut seen = BTreeSet::new();
        let plain = |n: &str| !n.is_empty() && !n.contains('/') && n != "." && n != "..";
        for (name, _) in self.models() {
            let stem = name.strip_suffix(".o").unwrap_or("");
            if !plain(name) || stem.is_empty() {
                return Err(format!("object name `{name}` is not a plain file name NAME.o"));
            }
            if !seen.insert(name.as_str()) {
                return Err(format!("two inputs are named `{name}`"));
            }
        }
        for (name, members) in &self.archives {
            let reserved = [".o", ".json", ".txt", ".md"].iter().any(|e| name.ends_with(e)) || name == CASE_FILE;
            if !plain(name) || reserved {
                return Err(format!("archive name `{name}` must be a plain file name not ending in .o/.json/.txt/.md"));
            }
            if !seen.insert(name.as_str()) {
                return Err(format!("two inputs are named `{name}`"));
            }
            if members.is_empty() {
                return Err(format!("archive `{name}` has no members"));
            }
        }
        Ok(())
    }
}

#[derive(Serialize)]
struct CaseToml<'a> {
    description: &'a str,
    args: Vec<String>,
    expect: Expect,
    #[serde(skip_serializing_if = "Option::is_none")]
    divergence: Option<&'a RecordedDivergence>,
    #[serde(rename = "archive", skip_serializing_if = "Vec::is_empty")]
    archives: Vec<ArchiveToml>,
    #[serde(rename = "side_module", skip_serializing_if = "<[_]>::is_empty")]
    side_modules: &'a [SideModuleSpec],
}

#[derive(Serialize)]
struct ArchiveToml {
    name: String,
    members: Vec<String>,
}

/// The `case.toml` text of `case`.
fn case_toml(case: &GeneratedCase) -> Result<String, String> {
    let args = ["-o", OUTPUT_NAME].iter().map(|s| s.to_string()).chain(strip_output_args(&case.args)).collect();
    let archives = case
        .archives
        .iter()
        .map(|(name, members)| ArchiveToml {
            name: name.clone(),
            members: members.iter().map(|(n, _)| n.clone()).collect(),
        })
        .collect();
    let file = CaseToml {
        description: case.description.lines().next().unwrap_or(""),
        args,
        expect: case.expect,
        divergence: case.divergence.as_ref(),
        archives,
        side_modules: &case.side_modules,
    };
    toml::to_string(&file).map_err(|e| format!("cannot write TOML: {e}"))
}

/// Writes `case` as a corpus case into `dir` (created if missing):
/// `case.toml`, then `NAME.json` (the model) and `NAME.txt` (its
/// [`dump()`]) for each object and archive member `NAME.o`.
///
/// A previous generated case in `dir` is replaced: its `case.toml`,
/// `*.json` and `*.txt` files are removed first, `*.md` notes are kept.
/// A folder holding anything else (a `.c` input, a subfolder) is refused,
/// as are bad names ([`GeneratedCase::check_names`]), an empty description
/// and empty `args`. Errors name the folder or file at fault.
pub fn write_case(dir: &Path, case: &GeneratedCase) -> Result<(), CorpusError> {
    case.check_names().map_err(|e| CorpusError::new(dir, e))?;
    let text = case_toml(case).map_err(|e| CorpusError::new(dir.join(CASE_FILE), e))?;
    // The format's own checks (description, args, divergence) before any
    // file is touched.
    Case::parse(dir, &text)?;
    std::fs::create_dir_all(dir).map_err(|e| CorpusError::new(dir, format!("cannot create: {e}")))?;
    let mut stale = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| CorpusError::new(dir, format!("cannot list: {e}")))?;
    for entry in entries {
        let path = entry.map_err(|e| CorpusError::new(dir, format!("cannot list: {e}")))?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let ours = name == CASE_FILE || name.ends_with(".json") || name.ends_with(".txt");
        if path.is_file() && ours {
            stale.push(path);
        } else if !(path.is_file() && name.ends_with(".md")) {
            return Err(CorpusError::new(
                &path,
                "is not part of a generated case (case.toml, NAME.json, NAME.txt, *.md): refusing to write the case here",
            ));
        }
    }
    for path in stale {
        std::fs::remove_file(&path).map_err(|e| CorpusError::new(&path, format!("cannot remove: {e}")))?;
    }
    let write = |name: String, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| CorpusError::new(&path, format!("cannot write: {e}")))
    };
    write(CASE_FILE.to_string(), text.as_bytes())?;
    for (name, model) in case.models() {
        let stem = name.strip_suffix(".o").unwrap_or(name);
        let json = serde_json::to_string_pretty(model)
            .map_err(|e| CorpusError::new(dir.join(format!("{stem}.json")), format!("cannot encode JSON: {e}")))?;
        write(format!("{stem}.json"), format!("{json}\n").as_bytes())?;
        write(format!("{stem}.txt"), dump(model).as_bytes())?;
    }
    Ok(())
}

/// Reads a generated case from `dir`: `case.toml` ([`Case::load`]) and a
/// `NAME.json` model for each input `NAME.o` (a `NAME.txt` beside it is its
/// dump and is not read). Inputs of any other kind (`NAME.c`, `NAME.s`,
/// `NAME.o`, a `.txt` without its `.json`) are an error naming the file: only
/// generated cases can be read back as models. `exit_code`, `trap`,
/// `imports`, `diagnostics` and `cflags` of `case.toml` are not kept.
///
/// Objects come in command-line order, then any model the command line does
/// not name (sorted); archive members in member order.
pub fn read_case(dir: &Path) -> Result<GeneratedCase, CorpusError> {
    let case = Case::load(dir)?;
    let toml = dir.join(CASE_FILE);
    let mut models: BTreeMap<String, ObjectModel> = BTreeMap::new();
    let mut dumps = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| CorpusError::new(dir, format!("cannot list: {e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !path.is_file() || name == CASE_FILE || name.ends_with(".md") {
            continue;
        }
        if let Some(stem) = name.strip_suffix(".json") {
            let text =
                std::fs::read_to_string(&path).map_err(|e| CorpusError::new(&path, format!("cannot read: {e}")))?;
            let model: ObjectModel = serde_json::from_str(&text)
                .map_err(|e| CorpusError::new(&path, format!("not an objgen ObjectModel: {e}")))?;
            models.insert(format!("{stem}.o"), model);
        } else if let Some(stem) = name.strip_suffix(".txt") {
            dumps.push((path.clone(), format!("{stem}.o")));
        } else {
            return Err(CorpusError::new(
                &path,
                "is not an objgen model (NAME.json): only generated cases (every input a .json model) can be read as models",
            ));
        }
    }
    if let Some((path, _)) = dumps.iter().find(|(_, o)| !models.contains_key(o)) {
        return Err(CorpusError::new(path, "is not the dump of a NAME.json beside it"));
    }
    let mut archives = Vec::new();
    for spec in &case.archives {
        let mut members = Vec::new();
        for m in &spec.members {
            let model = models.remove(m).ok_or_else(|| {
                CorpusError::new(&toml, format!("archive `{}`: member `{m}` has no .json model (or is used twice)", spec.name))
            })?;
            members.push((m.clone(), model));
        }
        archives.push((spec.name.clone(), members));
    }
    let args = strip_output_args(&case.args);
    let mut objects = Vec::new();
    for a in case.side_modules.iter().flat_map(|s| s.args.iter()).chain(&args) {
        if let Some(model) = models.remove(a) {
            objects.push((a.clone(), model));
        } else if archives.iter().any(|(_, ms)| ms.iter().any(|(n, _)| n == a)) {
            return Err(CorpusError::new(&toml, format!("`{a}` is both an archive member and a plain input")));
        }
    }
    objects.extend(models);
    let generated = GeneratedCase {
        description: case.description,
        objects,
        archives,
        args,
        expect: case.expect,
        divergence: case.divergence,
        side_modules: case.side_modules,
    };
    generated.check_names().map_err(|e| CorpusError::new(&toml, e))?;
    Ok(generated)
}

/// Writes the case's link inputs into `dir` (which must exist): `NAME.o`
/// for each object and each archive member (encoded with
/// [`linkcheck_object::encode()`]), and each archive (GNU format with a symbol
/// index, [`linkcheck_object::archive()`]). Returns the link's arguments,
/// `-o out.wasm` first; link them with `dir` as the current directory.
pub fn write_inputs(dir: &Path, case: &GeneratedCase) -> Result<Vec<String>, CorpusError> {
    case.check_names().map_err(|e| CorpusError::new(dir, e))?;
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| CorpusError::new(&path, format!("cannot write: {e}")))
    };
    for (name, model) in case.models() {
        write(name, &encode(model))?;
    }
    for (name, members) in &case.archives {
        let encoded: Vec<(&str, Vec<u8>)> = members.iter().map(|(n, m)| (n.as_str(), encode(m))).collect();
        let refs: Vec<(&str, &[u8])> = encoded.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        write(name, &archive(&refs))?;
    }
    Ok(["-o", OUTPUT_NAME].iter().map(|s| s.to_string()).chain(strip_output_args(&case.args)).collect())
}
