//! wasm-ld's command line in `zig build-exe -fno-lld` options.
//!
//! Each wasm-ld option the adapter accepts has a Zig option with the same
//! effect on the output, or none is needed (Zig's default is wasm-ld's, or
//! the option only changes how diagnostics look); every other option makes
//! the link [`Translation::Unsupported`], naming it. Measured with Zig
//! 0.17.1 against wasm-ld 22:
//!
//! | wasm-ld | zig build-exe |
//! |---|---|
//! | `--no-entry` | `-fno-entry` |
//! | `--entry X`, `-e X` | `-fentry=X` |
//! | `--export X` | `--export=X` |
//! | `--allow-undefined` | `--import-symbols` |
//! | `--unresolved-symbols=report-all`, `--error-unresolved-symbols` | (Zig's default) |
//! | `--export-dynamic` | `-rdynamic` |
//! | `--gc-sections`, `--no-gc-sections` | the same |
//! | `--import-memory`, `--export-memory`, `--import-table`, `--export-table`, `--growable-table`, `--shared-memory` | the same (no `=NAME` forms) |
//! | `--initial-memory=N`, `--max-memory=N`, `--global-base=N` | the same |
//! | `-z stack-size=N` | `--stack N` (wasm-ld's default 65536 is passed when absent: Zig's is 1 MiB) |
//! | `-u X`, `--undefined X` | `--force_undefined X` |
//! | `--build-id[=fast,sha1,tree,uuid,0xHEX,none]` | `--build-id=STYLE` (`tree` is `sha1`) |
//! | `-m wasm32`, `--stack-first` | (Zig's default) |
//! | `-m wasm64` | target `wasm64-freestanding` |
//! | `--demangle`, `--no-demangle`, `--color-diagnostics[=WHEN]`, `--no-color-diagnostics` | (diagnostics only) |
//! | `-l NAME`, `-L DIR` | inputs: the adapter finds `libNAME.a` in the `-L` folders as wasm-ld does |
//! | `-o FILE` | `-femit-bin=FILE` (the harness's own output path) |
//!
//! Inputs (`.o` objects and `.a` archives) keep their order.

use crate::cmdline;

/// One input of the link, in command-line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file named on the command line (relative to the link's folder).
    File(String),
    /// `-l NAME`: `libNAME.a` in the `-L` folders.
    Library(String),
}

/// A command line Zig can take.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ZigLink {
    /// Zig options, in order (no inputs, target, CPU or output).
    pub options: Vec<String>,
    /// The inputs, in order.
    pub inputs: Vec<Input>,
    /// `-L` folders, in order (wasm-ld searches all of them for every
    /// `-l`, wherever they stand).
    pub library_paths: Vec<String>,
    /// `-m wasm64`.
    pub wasm64: bool,
}

/// What the adapter makes of a wasm-ld command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Translation {
    /// Zig can link it.
    Zig(ZigLink),
    /// Zig has no counterpart for an option: the reason names it.
    Unsupported(String),
}

/// wasm-ld's default stack size: 64 KiB (`-z stack-size`).
pub const WASM_LD_STACK_SIZE: u64 = 65536;

/// Options taking a value, by their name without dashes: `-e X`,
/// `--entry X`, `--entry=X`.
const WITH_VALUE: [&str; 12] = [
    "e",
    "entry",
    "export",
    "u",
    "undefined",
    "z",
    "m",
    "l",
    "library",
    "L",
    "library-path",
    "unresolved-symbols",
];

/// Translates wasm-ld arguments (without argv[0]; `-o` is left out: the
/// caller names the output).
pub fn translate(args: &[String]) -> Translation {
    let args = cmdline::strip_output_args(args);
    let mut link = ZigLink::default();
    let mut stack = None;
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg.starts_with('@') {
            return unsupported(arg, "response files are not read by the adapter");
        }
        if !arg.starts_with('-') || arg == "-" {
            link.inputs.push(Input::File(arg.clone()));
            continue;
        }
        let (name, joined) = split_option(arg);
        let value = if let Some(v) = joined {
            Some(v)
        } else if WITH_VALUE.contains(&name.as_str()) {
            match args.get(i) {
                Some(v) => {
                    i += 1;
                    Some(v.clone())
                }
                None => return unsupported(arg, "the option lacks its value"),
            }
        } else {
            None
        };
        match (name.as_str(), value) {
            ("no-entry", None) => link.options.push("-fno-entry".into()),
            ("e" | "entry", Some(v)) => link.options.push(format!("-fentry={v}")),
            ("export", Some(v)) => link.options.push(format!("--export={v}")),
            ("allow-undefined", None) => link.options.push("--import-symbols".into()),
            ("unresolved-symbols", Some(v)) if v == "report-all" => {}
            ("error-unresolved-symbols", None) => {}
            ("export-dynamic", None) => link.options.push("-rdynamic".into()),
            ("no-export-dynamic", None) => {}
            ("gc-sections" | "no-gc-sections", None) => link.options.push(format!("--{name}")),
            (
                "import-memory" | "export-memory" | "import-table" | "export-table" | "growable-table"
                | "shared-memory",
                None,
            ) => link.options.push(format!("--{name}")),
            ("initial-memory" | "max-memory" | "global-base", Some(v)) => link.options.push(format!("--{name}={v}")),
            ("z", Some(v)) => match v.strip_prefix("stack-size=") {
                Some(size) => stack = Some(size.to_string()),
                None => return unsupported(&format!("-z {v}"), "Zig takes no such -z keyword for wasm"),
            },
            ("u" | "undefined", Some(v)) => {
                link.options.push("--force_undefined".into());
                link.options.push(v);
            }
            ("build-id", v) => match v.as_deref() {
                None | Some("fast") => link.options.push("--build-id=fast".into()),
                Some("none") => {}
                Some("sha1" | "tree") => link.options.push("--build-id=sha1".into()),
                Some(s) if s == "uuid" || s.starts_with("0x") => link.options.push(format!("--build-id={s}")),
                Some(s) => return unsupported(&format!("--build-id={s}"), "unknown build-id style"),
            },
            ("m", Some(v)) if v == "wasm32" => {}
            ("m", Some(v)) if v == "wasm64" => link.wasm64 = true,
            ("stack-first", None) => {}
            ("demangle" | "no-demangle" | "no-color-diagnostics" | "color-diagnostics", None) => {}
            ("color-diagnostics", Some(_)) => {}
            ("l" | "library", Some(v)) => link.inputs.push(Input::Library(v)),
            ("L" | "library-path", Some(v)) => link.library_paths.push(v),
            _ => return unsupported(arg, "no counterpart in zig build-exe -fno-lld"),
        }
    }
    link.options.push("--stack".into());
    link.options.push(stack.unwrap_or_else(|| WASM_LD_STACK_SIZE.to_string()));
    Translation::Zig(link)
}

/// `--name=value` / `-name=value` / `-lNAME` / `-LDIR` / `-zKEYWORD` into
/// the name without dashes and the joined value.
fn split_option(arg: &str) -> (String, Option<String>) {
    let bare = arg.strip_prefix("--").unwrap_or_else(|| &arg[1..]);
    let name = bare.split('=').next().unwrap_or(bare);
    // One-letter options take a joined value without `=` (`-lc`, `-L.`),
    // unless the word is a long option spelled with one dash (`-entry`):
    // wasm-ld's option table prefers the longest match.
    let long = LONG_PREFIXES.iter().any(|p| name.starts_with(p));
    if !arg.starts_with("--") && !long {
        for short in ["l", "L", "e", "u", "z", "m"] {
            if let Some(rest) = bare.strip_prefix(short) {
                if !rest.is_empty() && !rest.starts_with('=') {
                    return (short.to_string(), Some(rest.to_string()));
                }
            }
        }
    }
    match bare.split_once('=') {
        Some((name, value)) => (name.to_string(), Some(value.to_string())),
        None => (bare.to_string(), None),
    }
}

/// Starts of wasm-ld's long options whose first letter is also a
/// one-letter option's (`e`, `l`, `u`, `m`; `L` and `z` have none).
const LONG_PREFIXES: [&str; 15] = [
    "entry", "emit", "error", "end-lib", "export", "experimental", "extra", "library", "lto", "undefined",
    "unresolved", "max", "merge", "mllvm", "map",
];

fn unsupported(option: &str, why: &str) -> Translation {
    Translation::Unsupported(format!("zig: {option}: {why}"))
}
