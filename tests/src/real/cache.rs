//! Cached compilation: an object (or archive) is rebuilt only when the hash of
//! what made it changed — the command line, the source's bytes, the
//! program's own folder (its headers) and the compiler binary's size and
//! time. Outputs are written under a temporary name and renamed, so tests
//! running side by side (threads or processes) never see half a file.

use anyhow::{bail, Context, Result};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One translation unit to compile to one object.
#[derive(Debug, Clone)]
pub struct Unit {
    /// The C or C++ source file.
    pub source: PathBuf,
    /// Where the object goes.
    pub object: PathBuf,
    /// The compiler and every argument except `-c SOURCE -o OBJECT`.
    pub command: Vec<String>,
}

/// FNV-1a, 64 bits: stable across Rust versions (unlike `DefaultHasher`),
/// which matters for a cache kept in `target/` between toolchain updates.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    /// Adds bytes, preceded by their length so that concatenations differ.
    pub fn add(&mut self, bytes: &[u8]) -> &mut Self {
        for b in (bytes.len() as u64).to_le_bytes().iter().chain(bytes) {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self
    }
    /// The hash as 16 hex digits.
    pub fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

/// Hash of every file under `dir` (paths and contents, in sorted order).
///
/// Errors: a file or folder could not be read.
pub fn digest_dir(dir: &Path) -> Result<String> {
    let mut files = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))? {
            let path = entry
                .with_context(|| format!("reading {}", d.display()))?
                .path();
            if path.is_dir() {
                todo.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut h = Fnv::default();
    for f in files {
        h.add(
            f.strip_prefix(dir)
                .unwrap_or(&f)
                .to_string_lossy()
                .as_bytes(),
        );
        h.add(&fs::read(&f).with_context(|| format!("reading {}", f.display()))?);
    }
    Ok(h.hex())
}

/// Size and modification time of a tool binary, for cache keys.
pub(crate) fn binary_stamp(path: &Path) -> String {
    match fs::metadata(path) {
        Ok(m) => format!("{} {:?}", m.len(), m.modified().ok()),
        Err(_) => "missing".to_string(),
    }
}

/// The cache key of one unit. `extra` is mixed in (the program folder's
/// digest, so a changed header rebuilds its users).
fn unit_key(unit: &Unit, extra: &str) -> Result<String> {
    let mut h = Fnv::default();
    for arg in &unit.command {
        h.add(arg.as_bytes());
    }
    h.add(unit.source.to_string_lossy().as_bytes());
    h.add(&fs::read(&unit.source).with_context(|| format!("reading {}", unit.source.display()))?);
    h.add(binary_stamp(Path::new(&unit.command[0])).as_bytes());
    h.add(extra.as_bytes());
    Ok(h.hex())
}

fn key_path(output: &Path) -> PathBuf {
    let mut name = output.as_os_str().to_owned();
    name.push(".key");
    PathBuf::from(name)
}

/// True when `output` exists and was made with `key`.
fn up_to_date(output: &Path, key: &str) -> bool {
    output.is_file() && fs::read_to_string(key_path(output)).is_ok_and(|k| k == key)
}

/// A fresh temporary name beside `path` (unique per process and call).
fn temp_beside(path: &Path) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".tmp-{}-{n}", std::process::id()));
    PathBuf::from(name)
}

/// Moves `tmp` to `output` and records `key` beside it.
fn commit(tmp: &Path, output: &Path, key: &str) -> Result<()> {
    fs::rename(tmp, output)
        .with_context(|| format!("renaming {} to {}", tmp.display(), output.display()))?;
    let key_tmp = temp_beside(&key_path(output));
    fs::write(&key_tmp, key).with_context(|| format!("writing {}", key_tmp.display()))?;
    fs::rename(&key_tmp, key_path(output))
        .with_context(|| format!("renaming {}", key_tmp.display()))
}

/// Runs `cmd`; errors carry the command line and its stderr.
fn run(cmd: &mut Command) -> Result<()> {
    let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    if !out.status.success() {
        bail!(
            "{cmd:?} failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

/// Compiles the units whose objects are stale, on as many threads as the
/// machine has cores. Returns the keys of all units (in order), for the
/// archives built from them.
///
/// Errors: the first failing compile, with its command line and stderr.
pub fn compile_all(units: &[Unit], extra: &str) -> Result<Vec<String>> {
    let keys = units
        .iter()
        .map(|u| unit_key(u, extra))
        .collect::<Result<Vec<_>>>()?;
    let stale: Vec<(&Unit, &String)> = units
        .iter()
        .zip(&keys)
        .filter(|(u, k)| !up_to_date(&u.object, k))
        .collect();
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(stale.len());
    let next = AtomicUsize::new(0);
    let results: Vec<Result<()>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| -> Result<()> {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some((unit, key)) = stale.get(i) else {
                            return Ok(());
                        };
                        compile_one(unit, key)?;
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| bail!("compile thread panicked"))
            })
            .collect()
    });
    results.into_iter().collect::<Result<()>>()?;
    Ok(keys)
}

fn compile_one(unit: &Unit, key: &str) -> Result<()> {
    if let Some(dir) = unit.object.parent() {
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let tmp = temp_beside(&unit.object);
    let mut cmd = Command::new(&unit.command[0]);
    cmd.args(&unit.command[1..])
        .arg("-c")
        .arg(&unit.source)
        .arg("-o")
        .arg(&tmp);
    let result = run(&mut cmd).and_then(|()| commit(&tmp, &unit.object, key));
    let _ = fs::remove_file(&tmp); // gone after a successful rename anyway
    result
}

/// Builds the archive `output` (`llvm-ar rcs`) from `members` unless it is
/// up to date with their keys.
///
/// Errors: llvm-ar failed (command line and stderr in the message).
pub fn archive(
    llvm_ar: &Path,
    output: &Path,
    members: &[PathBuf],
    member_keys: &[String],
) -> Result<()> {
    let mut h = Fnv::default();
    h.add(binary_stamp(llvm_ar).as_bytes());
    for (m, k) in members.iter().zip(member_keys) {
        h.add(m.to_string_lossy().as_bytes()).add(k.as_bytes());
    }
    let key = h.hex();
    if up_to_date(output, &key) {
        return Ok(());
    }
    if let Some(dir) = output.parent() {
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    // A fresh name: `rcs` on an existing archive would update it in place.
    let tmp = temp_beside(output);
    let result = run(Command::new(llvm_ar).arg("rcs").arg(&tmp).args(members))
        .and_then(|()| commit(&tmp, output, &key));
    let _ = fs::remove_file(&tmp);
    result
}
