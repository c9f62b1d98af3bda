//! `rust_std`: a Rust program with std (tests/programs/rust_std/main.rs)
//! built by Debian's rustc 1.63 for wasm32-wasi, with the wasm-ld command
//! line rustc itself uses.
//!
//! rustc compiles and links the program once with its own linker (Debian's
//! `rust-lld`, which is wasm-ld 14) and `-C save-temps`, so its objects (the
//! crate's and the allocator shim's) stay beside the output, and
//! `--print link-args` prints the line it ran. That line, less what is not
//! wasm-ld's (`rust-lld -flavor wasm`), less `-o`, and less
//! `--fatal-warnings`, is the program's link line. `--fatal-warnings` goes
//! because std's rlibs hold a `lib.rmeta` member that is no wasm object:
//! wasm-ld 19 and 22 (and refld, as they do) warn about each such member,
//! which the flag turns into errors; wasm-ld 14 and 16 do not warn, which
//! is why rustc 1.63's own link succeeds. reference/tests/rustc_linker.rs
//! holds refld to wasm-ld 22's failure on the line with the flag.

use super::cache::{digest_dir, Fnv};
use anyhow::{bail, Context, Result};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Debian's rustc 1.63 (package `rustc`), called by its path: rustup's
/// rustc comes first on PATH and has no wasm32-wasi std.
pub const DEBIAN_RUSTC: &str = "/usr/bin/rustc";
/// A file of Debian's wasm32-wasi std (package `libstd-rust-dev-wasm32`).
pub const WASI_STD_CRT1: &str = "/usr/lib/rustlib/wasm32-wasi/lib/self-contained/crt1-command.o";

/// rustc's flags: optimized, one codegen unit (one object for the crate,
/// one for the allocator shim), edition 2021, objects kept, the link line
/// printed.
const FLAGS: [&str; 10] = [
    "--target",
    "wasm32-wasi",
    "-O",
    "-C",
    "codegen-units=1",
    "--edition",
    "2021",
    "-C",
    "save-temps",
    "--print=link-args",
];

/// The arguments rustc's link line has that are not wasm-ld's own
/// (rust-lld's program name and flavour selector).
const DRIVER_ARGS: usize = 3;

/// Checks Debian's rustc and its wasm32-wasi std are installed.
///
/// Errors: either is missing (the message names the packages and
/// scripts/setup.sh).
pub fn check_tools() -> Result<()> {
    let mut missing = Vec::new();
    if !Path::new(DEBIAN_RUSTC).is_file() {
        missing.push(format!("{DEBIAN_RUSTC} (Debian package `rustc`)"));
    }
    if !Path::new(WASI_STD_CRT1).is_file() {
        missing.push(format!("{WASI_STD_CRT1} (Debian package `libstd-rust-dev-wasm32`)"));
    }
    if !missing.is_empty() {
        bail!(
            "the rust_std program needs Debian's rustc 1.63 and its wasm32-wasi std: {} missing; \
             run `bash scripts/setup.sh` as root, or `apt-get install -y rustc libstd-rust-dev-wasm32`",
            missing.join(", ")
        );
    }
    Ok(())
}

/// Builds the program from `own` (tests/programs/rust_std) into `dir`
/// unless it is up to date, and returns its link arguments without `-o`.
///
/// Errors: the tools are missing ([`check_tools`]), rustc failed (its
/// command line and stderr in the message), or its printed link line could
/// not be read.
pub fn build(own: &Path, dir: &Path) -> Result<Vec<String>> {
    check_tools()?;
    let source = own.join("main.rs");
    let mut h = Fnv::default();
    for flag in FLAGS {
        h.add(flag.as_bytes());
    }
    h.add(digest_dir(own)?.as_bytes());
    let stamp = fs::metadata(DEBIAN_RUSTC).map(|m| format!("{} {:?}", m.len(), m.modified().ok()))?;
    h.add(stamp.as_bytes());
    let key = h.hex();
    let args_file = dir.join("link-args.txt");
    let key_file = dir.join("link-args.key");
    if fs::read_to_string(&key_file).is_ok_and(|k| k == key) {
        let text = fs::read_to_string(&args_file).with_context(|| format!("reading {}", args_file.display()))?;
        let args: Vec<String> = text.lines().map(str::to_string).collect();
        if args.iter().all(|a| !a.ends_with(".o") || Path::new(a).is_file()) {
            return Ok(args);
        }
    }
    // A fresh folder: save-temps leaves files named by rustc's hashes.
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut cmd = Command::new(DEBIAN_RUSTC);
    cmd.args(FLAGS).arg(&source).arg("-o").arg(dir.join("rustc.wasm")).current_dir(dir);
    let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    if !out.status.success() {
        bail!("{cmd:?} failed ({}):\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().rev().find(|l| l.starts_with('"')).with_context(|| format!("{cmd:?} printed no link line:\n{stdout}"))?;
    let args = wasm_ld_args(&parse_quoted(line)?)?;
    fs::write(&args_file, args.join("\n")).with_context(|| format!("writing {}", args_file.display()))?;
    fs::write(&key_file, key).with_context(|| format!("writing {}", key_file.display()))?;
    Ok(args)
}

/// Splits rustc's printed link line (`"a" "b" ...`, each argument in
/// double quotes with `\"` and `\\` escaped) into its arguments.
///
/// Errors: text outside quotes, or an unterminated argument.
pub fn parse_quoted(line: &str) -> Result<Vec<String>> {
    let mut args = Vec::new();
    let mut chars = line.trim().chars();
    loop {
        match chars.next() {
            None => return Ok(args),
            Some(' ') => continue,
            Some('"') => {
                let mut arg = String::new();
                loop {
                    match chars.next() {
                        None => bail!("unterminated argument in rustc's link line: {line}"),
                        Some('"') => break,
                        Some('\\') => arg.push(chars.next().context("a `\\` ends rustc's link line")?),
                        Some(c) => arg.push(c),
                    }
                }
                args.push(arg);
            }
            Some(c) => bail!("unexpected `{c}` outside quotes in rustc's link line: {line}"),
        }
    }
}

/// rustc's link line as wasm-ld's arguments: without `rust-lld -flavor
/// wasm`, `-o OUT` and `--fatal-warnings` (see the module comment).
///
/// Errors: the line does not start with rustc's driver arguments.
pub fn wasm_ld_args(line: &[String]) -> Result<Vec<String>> {
    match line {
        [_, flavor, wasm, ..] if flavor == "-flavor" && wasm == "wasm" => {}
        _ => bail!("rustc's link line does not start with `rust-lld -flavor wasm`: {line:?}"),
    }
    let mut args = Vec::new();
    let mut it = line[DRIVER_ARGS..].iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-o" => {
                it.next();
            }
            "--fatal-warnings" => {}
            _ => args.push(a.clone()),
        }
    }
    Ok(args)
}

/// The objects rustc made for the program (absolute paths on its line).
pub fn own_objects(args: &[String]) -> Vec<PathBuf> {
    args.iter().filter(|a| a.ends_with(".rcgu.o")).map(PathBuf::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_lines_split_into_arguments() {
        let line = r#""rust-lld" "-flavor" "wasm" "--export" "main" "a \"b\".o" "-o" "out.wasm" "--fatal-warnings" "-O2""#;
        let args = parse_quoted(line).unwrap();
        assert_eq!(args[5], "a \"b\".o");
        assert_eq!(wasm_ld_args(&args).unwrap(), ["--export", "main", "a \"b\".o", "-O2"]);
        assert!(parse_quoted(r#""open"#).is_err());
        assert!(wasm_ld_args(&["wasm-ld".to_string(), "x.o".to_string()]).is_err());
    }
}
