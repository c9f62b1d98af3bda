//! Writes the seed inputs of the fuzz targets into fuzz/corpus/TARGET/
//! (files named `seed-*`, kept in git; what libFuzzer adds is not).
//!
//! - `parse_objects`: every object and archive the corpus cases are built
//!   from (corpus/**/case.toml, prepared as `linkcheck conform` prepares
//!   them: C compiled with clang-19, assembly with llvm-mc-19, object models
//!   encoded), each behind the target's header byte 0 (one file, no flags).
//! - `reference_properties`, `diff_linkers`: byte streams that the object-set
//!   generator draws into sets with several files, archive members,
//!   constructors and symbol collisions (a spread, picked by what they
//!   contain, not by hand).
//!
//! Run from the repository root: `cargo run -p refld-tests --bin fuzz_seeds`.

use anyhow::{Context, Result};
use linkcheck::corpus::{find_cases, prepare};
use linkcheck_core::casefile::Case;
use linkcheck_gen::object_set::{NItem, ObjectSet};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn main() -> Result<()> {
    let root = PathBuf::from("fuzz/corpus");
    let n = object_seeds(Path::new("corpus"), &root.join("parse_objects"))?;
    eprintln!("parse_objects: {n} seeds");
    let streams = set_seeds();
    for target in ["reference_properties", "diff_linkers"] {
        let dir = root.join(target);
        clear_seeds(&dir)?;
        for (i, bytes) in streams.iter().enumerate() {
            std::fs::write(dir.join(format!("seed-gen-{i:03}")), bytes)?;
        }
        eprintln!("{target}: {} seeds", streams.len());
    }
    Ok(())
}

/// Removes the old `seed-*` files of `dir` (creating it if needed).
fn clear_seeds(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        if e.file_name().to_string_lossy().starts_with("seed-") {
            std::fs::remove_file(e.path())?;
        }
    }
    Ok(())
}

fn object_seeds(corpus: &Path, out: &Path) -> Result<usize> {
    clear_seeds(out)?;
    let mut written = BTreeSet::new();
    for dir in find_cases(&[corpus.to_path_buf()])? {
        let case = Case::load(&dir)?;
        let prepared = prepare(&case)?;
        let tag = dir.strip_prefix(corpus).unwrap_or(&dir).to_string_lossy().replace('/', "-");
        for e in std::fs::read_dir(prepared.path())? {
            let path = e?.path();
            let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
            if !(name.ends_with(".o") || name.ends_with(".a")) {
                continue;
            }
            let bytes = std::fs::read(&path)?;
            // One seed per distinct content (many cases share objects).
            if !written.insert(bytes.clone()) {
                continue;
            }
            let mut seed = vec![0u8];
            seed.extend_from_slice(&bytes);
            std::fs::write(out.join(format!("seed-{tag}-{name}")), seed)?;
        }
    }
    Ok(written.len())
}

/// Up to 64 streams, each the first of the family to show a feature
/// combination not seen yet: (files, has members, has constructors, has a
/// weak definition, name defined twice, policy, --export-all).
fn set_seeds() -> Vec<Vec<u8>> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for i in 0..20_000u32 {
        let bytes = linkcheck_gen::object_set::fixed_stream(i);
        let set = ObjectSet::from_bytes(&bytes);
        let files = set.files();
        let mut defined = BTreeSet::new();
        let mut twice = false;
        for f in &files {
            for it in &f.items {
                if let NItem::Func { name, .. } = it {
                    twice |= !defined.insert(*name);
                }
            }
        }
        let key = (
            files.len().min(4),
            files.iter().any(|f| f.member),
            files.iter().any(|f| f.items.iter().any(|i| matches!(i, NItem::Ctor { .. }))),
            files.iter().any(|f| f.items.iter().any(|i| matches!(i, NItem::Func { binding, .. } if binding.is_weak()))),
            twice,
            format!("{:?}", set.policy),
            set.export_all,
        );
        if files.len() >= 2 && seen.insert(key) {
            out.push(bytes);
            if out.len() == 64 {
                break;
            }
        }
    }
    out
}
