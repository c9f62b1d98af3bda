//! The text files a link writes besides its output, on request: the
//! `--why-extract` table (WHY-1) and the map file (MAP-1). They are made
//! by the link (`crate::link_with_reports`) and written by the driver.

pub(crate) mod why_extract;

/// The side files of one link: what to write where. A path of `-` is
/// standard output.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reports {
    /// `--why-extract=PATH` and its text, once the link got past symbol
    /// resolution and the entry check (WHY-1), whether or not it then
    /// succeeds.
    pub why_extract: Option<(String, String)>,
}

impl Reports {
    /// The files in the order wasm-ld writes them: the option naming the
    /// file (for wasm-ld's `cannot open OPTION file PATH` error), the path
    /// and the text.
    pub fn files(&self) -> Vec<SideFile> {
        let why = self.why_extract.iter().map(|(p, t)| SideFile { option: "--why-extract=", path: p.clone(), text: t.clone() });
        why.collect()
    }
}

/// One side file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SideFile {
    /// The option as wasm-ld's error names it (`--why-extract=`).
    pub option: &'static str,
    /// The path as given; `-` is standard output.
    pub path: String,
    pub text: String,
}
