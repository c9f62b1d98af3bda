//! Rewriting wasm-ld command lines: the oracle decides where outputs go.

use std::path::Path;

/// Removes every output option from wasm-ld arguments: `-o X`, `-oX`,
/// `--output X` and `--output=X` (the spellings `-output`/`--o` with one or
/// two dashes are treated alike). A trailing `-o` without a value is dropped
/// too. Everything else is kept in order.
///
/// Response files (`@file`) are not opened: an `-o` inside one stays, which
/// is harmless when the caller appends its own `-o` afterwards, because
/// wasm-ld takes the last `-o` given.
pub fn strip_output_args(args: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len());
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        match classify(arg) {
            OutputArg::Separate => i += 2,
            OutputArg::Joined => i += 1,
            OutputArg::No => {
                out.push(arg.clone());
                i += 1;
            }
        }
    }
    out
}

/// `strip_output_args(args)` followed by `-o <output>`.
pub fn with_output(args: &[String], output: &Path) -> Vec<String> {
    let mut out = strip_output_args(args);
    out.push("-o".to_string());
    out.push(output.to_string_lossy().into_owned());
    out
}

/// The output path the command line names (the last `-o`), if any.
pub fn output_arg(args: &[String]) -> Option<String> {
    let mut found = None;
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        match classify(arg) {
            OutputArg::Separate => {
                found = args.get(i + 1).cloned();
                i += 2;
            }
            OutputArg::Joined => {
                found = Some(joined_value(arg).to_string());
                i += 1;
            }
            OutputArg::No => i += 1,
        }
    }
    found
}

enum OutputArg {
    /// The value is the next argument.
    Separate,
    /// The value is part of this argument.
    Joined,
    No,
}

fn classify(arg: &str) -> OutputArg {
    match arg {
        "-o" | "--o" | "-output" | "--output" => OutputArg::Separate,
        _ if arg.starts_with("--output=") || arg.starts_with("-output=") => OutputArg::Joined,
        _ if arg.starts_with("-o") && !arg.starts_with("--") && arg.len() > 2 => OutputArg::Joined,
        _ => OutputArg::No,
    }
}

fn joined_value(arg: &str) -> &str {
    arg.strip_prefix("--output=")
        .or_else(|| arg.strip_prefix("-output="))
        .unwrap_or(&arg[2..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn strips_every_spelling() {
        let args = s(&["a.o", "-o", "x.wasm", "-oy.wasm", "--output=z", "--output", "w", "b.o", "--export=f"]);
        assert_eq!(strip_output_args(&args), s(&["a.o", "b.o", "--export=f"]));
        assert_eq!(output_arg(&args).as_deref(), Some("w"));
    }

    #[test]
    fn appends_own_output() {
        let args = s(&["a.o", "-o", "x.wasm", "-O2"]);
        assert_eq!(with_output(&args, Path::new("/t/out.wasm")), s(&["a.o", "-O2", "-o", "/t/out.wasm"]));
        assert_eq!(output_arg(&s(&["-ofoo"])).as_deref(), Some("foo"));
        assert_eq!(output_arg(&s(&["--output=bar"])).as_deref(), Some("bar"));
        assert_eq!(output_arg(&s(&["a.o"])), None);
    }
}
