//! Benchmark of the in-process property suite (`linkcheck_gen::props`, the
//! code the `reference_properties` fuzz target runs): generated sets
//! checked per second on one thread, without the fuzzer's coverage
//! instrumentation. Sets come from the property suite's fixed family of
//! byte streams; the figures are medians of the rounds: sets per second of
//! wall time, and sets per second of this thread's CPU time (Linux
//! `/proc/thread-self/schedstat`), which other load on the machine does not
//! change.
//!
//! `cargo run --release -p refld-tests --bin bench_props [-- SETS ROUNDS]`
//! (defaults 2000 sets, 5 rounds).

use linkcheck_gen::object_set::ObjectSet;
use std::time::Instant;


fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<u32>().expect("SETS and ROUNDS are numbers"));
    let sets = args.next().unwrap_or(2000);
    let rounds = args.next().unwrap_or(5);
    let inputs: Vec<Vec<u8>> = (0..sets).map(linkcheck_gen::object_set::fixed_stream).collect();
    let mut rates = Vec::new();
    let mut cpu_rates = Vec::new();
    let (mut applied, mut failed) = (0usize, 0usize);
    for _ in 0..rounds {
        let start = Instant::now();
        let cpu_start = cpu_ns();
        for bytes in &inputs {
            // Drawing the set is part of an execution, as in the fuzz target.
            match linkcheck_gen::props::check_all(&ObjectSet::from_bytes(bytes)) {
                Ok(n) => applied += n,
                Err(_) => failed += 1,
            }
        }
        rates.push(f64::from(sets) / start.elapsed().as_secs_f64());
        cpu_rates.push(f64::from(sets) / ((cpu_ns() - cpu_start) as f64 / 1e9).max(1e-9));
    }
    cpu_rates.sort_by(f64::total_cmp);
    rates.sort_by(f64::total_cmp);
    let median = rates[rates.len() / 2];
    println!("reference_properties: {median:.0} sets/s (median of {rounds} rounds of {sets} sets; rounds {:.0}..{:.0})", rates[0], rates[rates.len() - 1]);
    println!("reference_properties: {:.0} sets per CPU-second of this thread (median)", cpu_rates[cpu_rates.len() / 2]);
    println!("properties applied per set: {:.2}; sets with a failing property: {}", applied as f64 / f64::from(sets * rounds), failed / rounds as usize);
}

/// This thread's time on a CPU so far, in nanoseconds (first field of
/// `/proc/thread-self/schedstat`).
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
        .expect("/proc/thread-self/schedstat (Linux) gives the thread's CPU time")
}
