//! `linkcheck`: differential testing of WebAssembly linkers.
//!
//! ```text
//! linkcheck diff [--linker NAME=CMD|NAME]... [--no-default-linkers] [--json]
//!                [--timeout SECS] [--fuel N] [--no-run] [--policy FILE]
//!                -- <wasm-ld arguments>
//! ```
//! Links with refld and rust-lld (and each `--linker`) and prints every
//! difference with a one-line explanation; differences the policy's
//! allow-list covers are listed apart with their reasons, those it
//! explains as a linker's known bug (a quirk, a `[[known]]` entry) carry
//! the explaining note. The policy is `corpus/policy.toml` (built in), or
//! `--policy FILE`. Exit status: 0 when all linkers agree (allowed
//! differences and known bugs aside), 1 when they diverge, 2 on usage
//! errors or when the comparison cannot be set up (rust-lld missing, fewer
//! than two linkers).
//!
//! ```text
//! linkcheck conform [--linker NAME=CMD|NAME]... [--no-default-linkers] [--json]
//!                   [--all-linkers] [--html FILE] [--timings]
//!                   [--policy FILE] [CORPUS...]
//! ```
//! Runs every corpus case under CORPUS (default `corpus`) through refld,
//! rust-lld, wasm-ld-19, wasm-ld-22 and Wild (an error naming
//! `scripts/setup.sh` when one is missing) and prints a matrix (or JSON
//! lines). `--all-linkers` adds wasm-ld-14 and -16 and zig; `--no-default-linkers`
//! leaves only the `--linker` ones. Divergences the policy explains (the
//! `policy.toml` of CORPUS or its parents, else the built-in one, or
//! `--policy FILE`) are known bugs, shown `known:KEY`. `--html FILE` also writes the result as
//! a standalone page; `--timings` prints, per case, the time inside the
//! linkers and outside them. Exit status: 0 when every case meets its
//! expectation and every divergence is known or allowed (stale known
//! entries are warnings), 1 otherwise (an unknown divergence, a crash or
//! timeout not known, a missed expectation, a case that cannot be
//! prepared), 2 on usage errors or missing linkers.
//!
//! ```text
//! linkcheck reduce CASE [--key KEY] [--linker NAME=CMD|NAME]... [--no-default-linkers]
//!                  [-o OUT_DIR] [--policy FILE] [--json]
//! ```
//! Reduces a generated case (every input a `.json` object model) while the
//! same divergence stays, unexplained by the policy (`linkcheck::reduce::cli`); writes the reduced case
//! to OUT_DIR (default `CASE-reduced`) and prints the sizes before and
//! after. Exit status 0, 2 on errors (no divergence, the key not found).
//!
//! ```text
//! linkcheck inputs CASE -o DIR
//! ```
//! Writes a generated case's input objects and archives (made from its
//! `.json` object models) into DIR and prints the case's wasm-ld arguments, to link
//! it by hand (`cd DIR && wasm-ld ARGS`). Exit status 0, 2 on errors.
//!
//! ```text
//! linkcheck explain [--json] [--all] -- <wasm-ld arguments>
//! ```
//! Explains every undefined symbol of the link (`linkcheck::explain`): the
//! ones that make it fail first (as given, or under the default policy),
//! each with its fixes in Rust's and clang's terms beside the wasm-ld
//! flag, checked by refld; those only dead code refers to in one line
//! unless `--all`. Exit status 0 when nothing is undefined, 1 when
//! something is, 2 on bad arguments or inputs.
//!
//! ```text
//! linkcheck quirks [--json] [--policy FILE]
//! ```
//! Lists refld's quirks (`refld --quirk NAME`, SPEC QUIRK-*): what each
//! emulates, the linkers measured, and which linkers the policy gives it.
//! Exit status 0.
//!
//! ```text
//! linkcheck linkers [--json]
//! ```
//! Lists the linkers found on this machine (refld, rust-lld, Debian's
//! wasm-ld-14/16/19/22, Wild): name, version, command; then those missing
//! and what installs them. Exit status 0.
//!
//! ```text
//! linkcheck releases [--baseline NAME=CMD] [--release NAME=CMD]...
//!                    [--update FILE] [--json] CORPUS...
//! ```
//! Links every case with a baseline wasm-ld (wasm-ld-22) and older releases
//! (wasm-ld-14, -16, -19), prints a Markdown table of where each release
//! differs (or writes it into FILE between `<!-- releases:begin -->` and
//! `<!-- releases:end -->`). Exit status: 0 (differences are findings), 1
//! when a case could not be prepared, 2 on usage errors or missing linkers.

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use linkcheck_core::allow::AllowList;
use linkcheck_core::policy::{attribute, Policy};
use linkcheck_core::check::{check, CheckOptions};
use linkcheck::conform::render::{render_json_lines, render_matrix, summary_line};
use linkcheck::conform::run_cases;
use linkcheck::corpus::find_cases;
use linkcheck_core::linker::Linker;
use linkcheck_core::report::{render_json, render_text};
use linkcheck_core::run::{RunLimits, Runner};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
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
    /// Run every corpus case through every linker; print a matrix.
    Conform(ConformArgs),
    /// Explain every undefined symbol of a link, those failing it first:
    /// who references it, its import module and name, its fate under each
    /// policy, and for a failing one its fixes (checked by refld).
    Explain(ExplainArgs),
    /// Link every corpus case with a baseline wasm-ld and older releases;
    /// print (or write into a file) a table of where the releases differ.
    Releases(ReleasesArgs),
    /// List the linkers found on this machine: name, version, command.
    Linkers(LinkersArgs),
    /// List refld's quirks and the linkers the policy gives each.
    Quirks(QuirksArgs),
    /// Reduce a generated case while two linkers still diverge on one key.
    Reduce(ReduceArgs),
    /// Write a case's input objects and archives into a folder and print
    /// its wasm-ld command line, to link it by hand (the links before it
    /// first, one per line: a two-step link's `-r` part, side modules).
    Inputs(InputsArgs),
    /// Run a linked module as the comparisons run it: a static output in
    /// wasmtime, a -pie/-shared one under the project's loader with the
    /// shared libraries given; print the run result.
    Run(RunArgs),
}

#[derive(Args)]
struct RunArgs {
    /// The module to run (a main module for a dynamic link).
    #[arg(value_name = "MODULE")]
    module: PathBuf,
    /// A shared library the loader may load: preloaded in the order given,
    /// named by its file name (as NEEDED entries name it).
    #[arg(long = "library", short = 'l', value_name = "FILE")]
    libraries: Vec<PathBuf>,
    /// Print the run result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct InputsArgs {
    /// The generated case folder (case.toml and NAME.json models).
    #[arg(value_name = "CASE")]
    case: PathBuf,
    /// The folder to write into (created if missing).
    #[arg(short = 'o', value_name = "DIR")]
    out_dir: PathBuf,
}

#[derive(Args)]
struct ReduceArgs {
    /// The case folder (case.toml and NAME.json models).
    #[arg(value_name = "CASE")]
    case: PathBuf,
    /// The difference key to keep (default: the case's recorded
    /// divergence, else the first difference).
    #[arg(long, value_name = "KEY")]
    key: Option<String>,
    /// Another linker, as NAME=COMMAND or a name `linkcheck linkers` lists
    /// (default: the case's recorded divergence linkers, else refld and
    /// rust-lld).
    #[arg(long = "linker", value_name = "NAME=CMD|NAME")]
    linkers: Vec<String>,
    /// Leave out the default linkers refld (in-process) and rust-lld.
    #[arg(long)]
    no_default_linkers: bool,
    /// Where to write the reduced case (default: CASE-reduced).
    #[arg(short = 'o', value_name = "OUT_DIR")]
    out_dir: Option<PathBuf>,
    /// The policy: a divergence it explains is not kept (default: the
    /// built-in `corpus/policy.toml`).
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct QuirksArgs {
    /// Print JSON (one object per quirk).
    #[arg(long)]
    json: bool,
    /// The policy file (default: the built-in `corpus/policy.toml`).
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
}

#[derive(Args)]
struct LinkersArgs {
    /// Print JSON (`found` and `missing`).
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct ReleasesArgs {
    /// The linker the releases are compared with, as NAME=COMMAND
    /// (default: Debian's wasm-ld-22).
    #[arg(long, value_name = "NAME=CMD")]
    baseline: Option<String>,
    /// A release to compare, as NAME=COMMAND; any number (default: every one
    /// of wasm-ld-14, wasm-ld-16, wasm-ld-19 installed).
    #[arg(long = "release", value_name = "NAME=CMD")]
    releases: Vec<String>,
    /// Rewrite FILE between `<!-- releases:begin -->` and
    /// `<!-- releases:end -->` (markers added at the end if absent) instead
    /// of printing the table.
    #[arg(long, value_name = "FILE")]
    update: Option<PathBuf>,
    /// Print the rows (and versions) as JSON.
    #[arg(long)]
    json: bool,
    /// Case folders, or folders searched for them.
    #[arg(value_name = "CORPUS", required = true)]
    corpus: Vec<PathBuf>,
}

#[derive(Args)]
struct ExplainArgs {
    /// Print JSON (for tools; every symbol, dead-only ones included).
    #[arg(long)]
    json: bool,
    /// Show in full the symbols only dead code refers to (which garbage
    /// collection removes), not one summary line.
    #[arg(long)]
    all: bool,
    /// wasm-ld's arguments (without argv[0]), after `--`.
    #[arg(last = true, required = true, value_name = "WASM-LD ARGS")]
    args: Vec<String>,
}

#[derive(Args)]
struct ConformArgs {
    /// Another linker with wasm-ld's command line, as NAME=COMMAND
    /// (COMMAND: a program, or a program and leading arguments), or a
    /// linker `linkcheck linkers` lists, by name (`zig`, `wasm-ld-14`).
    #[arg(long = "linker", value_name = "NAME=CMD|NAME")]
    linkers: Vec<String>,
    /// Leave out the default linkers refld (in-process), rust-lld,
    /// wasm-ld-19, wasm-ld-22 and Wild.
    #[arg(long)]
    no_default_linkers: bool,
    /// One JSON record per case and linker, one per line.
    #[arg(long)]
    json: bool,
    /// The policy: allowed differences, quirks and known bugs (default:
    /// `policy.toml` in the first CORPUS folder or its nearest parent
    /// holding one, e.g. `corpus/policy.toml`, else the built-in one).
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Also write the result as a standalone HTML page to FILE.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Also print, per case and in all, the time inside the linkers and
    /// outside them (to stderr).
    #[arg(long)]
    timings: bool,
    /// Also compare refld with wasm-ld-14 and -16 and Zig's linker (every
    /// linker `linkcheck linkers` finds), then any `--linker`.
    #[arg(long, conflicts_with = "no_default_linkers")]
    all_linkers: bool,
    /// Also compare refld's output with each other linker's byte for byte,
    /// section by section (`exact.SECTION` keys: where refld's encoding is
    /// not the other linker's).
    #[arg(long)]
    exact: bool,
    /// Case folders, or folders searched for them (default: `corpus`).
    #[arg(value_name = "CORPUS")]
    corpus: Vec<PathBuf>,
}

#[derive(Args)]
struct DiffArgs {
    /// Another linker with wasm-ld's command line, as NAME=COMMAND
    /// (COMMAND: a program, or a program and leading arguments), or a
    /// linker `linkcheck linkers` lists, by name (`zig`, `wasm-ld-14`).
    #[arg(long = "linker", value_name = "NAME=CMD|NAME")]
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
    /// Skip the structural (canonical-form) comparison of the outputs.
    #[arg(long)]
    no_structural: bool,
    /// Also compare the outputs byte for byte, section by section
    /// (`exact.SECTION` keys: where refld's encoding is not wasm-ld's).
    #[arg(long)]
    exact: bool,
    /// The policy: allowed differences, quirks and known bugs (default:
    /// the built-in `corpus/policy.toml`).
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// A side module of a dynamic link, linked before the main module (the
    /// arguments after `--`) by every linker: NAME=ARGS, ARGS wasm-ld's
    /// arguments separated by spaces (`libside.so=-shared
    /// --experimental-pic side.o`); repeatable, in link and load order.
    /// The main module then runs under the loader with the side modules.
    #[arg(long = "side-module", value_name = "NAME=ARGS")]
    side_modules: Vec<String>,
    /// wasm-ld's arguments (without argv[0]), after `--`.
    #[arg(last = true, required = true, value_name = "WASM-LD ARGS")]
    args: Vec<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Diff(args) => diff(args),
        Command::Conform(args) => conform(args),
        Command::Explain(args) => explain(args),
        Command::Releases(args) => releases(args),
        Command::Linkers(args) => linkers(args),
        Command::Quirks(args) => quirks(args),
        Command::Inputs(args) => inputs(args),
        Command::Run(args) => run(args),
        Command::Reduce(a) => linkcheck::reduce::cli::run_command(
            &linkcheck::reduce::cli::ReduceOptions {
                case: a.case,
                key: a.key,
                linkers: a.linkers,
                no_default_linkers: a.no_default_linkers,
                out_dir: a.out_dir,
                policy: a.policy,
            },
            a.json,
        )
        .map_err(anyhow::Error::msg),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("linkcheck: error: {e:#}");
            ExitCode::from(USAGE)
        }
    }
}

/// The linkers to compare: refld and rust-lld unless `no_defaults`, then
/// each `--linker`; at least two, names distinct.
fn choose_linkers(no_defaults: bool, specs: &[String]) -> Result<Vec<Linker>> {
    let mut linkers = Vec::new();
    if !no_defaults {
        linkers.push(Linker::Reference);
        linkers.push(Linker::rust_lld().context("(use --no-default-linkers and --linker to choose linkers)")?);
    }
    for spec in specs {
        linkers.push(linkcheck_core::discover::linker_from_arg(spec).map_err(anyhow::Error::msg)?);
    }
    if linkers.len() < 2 {
        bail!("need at least two linkers to compare, have {}", linkers.len());
    }
    let mut names: Vec<&str> = linkers.iter().map(Linker::name).collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        bail!("two linkers are named `{}`", w[0]);
    }
    Ok(linkers)
}

/// Exit status 0: missing linkers are listed, not errors.
fn linkers(args: LinkersArgs) -> Result<u8> {
    let all = linkcheck_core::discover::discover_all();
    if args.json {
        println!("{}", linkcheck_core::discover::render_json(&all));
    } else {
        print!("{}", linkcheck_core::discover::render_table(&all));
    }
    Ok(AGREE)
}

/// The linkers of `conform`: the defaults ([`linkcheck::conform::DEFAULT_LINKERS`],
/// an error when one is missing) unless `no_defaults`, with `all` also
/// wasm-ld-14/16 (missing ones named on stderr), then each `--linker`;
/// at least two, names distinct.
fn conform_linkers(no_defaults: bool, all: bool, specs: &[String]) -> Result<Vec<Linker>> {
    let mut linkers = Vec::new();
    if !no_defaults {
        let (found, notes) = linkcheck::conform::default_linkers(all).map_err(anyhow::Error::msg)?;
        for note in notes {
            eprintln!("linkcheck: {note}");
        }
        linkers = found;
    }
    for spec in specs {
        linkers.push(linkcheck_core::discover::linker_from_arg(spec).map_err(anyhow::Error::msg)?);
    }
    let mut names: Vec<&str> = linkers.iter().map(Linker::name).collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        bail!("two linkers are named `{}`", w[0]);
    }
    if linkers.len() < 2 {
        bail!("need at least two linkers to compare, have {}", linkers.len());
    }
    Ok(linkers)
}

/// The policy: `file`, else the `policy.toml` found from `search` (a
/// corpus folder) upwards, else the built-in one.
fn load_policy(file: Option<&PathBuf>, search: Option<&PathBuf>) -> Result<Policy> {
    let found = file.cloned().or_else(|| search.and_then(|dir| Policy::find(dir)));
    Ok(match found {
        Some(path) => Policy::load(&path)?,
        None => Policy::embedded().clone(),
    })
}

/// Exit status 0; an unreadable case or an unwritable folder is an error.
fn inputs(args: InputsArgs) -> Result<u8> {
    let case = linkcheck_core::casefile::read_case(&args.case)?;
    std::fs::create_dir_all(&args.out_dir).with_context(|| format!("cannot create {}", args.out_dir.display()))?;
    let line = linkcheck_core::casefile::write_inputs(&args.out_dir, &case)?;
    // Links before the main one first (a two-step link's `-r` part).
    for side in &case.side_modules {
        println!("-o {} {}", side.name, side.args.join(" "));
    }
    println!("{}", line.join(" "));
    Ok(AGREE)
}

/// Exit status 0 when the run exited with 0 (or, without `_start`,
/// ended without a trap), else 1.
fn run(args: RunArgs) -> Result<u8> {
    let read = |p: &PathBuf| std::fs::read(p).with_context(|| format!("cannot read {}", p.display()));
    let main = read(&args.module)?;
    let libs: Vec<(String, Vec<u8>)> = args
        .libraries
        .iter()
        .map(|p| Ok((p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), read(p)?)))
        .collect::<Result<_>>()?;
    let libraries: Vec<linkcheck_core::run::Library<'_>> =
        libs.iter().map(|(name, bytes)| linkcheck_core::run::Library { name, bytes, preload: true }).collect();
    let runner = linkcheck_core::Runner::new().map_err(anyhow::Error::msg)?;
    let limits = linkcheck_core::RunLimits::default();
    let result = if libraries.is_empty() { runner.run(&main, &limits) } else { runner.run_dynamic(&main, &libraries, &limits) };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&result).expect("JSON"));
    } else {
        print!("{}", String::from_utf8_lossy(&result.stdout));
        eprint!("{}", String::from_utf8_lossy(&result.stderr));
        for call in &result.host_calls {
            println!("host call: {}", call.describe());
        }
        for call in &result.calls {
            println!("call {}({}) = {}", call.name, call.args.join(", "), call.result);
        }
        match (&result.exit_code, &result.trap) {
            (Some(code), _) => println!("exit code {code}"),
            (None, Some(trap)) => println!("trap: {trap}: {}", result.message.as_deref().unwrap_or("")),
            (None, None) => println!("ended"),
        }
    }
    Ok(if result.exit_code.unwrap_or(0) == 0 && result.trap.is_none() { AGREE } else { 1 })
}

/// Exit status 0.
fn quirks(args: QuirksArgs) -> Result<u8> {
    let policy = load_policy(args.policy.as_ref(), None)?;
    let rows: Vec<serde_json::Value> = refld::quirks::QUIRKS
        .iter()
        .map(|q| {
            let given: Vec<&str> = policy.quirks.iter().filter(|e| e.quirk == q.name).map(|e| e.linker.as_str()).collect();
            serde_json::json!({"name": q.name, "id": q.id, "measured": q.linkers, "summary": q.summary, "policy_linkers": given})
        })
        .collect();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows).expect("JSON"));
        return Ok(AGREE);
    }
    for (q, row) in refld::quirks::QUIRKS.iter().zip(&rows) {
        let given = row["policy_linkers"].as_array().map(|a| a.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(", ")).unwrap_or_default();
        println!("{} ({})", q.name, q.id);
        println!("  {}", q.summary);
        println!("  measured on: {}", q.linkers);
        println!("  policy gives it to: {}", if given.is_empty() { "no linker".to_string() } else { given });
    }
    Ok(AGREE)
}

fn conform(args: ConformArgs) -> Result<u8> {
    let linkers = conform_linkers(args.no_default_linkers, args.all_linkers, &args.linkers)?;
    let roots = if args.corpus.is_empty() { vec![PathBuf::from("corpus")] } else { args.corpus };
    let policy = load_policy(args.policy.as_ref(), Some(&roots[0]))?;
    let options = CheckOptions { allow: Arc::new(policy.allow.clone()), exact: args.exact, ..CheckOptions::default() };
    let (dirs, bar) = cases_with_progress(&roots)?;
    let runner = Runner::new().map_err(anyhow::Error::msg)?;
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {elapsed} {wide_msg}")
            .expect("a valid template"),
    );
    let report = run_cases(&dirs, &linkers, &runner, &options, &policy, &mut |result| {
        bar.set_message(result.dir.display().to_string());
        bar.inc(1);
    });
    bar.finish_and_clear();
    if args.json {
        print!("{}", render_json_lines(&report));
        for k in &report.stale {
            eprintln!("{}", linkcheck::conform::stale::stale_line(k));
        }
        eprintln!("{}", summary_line(&report.summary()));
    } else {
        print!("{}", render_matrix(&report));
    }
    if let Some(file) = &args.html {
        std::fs::write(file, linkcheck::conform::html::render_html(&report))
            .with_context(|| format!("cannot write {}", file.display()))?;
    }
    if args.timings {
        eprint!("{}", linkcheck::conform::render::render_timings(&report));
    }
    Ok(if report.passed() { AGREE } else { DIVERGE })
}

/// Exit status 0 whatever the releases do, 1 when a case could not be
/// prepared (FILE is then left alone), 2 on usage errors or missing linkers.
fn releases(args: ReleasesArgs) -> Result<u8> {
    use linkcheck::releases as rel;
    let baseline = match &args.baseline {
        Some(spec) => rel::Release::new(Linker::from_spec(spec)?),
        None => rel::default_baseline(),
    }
    .map_err(anyhow::Error::msg)?;
    let releases = if args.releases.is_empty() {
        rel::default_releases().map_err(anyhow::Error::msg)?
    } else {
        let mut found = Vec::new();
        for spec in &args.releases {
            found.push(rel::Release::new(Linker::from_spec(spec)?).map_err(anyhow::Error::msg)?);
        }
        found
    };
    let mut names: Vec<&str> = std::iter::once(baseline.name()).chain(releases.iter().map(|r| r.name())).collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        bail!("two linkers are named `{}`", w[0]);
    }
    let old_text = match &args.update {
        Some(file) => {
            let text = std::fs::read_to_string(file).with_context(|| format!("--update {}", file.display()))?;
            // Bad markers are found before the cases are run.
            rel::replace_block(&text, "").map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            Some(text)
        }
        None => None,
    };
    let (dirs, bar) = cases_with_progress(&args.corpus)?;
    let runner = Runner::new().map_err(anyhow::Error::msg)?;
    // The table lists every difference between releases, those allowed for a
    // pair of linkers too: only the layout values (entries for any pair) are
    // left out.
    let layout_only = Arc::new(AllowList { entries: AllowList::embedded().any_pair() });
    let options = CheckOptions { allow: layout_only, ..CheckOptions::default() };
    let report = rel::run_releases(&dirs, &baseline, &releases, &runner, &options, &mut |name| {
        bar.set_message(name.to_string());
        bar.inc(1);
    });
    bar.finish_and_clear();
    if args.json {
        println!("{}", rel::render_json(&report));
    } else if args.update.is_none() {
        print!("{}", rel::render_markdown(&report));
    }
    if !report.errors.is_empty() {
        for e in &report.errors {
            eprintln!("linkcheck: error: {}", e.message);
        }
        if let Some(file) = &args.update {
            let n = report.errors.len();
            eprintln!("linkcheck: {} left alone: {n} case(s) could not be prepared", file.display());
        }
        return Ok(DIVERGE);
    }
    if let (Some(file), Some(text)) = (&args.update, old_text) {
        let argv: Vec<String> = std::env::args().skip(1).collect();
        let command = format!("cargo run -p linkcheck -- {}", rel::shell_words(&argv));
        let new_text = rel::replace_block(&text, &rel::render_block(&report, &command)).map_err(anyhow::Error::msg)?;
        std::fs::write(file, new_text).with_context(|| format!("writing {}", file.display()))?;
        eprintln!("{}", rel::summary_line(&report));
        eprintln!("linkcheck: updated {}", file.display());
    }
    Ok(AGREE)
}

/// Exit status 0 when nothing is undefined, 1 when something is, 2 on
/// bad arguments or inputs.
fn explain(args: ExplainArgs) -> Result<u8> {
    let cwd = std::env::current_dir()?;
    let r = linkcheck::explain::explain_report(&args.args, &cwd).map_err(anyhow::Error::msg)?;
    if args.json {
        println!("{}", linkcheck::explain::render_json(&r));
    } else {
        print!("{}", linkcheck::explain::render_text(&r, args.all));
    }
    Ok(u8::from(!r.explanation.undefined.is_empty() || !r.explanation.conflicts.is_empty()))
}

fn diff(args: DiffArgs) -> Result<u8> {
    let linkers = choose_linkers(args.no_default_linkers, &args.linkers)?;
    let policy = load_policy(args.policy.as_ref(), None)?;
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        bail!("--timeout must be a positive number of seconds");
    }
    let options = CheckOptions {
        timeout: Duration::from_secs_f64(args.timeout),
        limits: RunLimits { fuel: args.fuel, ..RunLimits::default() },
        run: !args.no_run,
        structural: !args.no_structural,
        allow: Arc::new(policy.allow.clone()),
        ..CheckOptions::default()
    };
    let runner = Runner::new().map_err(anyhow::Error::msg)?;
    let cwd = std::env::current_dir().context("current directory")?;
    let sides = args
            .side_modules
            .iter()
            .map(|spec| match spec.split_once('=') {
                Some((name, line)) if !name.is_empty() && !name.contains('/') => Ok(linkcheck_core::dynamic::SideLink {
                    name: name.to_string(),
                    args: line.split_whitespace().map(String::from).collect(),
                    preload: true,
                }),
                _ => bail!("--side-module {spec}: expected NAME=ARGS with NAME a plain file name"),
            })
            .collect::<Result<Vec<_>>>()?;
    let mut report = if sides.is_empty() {
        check(&linkers, &args.args, &cwd, &runner, &options)
    } else {
        linkcheck_core::dynamic::check_dynamic_timed(&linkers, &sides, &args.args, &cwd, &runner, &options).0
    };
    attribute(&policy, &mut report, None, &cwd, &sides, &runner, &options);
    // After the attribution: a byte difference is an encoding choice, which
    // re-linking under a linker's quirks does not explain.
    if args.exact {
        linkcheck_core::exact::add_exact(&mut report, &options.allow);
    }
    let unexplained = report.comparisons.iter().any(|c| c.differences.iter().any(|d| d.known.is_none()));
    if args.json {
        println!("{}", render_json(&report));
    } else {
        print!("{}", render_text(&report));
    }
    Ok(if unexplained { DIVERGE } else { AGREE })
}

/// The case folders under `roots` (an error when there are none) and a
/// progress bar over them, drawn only when stderr is a terminal.
fn cases_with_progress(roots: &[PathBuf]) -> Result<(Vec<PathBuf>, indicatif::ProgressBar)> {
    let dirs = find_cases(roots)?;
    if dirs.is_empty() {
        let roots: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
        bail!("no cases (folders with case.toml) under {}", roots.join(", "));
    }
    let target = if std::io::stderr().is_terminal() { indicatif::ProgressDrawTarget::stderr() } else { indicatif::ProgressDrawTarget::hidden() };
    let bar = indicatif::ProgressBar::with_draw_target(Some(dirs.len() as u64), target);
    Ok((dirs, bar))
}
