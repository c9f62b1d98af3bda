//! Where input bytes come from: the file system for the CLI, memory for
//! tests and fuzzers. `link` itself touches no file system.

use rustc_hash::FxHashMap as HashMap;
use std::path::PathBuf;

/// A source of input files, addressed by the paths of the command line.
pub trait InputProvider {
    /// The bytes of `path`. Errors: a message saying why it cannot be read.
    fn read(&self, path: &str) -> Result<Vec<u8>, String>;
    /// True when `path` names a readable file (for `-l` search).
    fn exists(&self, path: &str) -> bool;
}

/// Files in memory, by path.
#[derive(Debug, Clone, Default)]
pub struct MemoryInputs {
    pub files: HashMap<String, Vec<u8>>,
}

impl MemoryInputs {
    /// Adds (or replaces) file `path`.
    pub fn add(&mut self, path: impl Into<String>, bytes: Vec<u8>) -> &mut Self {
        self.files.insert(path.into(), bytes);
        self
    }
}

impl InputProvider for MemoryInputs {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        self.files.get(path).cloned().ok_or_else(|| "no such file".to_string())
    }
    fn exists(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }
}

/// The file system, relative paths taken against `cwd`.
#[derive(Debug, Clone)]
pub struct FileSystem {
    pub cwd: PathBuf,
}

impl FileSystem {
    fn path(&self, path: &str) -> PathBuf {
        self.cwd.join(path)
    }
}

impl InputProvider for FileSystem {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        std::fs::read(self.path(path)).map_err(|e| e.to_string())
    }
    fn exists(&self, path: &str) -> bool {
        self.path(path).is_file()
    }
}
