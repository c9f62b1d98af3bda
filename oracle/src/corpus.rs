//! The corpus: case folders (`case.toml` and the inputs it links, the
//! format of `linkcheck_core::casefile`, documented in `corpus/README.md`)
//! under a set of roots ([`find_cases`]), and their inputs built in a
//! temporary directory ([`prepare::prepare`]).

pub mod prepare;

use linkcheck_core::casefile::{CorpusError, CASE_FILE};
use std::path::{Path, PathBuf};

pub use prepare::{prepare, Prepared};

/// Every case folder under `roots`, sorted by path. A root is a case folder
/// itself, a `case.toml` file, or a folder searched recursively; a folder
/// holding `case.toml` is a case and is not searched further.
pub fn find_cases(roots: &[PathBuf]) -> Result<Vec<PathBuf>, CorpusError> {
    let mut found = Vec::new();
    for root in roots {
        if root.file_name().is_some_and(|n| n == CASE_FILE) && root.is_file() {
            found.push(root.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf));
            continue;
        }
        if !root.is_dir() {
            return Err(CorpusError::new(root, "no such folder"));
        }
        walk(root, &mut found)?;
    }
    found.sort();
    found.dedup();
    Ok(found)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), CorpusError> {
    if dir.join(CASE_FILE).is_file() {
        found.push(dir.to_path_buf());
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| CorpusError::new(dir, format!("cannot list: {e}")))?;
    let mut subdirs = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| CorpusError::new(dir, format!("cannot list: {e}")))?;
        if entry.path().is_dir() {
            subdirs.push(entry.path());
        }
    }
    subdirs.sort();
    for sub in subdirs {
        walk(&sub, found)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cases_sorted_without_descending_into_cases() {
        let dir = tempfile::tempdir().unwrap();
        for case in ["b/two", "a/one", "b/two/inner", "c"] {
            std::fs::create_dir_all(dir.path().join(case)).unwrap();
            std::fs::write(dir.path().join(case).join(CASE_FILE), "").unwrap();
        }
        std::fs::create_dir_all(dir.path().join("empty")).unwrap();
        let found = find_cases(&[dir.path().to_path_buf()]).unwrap();
        let rel: Vec<_> = found.iter().map(|p| p.strip_prefix(dir.path()).unwrap().to_path_buf()).collect();
        assert_eq!(rel, [PathBuf::from("a/one"), PathBuf::from("b/two"), PathBuf::from("c")]);
        assert!(find_cases(&[dir.path().join("missing")]).is_err());
    }
}
