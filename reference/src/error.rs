//! Input errors: what is wrong with an input file and where.

use std::fmt;

/// A malformed or unsupported input. Displayed as
/// `FILE: SECTION section at offset 0xN: MESSAGE`, where FILE is `x.o` or
/// `lib.a(x.o)` and the offset is in bytes from the start of that file (an
/// archive member's own start).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InputError {
    pub file: String,
    /// The section the error lies in (`code`, `linking`, `reloc.CODE`, ...).
    pub section: Option<String>,
    /// Byte offset from the start of the file.
    pub offset: Option<u64>,
    pub message: String,
}

impl InputError {
    /// An error about the whole file.
    pub fn file(file: &str, message: impl Into<String>) -> Self {
        InputError { file: file.to_string(), section: None, offset: None, message: message.into() }
    }
    /// An error about `section` as a whole (no one byte is at fault).
    pub fn in_section(file: &str, section: &str, message: impl Into<String>) -> Self {
        InputError { file: file.to_string(), section: Some(section.to_string()), offset: None, message: message.into() }
    }
    /// An error inside `section` at byte `offset` of the file.
    pub fn at(file: &str, section: &str, offset: u64, message: impl Into<String>) -> Self {
        InputError {
            file: file.to_string(),
            section: Some(section.to_string()),
            offset: Some(offset),
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.file)?;
        match (&self.section, self.offset) {
            (Some(s), Some(o)) => write!(f, "{s} section at offset {o:#x}: ")?,
            (Some(s), None) => write!(f, "{s} section: ")?,
            (None, Some(o)) => write!(f, "at offset {o:#x}: ")?,
            (None, None) => {}
        }
        f.write_str(&self.message)
    }
}
