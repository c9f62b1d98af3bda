//! The real programs through every linker: a matrix (program × linker) and,
//! below it, every divergence with its key, both values and the function or
//! data symbol it lies in.
//!
//! ```text
//! cargo run -p refld-tests --bin real-conform [-- [--json] [--keep DIR] [--program NAME]...
//!     [--all-linkers] [--linker NAME | NAME=CMD]...]
//! ```
//!
//! Linkers: refld (in-process, the one every other is compared with),
//! then `linkcheck conform`'s default ones (rust-lld, wasm-ld-19/22 and
//! Wild 0.10), all required (a missing one is an error naming
//! scripts/setup.sh); `--all-linkers` adds wasm-ld-14/16 and Zig; then each
//! `--linker`: a name `linkcheck linkers` lists (`zig`, `wasm-ld-14`) or
//! `NAME=CMD` for a program with wasm-ld's command line.
//!
//! When Zig is among them, each program that links wasi-libc (sqlite, lua,
//! zlib, multi) gets a second row, `NAME+zig-libc`, in which every linker,
//! refld first, links it compiled against and linked with Zig's own
//! wasi-libc (`refld_tests::real::zig_libc`): Zig cannot read Debian's, so
//! in the plain rows its cell is a refusal. `--program NAME+zig-libc`
//! picks that row alone (and needs Zig among the linkers).
//!
//! Cells: refld's outcome; for the others `agree`, `diverge:FIRST-KEY (+N
//! more)`, `crash`, `timeout` or `unsupported` (an option Zig's adapter
//! cannot map). `--json` prints one JSON object instead.
//! `--keep DIR` writes each linked output to `DIR/ROW.LINKER.wasm` and
//! the link arguments to `DIR/ROW.args` (one per line), for triage.
//! Progress goes to stderr. Exit status 0 when every linker agrees with
//! refld on every row, 1 when some diverge, 2 on errors.

use anyhow::{bail, Context, Result};
use refld_tests::real::{self, conform, Libc};
use std::fmt::Write;
use std::process::ExitCode;

/// Longest value shown in the text details; JSON is never cut.
const VALUE_LIMIT: usize = 300;

/// The usage line, for `--help` and errors.
const USAGE: &str =
    "usage: real-conform [--json] [--keep DIR] [--program NAME[+zig-libc]]... [--all-linkers] [--linker NAME | NAME=CMD]...";

struct Args {
    json: bool,
    programs: Vec<String>,
    linkers: Vec<String>,
    all_linkers: bool,
    keep: Option<std::path::PathBuf>,
}

fn parse_args() -> Result<Args> {
    let mut args = Args { json: false, programs: Vec::new(), linkers: Vec::new(), all_linkers: false, keep: None };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => args.json = true,
            "--program" => args.programs.push(it.next().context("--program needs a NAME")?),
            "--keep" => args.keep = Some(it.next().context("--keep needs a DIR")?.into()),
            "--all-linkers" => args.all_linkers = true,
            "--linker" => args.linkers.push(it.next().context("--linker needs NAME or NAME=CMD")?),
            s if s.starts_with("--linker=") => args.linkers.push(s["--linker=".len()..].to_string()),
            s if s.starts_with("--program=") => args.programs.push(s["--program=".len()..].to_string()),
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => bail!("unknown argument `{other}` ({USAGE})"),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("real-conform: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// The rows to run: each of `programs` (every program when empty) and,
/// when `zig` (Zig is among the linkers), its Zig-libc row after it if it
/// links wasi-libc. `NAME+zig-libc` asks for that row alone.
fn rows(programs: &[String], zig: bool) -> Result<Vec<(&'static str, Libc)>> {
    let asked: Vec<String> =
        if programs.is_empty() { real::NAMES.iter().map(|s| s.to_string()).collect() } else { programs.to_vec() };
    let mut rows = Vec::new();
    for label in &asked {
        let (name, libc) = Libc::parse_label(label);
        let Some(name) = real::NAMES.iter().copied().find(|n| *n == name) else {
            bail!("no real program named `{name}` (known: {:?})", real::NAMES);
        };
        match libc {
            Libc::Zig if !real::ZIG_LIBC_NAMES.contains(&name) => {
                bail!("`{label}`: only {:?} link with Zig's libc", real::ZIG_LIBC_NAMES)
            }
            Libc::Zig if !zig => bail!("`{label}` needs Zig among the linkers (--linker zig or --all-linkers)"),
            Libc::Zig => rows.push((name, Libc::Zig)),
            Libc::Debian => {
                rows.push((name, Libc::Debian));
                if zig && real::ZIG_LIBC_NAMES.contains(&name) {
                    rows.push((name, Libc::Zig));
                }
            }
        }
    }
    Ok(rows)
}

/// True when every linker agrees with refld on every row.
fn run() -> Result<bool> {
    let args = parse_args()?;
    let extra = args
        .linkers
        .iter()
        .map(|s| linkcheck_core::discover::linker_from_arg(s).map_err(anyhow::Error::msg))
        .collect::<Result<Vec<_>>>()?;
    let (linkers, found) = conform::default_linkers(args.all_linkers, extra)?;
    // Versions of every discovered linker chosen, `--linker NAME` included.
    let found: Vec<linkcheck_core::discover::Found> = linkcheck_core::discover::discover()
        .into_iter()
        .filter(|f| found.contains(f) || linkers.iter().any(|l| l.name() == f.name))
        .collect();
    for f in &found {
        eprintln!("real-conform: {:<10} {}", f.name, f.version);
    }
    let wanted = rows(&args.programs, conform::has_zig(&linkers))?;
    let runner = linkcheck_core::Runner::new().map_err(anyhow::Error::msg)?;
    let mut rows = Vec::new();
    for (name, libc) in wanted {
        let label = format!("{name}{}", libc.suffix());
        eprintln!("real-conform: building {label}");
        let program = real::build_with(name, libc)?;
        eprintln!("real-conform: linking {label} with {} linkers, running and comparing", linkers.len());
        let report = conform::check_program(&program, &linkers, &runner);
        if let Some(dir) = &args.keep {
            keep(dir, &program, &report)?;
        }
        rows.push((label, report));
    }
    let linker_names: Vec<String> = linkers.iter().map(|l| l.name().to_string()).collect();
    if args.json {
        println!("{}", render_json(&linker_names, &found, &rows));
    } else {
        print!("{}", render_text(&linker_names, &rows));
    }
    Ok(rows.iter().all(|(_, r)| r.agree))
}

fn render_text(linkers: &[String], rows: &[(String, linkcheck_core::CheckReport)]) -> String {
    let mut table = vec![std::iter::once("program".to_string()).chain(linkers.iter().cloned()).collect::<Vec<_>>()];
    for (name, report) in rows {
        table.push(std::iter::once(name.to_string()).chain(conform::cells(report).iter().map(|c| c.text())).collect());
    }
    let mut widths = vec![0; table[0].len()];
    for row in &table {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut s = String::new();
    for row in &table {
        let line: Vec<String> = row.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        let _ = writeln!(s, "{}", line.join("  ").trim_end());
    }
    for (name, report) in rows {
        for l in &report.linkers {
            if let linkcheck_core::Outcome::Crashed { status, stderr } = &l.outcome {
                let _ = writeln!(s, "\n{name}: {} crashed ({status}): {}", l.name, cut(stderr.trim()));
            }
        }
        let located = conform::located(name, report);
        let first = report.linkers.first().map_or("", |l| l.name.as_str());
        let mut current = String::new();
        for d in &located {
            if d.linker != current {
                current = d.linker.clone();
                let n = located.iter().filter(|x| x.linker == current).count();
                let _ = writeln!(s, "\n{name}: {first} vs {current}: {n} difference{}", if n == 1 { "" } else { "s" });
            }
            let _ = writeln!(s, "  {}  [{}]", d.difference.key, d.locus.describe());
            let _ = writeln!(s, "    {:<12} {}", format!("{first}:"), cut(&d.difference.left));
            let _ = writeln!(s, "    {:<12} {}", format!("{current}:"), cut(&d.difference.right));
        }
    }
    let diverging = rows.iter().map(|(_, r)| r.comparisons.iter().filter(|c| !c.differences.is_empty()).count()).sum::<usize>();
    let _ = writeln!(
        s,
        "\n{} program(s) x {} linker(s): {} comparison(s) diverge",
        rows.len(),
        linkers.len(),
        diverging
    );
    s
}

fn render_json(linkers: &[String], found: &[linkcheck_core::discover::Found], rows: &[(String, linkcheck_core::CheckReport)]) -> String {
    let programs: Vec<serde_json::Value> = rows
        .iter()
        .map(|(name, report)| {
            let cells: serde_json::Map<String, serde_json::Value> = linkers
                .iter()
                .zip(conform::cells(report))
                .map(|(l, c)| (l.clone(), c.to_json()))
                .collect();
            serde_json::json!({
                "program": name,
                "cells": cells,
                "differences": conform::located(name, report).iter().map(conform::Located::to_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    let versions: Vec<serde_json::Value> =
        found.iter().map(|f| serde_json::json!({"name": f.name, "version": f.version, "command": f.command()})).collect();
    serde_json::to_string_pretty(&serde_json::json!({ "linkers": linkers, "versions": versions, "programs": programs }))
        .expect("JSON serializes")
}

/// Writes the outputs and arguments of one program into `dir`.
fn keep(dir: &std::path::Path, program: &real::RealProgram, report: &linkcheck_core::CheckReport) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let args = dir.join(format!("{}.args", program.label()));
    std::fs::write(&args, program.inputs().join("\n") + "\n").with_context(|| format!("writing {}", args.display()))?;
    for l in &report.linkers {
        if let Some(bytes) = l.outcome.bytes() {
            let out = dir.join(format!("{}.{}.wasm", program.label(), l.name));
            std::fs::write(&out, bytes).with_context(|| format!("writing {}", out.display()))?;
        }
    }
    Ok(())
}

/// `text` cut to [`VALUE_LIMIT`] characters, marked with `…`.
fn cut(text: &str) -> String {
    match text.char_indices().nth(VALUE_LIMIT) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}
