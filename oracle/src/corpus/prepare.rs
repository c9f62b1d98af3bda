//! Building a case's inputs in a fresh temporary directory.
//!
//! Every regular file of the case folder is an input, by extension:
//! - `NAME.c` → `NAME.o`: `clang-19 --target=wasm32 -O1 -c` (plus the case's
//!   `cflags`); no libc, plain wasm32.
//! - `NAME.s` → `NAME.o`: `llvm-mc-19 -triple=wasm32-unknown-unknown
//!   -filetype=obj`.
//! - `NAME.json` → `NAME.o`: an [`ObjectModel`] encoded with
//!   [`linkcheck_object::encode()`].
//! - `case.toml` and `*.md` are not inputs; any other file (`NAME.o`,
//!   `NAME.a`, response files) is copied as is.
//!
//! Then each `[[archive]]` is written (GNU format with a symbol index,
//! [`linkcheck_object::archive()`]) from prepared files. The case folder itself is
//! never written to.

use linkcheck_core::casefile::{Case, CorpusError, CASE_FILE};
use linkcheck_object::{archive, encode, ObjectModel};
use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

/// The C compiler: program name and the Debian package that provides it.
pub const CLANG: (&str, &str) = ("clang-19", "clang-19");
/// The assembler: program name and the Debian package that provides it.
pub const LLVM_MC: (&str, &str) = ("llvm-mc-19", "llvm-19");

/// A case's inputs, ready to link: run the link with `dir` as the current
/// directory. The directory is removed when this is dropped.
#[derive(Debug)]
pub struct Prepared {
    /// The temporary directory holding the prepared inputs.
    pub dir: TempDir,
    /// The case's wasm-ld arguments.
    pub args: Vec<String>,
}

impl Prepared {
    /// The path of the link directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// Builds every input of `case` and its archives in a new temporary
/// directory. Errors name the input at fault and, for a failed compile, give
/// the tool's command line and messages; a missing tool names the Debian
/// package that provides it.
pub fn prepare(case: &Case) -> Result<Prepared, CorpusError> {
    let dir = tempfile::Builder::new()
        .prefix("linkcheck-case-")
        .tempdir()
        .map_err(|e| CorpusError::new(&case.dir, format!("cannot create a temporary directory: {e}")))?;
    // Output name -> the source it came from, to refuse two sources of one name.
    let mut made: BTreeMap<String, PathBuf> = BTreeMap::new();
    for source in inputs(&case.dir)? {
        let out_name = output_name(&source);
        if let Some(first) = made.get(&out_name) {
            return Err(CorpusError::new(&source, format!("makes `{out_name}`, which {} makes too", first.display())));
        }
        let out = dir.path().join(&out_name);
        build(case, &source, &out)?;
        made.insert(out_name, source);
    }
    for a in &case.archives {
        let toml = case.dir.join(CASE_FILE);
        if made.contains_key(&a.name) {
            return Err(CorpusError::new(toml, format!("archive `{}` has the name of an input", a.name)));
        }
        let mut members = Vec::new();
        for m in &a.members {
            let bytes = std::fs::read(dir.path().join(m)).map_err(|_| {
                CorpusError::new(&toml, format!("archive `{}`: member `{m}` is not a prepared input", a.name))
            })?;
            members.push((m.as_str(), bytes));
        }
        let refs: Vec<(&str, &[u8])> = members.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        std::fs::write(dir.path().join(&a.name), archive(&refs))
            .map_err(|e| CorpusError::new(&toml, format!("cannot write archive `{}`: {e}", a.name)))?;
        made.insert(a.name.clone(), toml);
    }
    Ok(Prepared { dir, args: case.args.clone() })
}

/// The input files of a case folder, sorted.
fn inputs(dir: &Path) -> Result<Vec<PathBuf>, CorpusError> {
    let entries = std::fs::read_dir(dir).map_err(|e| CorpusError::new(dir, format!("cannot list: {e}")))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| CorpusError::new(dir, format!("cannot list: {e}")))?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if path.is_file() && name != CASE_FILE && !name.ends_with(".md") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// `NAME.o` for `NAME.c`/`.s`/`.json`, the file name itself otherwise.
fn output_name(source: &Path) -> String {
    let name = source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    match source.extension().and_then(|e| e.to_str()) {
        Some("c" | "s" | "json") => {
            format!("{}.o", source.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default())
        }
        _ => name,
    }
}

fn build(case: &Case, source: &Path, out: &Path) -> Result<(), CorpusError> {
    match source.extension().and_then(|e| e.to_str()) {
        Some("c") => {
            let mut args: Vec<String> = ["--target=wasm32", "-O1", "-c"].map(String::from).to_vec();
            args.extend(case.cflags.iter().cloned());
            run_tool(CLANG, &args, source, out)
        }
        Some("s") => {
            let mut args = ["-triple=wasm32-unknown-unknown", "-filetype=obj"].map(String::from).to_vec();
            args.extend(case.asflags.iter().cloned());
            run_tool(LLVM_MC, &args, source, out)
        }
        Some("json") => {
            let text =
                std::fs::read_to_string(source).map_err(|e| CorpusError::new(source, format!("cannot read: {e}")))?;
            let model: ObjectModel = serde_json::from_str(&text)
                .map_err(|e| CorpusError::new(source, format!("not an objgen ObjectModel: {e}")))?;
            std::fs::write(out, encode(&model)).map_err(|e| CorpusError::new(out, format!("cannot write: {e}")))
        }
        _ => std::fs::copy(source, out).map(drop).map_err(|e| CorpusError::new(source, format!("cannot copy: {e}"))),
    }
}

/// Runs `PROGRAM ARGS... SOURCE -o OUT`.
fn run_tool((program, package): (&str, &str), args: &[String], source: &Path, out: &Path) -> Result<(), CorpusError> {
    let mut command = Command::new(program);
    command.args(args).arg(source).arg("-o").arg(out);
    let output = command.output().map_err(|e| {
        let message = if e.kind() == ErrorKind::NotFound {
            format!("{program} not found in PATH: install the Debian package {package} (apt-get install {package})")
        } else {
            format!("cannot run {program}: {e}")
        };
        CorpusError::new(source, message)
    })?;
    if !output.status.success() {
        let line = std::iter::once(program.to_string())
            .chain(args.iter().cloned())
            .chain([source.display().to_string(), "-o".into(), out.display().to_string()])
            .collect::<Vec<_>>()
            .join(" ");
        return Err(CorpusError::new(
            source,
            format!(
                "{program} failed ({}): {line}\n{}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim_end()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names() {
        assert_eq!(output_name(Path::new("x/main.c")), "main.o");
        assert_eq!(output_name(Path::new("x/start.s")), "start.o");
        assert_eq!(output_name(Path::new("x/obj.json")), "obj.o");
        assert_eq!(output_name(Path::new("x/pre.o")), "pre.o");
        assert_eq!(output_name(Path::new("x/args.rsp")), "args.rsp");
    }

    #[test]
    fn a_missing_tool_names_its_package() {
        let err = run_tool(("no-such-clang-19", "clang-19"), &[], Path::new("a.c"), Path::new("a.o")).unwrap_err();
        assert!(err.to_string().contains("install the Debian package clang-19"), "{err}");
    }

    #[test]
    fn json_inputs_and_archives_are_built_in_a_temporary_directory() {
        let dir = tempfile::tempdir().unwrap();
        let model = ObjectModel::new();
        std::fs::write(dir.path().join("m.json"), serde_json::to_string(&model).unwrap()).unwrap();
        std::fs::write(dir.path().join("notes.md"), "not an input").unwrap();
        let text = "description = \"d\"\nargs = [\"lib.a\"]\nexpect = \"link\"\n[[archive]]\nname = \"lib.a\"\nmembers = [\"m.o\"]\n";
        let case = Case::parse(dir.path(), text).unwrap();
        let prepared = prepare(&case).unwrap();
        assert_eq!(std::fs::read(prepared.path().join("m.o")).unwrap(), encode(&model));
        assert!(std::fs::read(prepared.path().join("lib.a")).unwrap().starts_with(b"!<arch>\n"));
        assert!(!prepared.path().join("notes.md").exists());
        assert!(!dir.path().join("m.o").exists(), "nothing is written into the case folder");

        let bad = Case::parse(dir.path(), &text.replace("[\"m.o\"]", "[\"x.o\"]")).unwrap();
        assert!(prepare(&bad).unwrap_err().to_string().contains("member `x.o` is not a prepared input"));
    }
}
