//! The text files a link writes besides its output, on request: the
//! `--why-extract` table (WHY-1) and the map file (MAP-1). They are made
//! by the link (`crate::link_with_reports`) and written by the driver.

pub(crate) mod gc_sections;
pub(crate) mod map;
pub(crate) mod why_extract;

/// The side files of one link: what to write where. A path of `-` is
/// standard output.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reports {
    /// Lines for standard output as wasm-ld prints them while it links:
    /// `--trace`, `-y` (TRACE-1, TRACE-2), then `--print-gc-sections`
    /// (TRACE-3); kept when the link fails after them.
    pub trace: Vec<String>,
    /// `--why-extract=PATH` and its text, once the link got past symbol
    /// resolution and the entry check (WHY-1), whether or not it then
    /// succeeds.
    pub why_extract: Option<(String, String)>,
    /// `-Map=PATH` / `-M` (PATH `-`) and the map's text, once the output
    /// is written (MAP-1).
    pub map: Option<(String, String)>,
}

impl Reports {
    /// The files in the order wasm-ld writes them: the option naming the
    /// file (for wasm-ld's `cannot open OPTION file PATH` error), the path
    /// and the text.
    pub fn files(&self) -> Vec<SideFile> {
        let trace = (!self.trace.is_empty()).then(|| SideFile { option: "trace", path: "-".into(), text: self.trace.iter().map(|l| format!("{l}\n")).collect() });
        let why = self.why_extract.iter().map(|(p, t)| SideFile { option: "--why-extract=", path: p.clone(), text: t.clone() });
        let map = self.map.iter().map(|(p, t)| SideFile { option: "map", path: p.clone(), text: t.clone() });
        trace.into_iter().chain(why).chain(map).collect()
    }
}

/// One side file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SideFile {
    /// What wasm-ld's error calls the file (`--why-extract=`, `map`).
    pub option: &'static str,
    /// The path as given; `-` is standard output.
    pub path: String,
    pub text: String,
}

impl SideFile {
    /// wasm-ld's error for a file it cannot write: `cannot open
    /// --why-extract= file PATH: REASON`, `cannot open map file PATH:
    /// REASON` (MAP-1, measured).
    pub fn open_error(&self, reason: &str) -> String {
        format!("cannot open {} file {}: {reason}", self.option, self.path)
    }
}
