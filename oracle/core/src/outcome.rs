//! How a link ended: [`Outcome`], whatever the linker (in-process, a
//! process, an adapter).

/// How a link ended.
///
/// Diagnostics and warnings are rendered `error: MESSAGE` /
/// `warning: MESSAGE` (continuation lines `\n>>> ...`), without the program
/// prefix, so different linkers' texts can be set side by side.
///
/// In JSON: `{"kind": "linked", "size": BYTES, "warnings": [...]}`,
/// `{"kind": "rejected", "diagnostics": [...]}`,
/// `{"kind": "crashed", "status": ..., "stderr": ...}`, `{"kind": "timed_out"}`,
/// `{"kind": "unsupported", "reason": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// An output was written (exit status 0 for a process).
    Linked {
        #[serde(rename = "size", serialize_with = "serialize_len")]
        bytes: Vec<u8>,
        warnings: Vec<String>,
    },
    /// The linker refused the input (exit status 1), with its diagnostics
    /// (warnings included, in order).
    Rejected { diagnostics: Vec<String> },
    /// The linker died: a signal, an exit status other than 0 or 1, exit 0
    /// without an output, a panic of the in-process reference, or a program
    /// that could not be started. `status` says which, `stderr` is what it
    /// printed (or the panic message).
    Crashed { status: String, stderr: String },
    /// The link took longer than the time limit; the process was killed.
    TimedOut,
    /// The linker was not run: its adapter cannot express the command line
    /// in the linker's own options (`reason` names the option, e.g.
    /// `zig: -shared has no counterpart in zig build-exe`). Not compared
    /// with any other linker's outcome: an unsupported option is not a
    /// divergence.
    Unsupported { reason: String },
}

impl Outcome {
    /// `linked`, `rejected`, `crashed`, `timed out` or `unsupported`: what
    /// `outcome` differences compare.
    pub fn kind(&self) -> &'static str {
        match self {
            Outcome::Linked { .. } => "linked",
            Outcome::Rejected { .. } => "rejected",
            Outcome::Crashed { .. } => "crashed",
            Outcome::TimedOut => "timed out",
            Outcome::Unsupported { .. } => "unsupported",
        }
    }

    /// The output bytes of a successful link.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Outcome::Linked { bytes, .. } => Some(bytes),
            _ => None,
        }
    }

    /// The diagnostics of a link that ended with some: a linked outcome's
    /// warnings, a rejected one's diagnostics; `None` for a crash or a
    /// timeout.
    pub fn diagnostics(&self) -> Option<&[String]> {
        match self {
            Outcome::Linked { warnings, .. } => Some(warnings),
            Outcome::Rejected { diagnostics } => Some(diagnostics),
            Outcome::Crashed { .. } | Outcome::TimedOut | Outcome::Unsupported { .. } => None,
        }
    }
}

fn serialize_len<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(bytes.len() as u64)
}
