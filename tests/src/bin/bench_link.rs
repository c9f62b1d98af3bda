//! Benchmark: refld against rust-lld (wasm-ld) on the SQLite link, whole
//! process wall time, alternating runs in one process, median of each and
//! the ratio. Not a test: it asserts nothing about speed.
//!
//! Run: `cargo build --release -p refld && cargo run -p refld-tests --bin bench-link`
//! (`-- --runs N` for more runs; default 15). The harness's own profile
//! does not matter: both linkers run as processes.

use anyhow::{bail, Context, Result};
use refld_tests::real;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

fn main() -> Result<()> {
    let runs: usize = std::env::args().skip_while(|a| a != "--runs").nth(1).map(|n| n.parse()).transpose()?.unwrap_or(15);
    let refld = refld_tests::real::target_dir().join("release/refld");
    if !refld.is_file() {
        bail!("{} is missing: run `cargo build --release -p refld` first", refld.display());
    }
    let lld = testkit::rust_lld_path().map_err(anyhow::Error::msg)?;
    let program = real::build("sqlite")?;
    let out = tempfile::tempdir()?;
    let mut times: Vec<(&str, PathBuf, Vec<Duration>)> = vec![("refld", refld, vec![]), ("rust-lld", lld, vec![])];
    for i in 0..runs + 1 {
        for (name, exe, samples) in times.iter_mut() {
            let args = program.link_args_with_output(&out.path().join(format!("{name}.wasm")));
            let start = Instant::now();
            let status = Command::new(&*exe).args(&args).status().with_context(|| format!("running {name}"))?;
            let took = start.elapsed();
            if !status.success() {
                bail!("{name} failed to link sqlite: {status}");
            }
            // The first round warms the page cache and is not counted.
            if i > 0 {
                samples.push(took);
            }
        }
    }
    println!("SQLite link (sqlite3.o + driver + libc.a + builtins), whole-process wall time, {runs} runs each, alternating");
    let mut medians = vec![];
    for (name, _, samples) in &mut times {
        samples.sort();
        let median = samples[samples.len() / 2];
        medians.push(median);
        println!("  {name:<9} median {:>7.1} ms   min {:>7.1} ms   max {:>7.1} ms", ms(median), ms(samples[0]), ms(samples[samples.len() - 1]));
    }
    println!("  ratio refld / rust-lld: {:.2}x", ms(medians[0]) / ms(medians[1]));
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
