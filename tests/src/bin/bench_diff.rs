//! Benchmark of the differential harness (`linkcheck_gen::diff_linkers`, the
//! code the `diff_linkers` fuzz target runs, without the fuzzer's
//! instrumentation). Each input of a corpus folder (default
//! `fuzz/corpus/diff_linkers`) is drawn into a set and checked by a
//! [`Harness`] (refld, rust-lld, Wild): its time per set. Then the same
//! sets go through the phases one by one (writing inputs, then
//! `check_phases`: each link, describing, compiling in wasmtime, running,
//! the canonical forms and their comparison, judging): the rust-lld and
//! Wild phases, one after the other, are the bare cost of the linker
//! processes.
//!
//! Figures are medians over the rounds; the harness's overhead is its time
//! per set over the bare linker cost per set, minus one (goal: 25%).
//!
//! `cargo run --release -p refld-tests --bin bench_diff [-- DIR SETS ROUNDS]`
//! (defaults fuzz/corpus/diff_linkers, 300 sets, 3 rounds).

use linkcheck_core::casefile::write_inputs;
use linkcheck_gen::diff_linkers::Harness;
use linkcheck_gen::object_set::ObjectSet;
use linkcheck_core::check::{check_phases, CheckOptions};
use linkcheck_core::{Linker, Runner};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const PHASES: [&str; 10] =
    ["write inputs", "refld", "rust-lld", "wild", "describe", "compile", "run", "canonicalize", "compare", "judge"];

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = args.next().map(PathBuf::from).unwrap_or_else(|| root.join("fuzz/corpus/diff_linkers"));
    let sets: usize = args.next().map(|a| a.parse().expect("SETS is a number")).unwrap_or(300);
    let rounds: usize = args.next().map(|a| a.parse().expect("ROUNDS is a number")).unwrap_or(3);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect(),
        Err(e) => fail(&format!("{}: {e}", dir.display())),
    };
    files.sort();
    files.truncate(sets);
    let inputs: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap_or_else(|e| fail(&format!("{}: {e}", f.display())))).collect();
    let policy_path = root.join("corpus/policy.toml");
    let policy = linkcheck_core::policy::Policy::load(&policy_path).unwrap_or_else(|e| fail(&e.to_string()));

    let (mut rates, mut bare_ms, mut check_ms, mut ratios) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut phase_ms: Vec<Vec<f64>> = vec![Vec::new(); PHASES.len()];
    for _ in 0..rounds {
        let mut h = Harness::new(&["rust-lld", "wild"], policy.clone(), None).unwrap_or_else(|e| fail(&e));
        let start = Instant::now();
        for bytes in &inputs {
            // Findings count as checked sets: the benchmark measures time.
            let _ = h.check_set(&ObjectSet::from_bytes(bytes));
        }
        let secs = start.elapsed().as_secs_f64();
        rates.push(inputs.len() as f64 / secs);
        let per_set = |t: Duration| t.as_secs_f64() * 1000.0 / inputs.len() as f64;
        check_ms.push(secs * 1000.0 / inputs.len() as f64);
        let times = phases(&inputs);
        // The bare cost: the two external linker processes, one after the
        // other, nothing else running in this process.
        let bare = per_set(times[2] + times[3]);
        bare_ms.push(bare);
        ratios.push(100.0 * (secs * 1000.0 / inputs.len() as f64 / bare - 1.0));
        for (p, t) in times.iter().enumerate() {
            phase_ms[p].push(per_set(*t));
        }
    }
    println!("{} sets from {}, {rounds} rounds (medians)", inputs.len(), dir.display());
    println!(
        "harness: {:.1} sets/s, {:.2} ms per set; the bare linker processes (rust-lld, then Wild): {:.2} ms per set; the harness adds {:+.0}% (goal: at most 25%)",
        median(&mut rates),
        median(&mut check_ms),
        median(&mut bare_ms),
        median(&mut ratios)
    );
    println!("phases one by one, ms per set:");
    for (name, ms) in PHASES.iter().zip(&mut phase_ms) {
        println!("  {name:<13} {:7.2}", median(ms));
    }
}

/// The harness's phases timed one by one over the sets
/// (`linkcheck_core::check::check_phases`, with a fresh runner, so its
/// cache of compiled modules starts empty as in the harness).
fn phases(inputs: &[Vec<u8>]) -> [Duration; PHASES.len()] {
    let all = linkcheck_core::discover::discover_all();
    let mut linkers = vec![Linker::Reference];
    for name in ["rust-lld", "wild"] {
        match all.iter().flatten().find(|f| f.name == name) {
            Some(found) => linkers.push(found.linker()),
            None => fail(&format!("linker {name} is missing (run scripts/setup.sh)")),
        }
    }
    let runner = Runner::new().unwrap_or_else(|e| fail(&e));
    let scratch = tempfile::tempdir().unwrap_or_else(|e| fail(&e.to_string()));
    let options = CheckOptions::default();
    let mut t = [Duration::ZERO; PHASES.len()];
    for bytes in inputs {
        let set = ObjectSet::from_bytes(bytes);
        let s = Instant::now();
        let case = set.to_case();
        for e in std::fs::read_dir(scratch.path()).into_iter().flatten().flatten() {
            let _ = std::fs::remove_file(e.path());
        }
        let Ok(args) = write_inputs(scratch.path(), &case) else { continue };
        t[0] += s.elapsed();
        let (report, times) = check_phases(&linkers, &args, scratch.path(), &runner, &options);
        std::hint::black_box(report);
        for (i, link) in times.links.iter().enumerate() {
            t[1 + i] += *link;
        }
        let rest = [times.describe, times.compile, times.run, times.canonicalize, times.compare, times.judge];
        for (i, d) in rest.into_iter().enumerate() {
            t[4 + i] += d;
        }
    }
    t
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn fail(message: &str) -> ! {
    eprintln!("bench_diff: {message}");
    std::process::exit(2)
}
