//! `linkcheck`: differential testing of WebAssembly linkers.
//!
//! ```text
//! linkcheck diff [--linker NAME=CMD]... [--no-default-linkers] [--json]
//!                [--timeout SECS] [--fuel N] [--no-run] -- <wasm-ld arguments>
//! ```
//! Exit status: 0 when all linkers agree, 1 when they diverge, 2 on usage
//! errors or when the comparison cannot be set up (rust-lld missing, fewer
//! than two linkers).

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use linkcheck::check::{check, CheckOptions};
use linkcheck::linker::Linker;
use linkcheck::report::{render_json, render_text};
use linkcheck::run::{RunLimits, Runner};
use std::process::ExitCode;
use std::time::Duration;

/// Exit status: every linker agrees.
const AGREE: u8 = 0;
/// Exit status: some linkers diverge.
const DIVERGE: u8 = 1;
/// Exit status: bad usage or set-up (clap uses 2 for its errors too).
const USAGE: u8 = 2;

#[derive(Parser)]
#[command(name = "linkcheck", version, about = "Differential testing of WebAssembly linkers against refld")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Link one command line with every linker, run the outputs, compare.
    Diff(DiffArgs),
}

#[derive(Args)]
struct DiffArgs {
    /// Another linker with wasm-ld's command line, as NAME=COMMAND
    /// (COMMAND: a program, or a program and leading arguments).
    #[arg(long = "linker", value_name = "NAME=CMD")]
    linkers: Vec<String>,
    /// Leave out the default linkers refld (in-process) and rust-lld.
    #[arg(long)]
    no_default_linkers: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Time limit of each link, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 60.0)]
    timeout: f64,
    /// Fuel of each run (about one unit per wasm instruction).
    #[arg(long, value_name = "N", default_value_t = RunLimits::default().fuel)]
    fuel: u64,
    /// Only link and describe; don't run the outputs.
    #[arg(long)]
    no_run: bool,
    /// wasm-ld's arguments (without argv[0]), after `--`.
    #[arg(last = true, required = true, value_name = "WASM-LD ARGS")]
    args: Vec<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Diff(args) => diff(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("linkcheck: error: {e:#}");
            ExitCode::from(USAGE)
        }
    }
}

fn diff(args: DiffArgs) -> Result<u8> {
    let mut linkers = Vec::new();
    if !args.no_default_linkers {
        linkers.push(Linker::Reference);
        linkers.push(Linker::rust_lld().context("(use --no-default-linkers and --linker to choose linkers)")?);
    }
    for spec in &args.linkers {
        linkers.push(Linker::from_spec(spec)?);
    }
    if linkers.len() < 2 {
        bail!("need at least two linkers to compare, have {}", linkers.len());
    }
    let mut names: Vec<&str> = linkers.iter().map(Linker::name).collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        bail!("two linkers are named `{}`", w[0]);
    }
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        bail!("--timeout must be a positive number of seconds");
    }
    let options = CheckOptions {
        timeout: Duration::from_secs_f64(args.timeout),
        limits: RunLimits { fuel: args.fuel, ..RunLimits::default() },
        run: !args.no_run,
    };
    let runner = Runner::new().map_err(anyhow::Error::msg)?;
    let cwd = std::env::current_dir().context("current directory")?;
    let report = check(&linkers, &args.args, &cwd, &runner, &options);
    if args.json {
        println!("{}", render_json(&report));
    } else {
        print!("{}", render_text(&report));
    }
    Ok(if report.agree { AGREE } else { DIVERGE })
}
