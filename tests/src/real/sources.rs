//! Where cargo put the real C sources: `tests/sources/Cargo.toml` depends on
//! the crates that carry them, and `cargo metadata` downloads them (without
//! building anything) and names their folders.

use anyhow::{anyhow, bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Folders of the C sources, read in place from cargo's registry cache.
#[derive(Debug, Clone)]
pub struct Sources {
    /// The `lua-5.4.x` folder of `lua-src` (the library's `*.c` and headers).
    pub lua: PathBuf,
    /// The `sqlite3` folder of `libsqlite3-sys` (`sqlite3.c`, `sqlite3.h`).
    pub sqlite: PathBuf,
    /// The `src/zlib` folder of `libz-sys`.
    pub zlib: PathBuf,
}

/// The manifest that names the source crates.
pub fn manifest() -> PathBuf {
    crate::real::tests_dir().join("sources/Cargo.toml")
}

/// Locates (downloading on first use) the source crates. The result is
/// computed once per process.
///
/// Errors: `cargo metadata` failed (no network and an empty cache, a stale
/// `tests/sources/Cargo.lock`) or a crate lacks the expected folder.
pub fn locate() -> Result<Sources> {
    static CACHE: OnceLock<std::result::Result<Sources, String>> = OnceLock::new();
    CACHE
        .get_or_init(|| locate_uncached().map_err(|e| format!("{e:#}")))
        .clone()
        .map_err(|e| anyhow!(e))
}

fn locate_uncached() -> Result<Sources> {
    let manifest = manifest();
    // Cargo sets CARGO for the processes it runs; fall back to PATH.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(&cargo);
    // --locked: the committed Cargo.lock fixes the versions (and so the
    // cache keys of the objects).
    cmd.args([
        "metadata",
        "--format-version",
        "1",
        "--locked",
        "--manifest-path",
    ])
    .arg(&manifest);
    let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    if !out.status.success() {
        bail!("{cmd:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    }
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout)
        .with_context(|| format!("parsing the output of {cmd:?}"))?;
    let package_dir = |name: &str| -> Result<PathBuf> {
        let packages = meta["packages"]
            .as_array()
            .context("cargo metadata: no `packages`")?;
        let pkg = packages
            .iter()
            .find(|p| p["name"] == name)
            .with_context(|| {
                format!(
                    "cargo metadata of {}: no package `{name}`",
                    manifest.display()
                )
            })?;
        let path = pkg["manifest_path"]
            .as_str()
            .context("cargo metadata: no `manifest_path`")?;
        Ok(Path::new(path)
            .parent()
            .context("manifest path without a folder")?
            .to_path_buf())
    };
    let lua_src = package_dir("lua-src")?;
    let sources = Sources {
        lua: lua54_dir(&lua_src)?,
        sqlite: package_dir("libsqlite3-sys")?.join("sqlite3"),
        zlib: package_dir("libz-sys")?.join("src/zlib"),
    };
    for (dir, file) in [
        (&sources.sqlite, "sqlite3.c"),
        (&sources.zlib, "deflate.c"),
        (&sources.lua, "lapi.c"),
    ] {
        if !dir.join(file).is_file() {
            bail!(
                "{} is missing: the source crate's layout changed",
                dir.join(file).display()
            );
        }
    }
    Ok(sources)
}

/// The single `lua-5.4.*` folder of the lua-src crate (it also carries 5.1
/// to 5.5).
fn lua54_dir(crate_dir: &Path) -> Result<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(crate_dir)
        .with_context(|| format!("reading {}", crate_dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("lua-5.4"))
        })
        .collect();
    found.sort();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        _ => bail!(
            "expected exactly one lua-5.4.* folder in {}, found {found:?}",
            crate_dir.display()
        ),
    }
}
