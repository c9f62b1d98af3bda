//! Benchmark: how refld's cost grows against wasm-ld's. Generated C
//! programs of about 600 and 6,000 objects (each: ten functions calling
//! across files, a data array, a table of function pointers), compiled
//! once by clang-19 (cached), plus the SQLite link; refld and rust-lld
//! (wasm-ld 22) run alternately as whole processes, medians and the
//! ratio refld / rust-lld per size, side by side in one run. Not a test:
//! it asserts nothing about speed.
//!
//! Run: `cargo build --release -p refld && cargo run --release -p refld-tests --bin bench-scale`
//! (`-- --runs N`, default 11; `--sizes 600,6000`). refld is looked up in
//! the cargo target folder (`CARGO_TARGET_DIR` or `target/`).

use anyhow::{bail, Context, Result};
use refld_tests::real;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Functions per generated file.
const FUNCS: usize = 10;

fn main() -> Result<()> {
    let arg = |name: &str| std::env::args().skip_while(|a| a != name).nth(1);
    let runs: usize = arg("--runs").map(|n| n.parse()).transpose()?.unwrap_or(11);
    let sizes: Vec<usize> = match arg("--sizes") {
        Some(s) => s.split(',').map(|n| n.parse()).collect::<Result<_, _>>()?,
        None => vec![600, 6000],
    };
    let refld = refld_binary()?;
    let lld = testkit::rust_lld_path().map_err(anyhow::Error::msg)?;
    let mut sets: Vec<(String, Vec<String>, PathBuf)> = Vec::new();
    for &n in &sizes {
        let dir = generated_program(n)?;
        let mut args = vec!["--no-entry".to_string(), "--export=run".to_string()];
        args.extend((0..n).map(|i| format!("f{i}.o")));
        args.push("main.o".into());
        sets.push((format!("{n} objects"), args, dir));
    }
    let sqlite = real::build("sqlite")?;
    let out = tempfile::tempdir()?;
    sets.push(("SQLite".into(), sqlite.link_args_with_output(&out.path().join("sqlite.wasm")), sqlite.dir.clone()));
    println!("whole-process wall time, {runs} runs each after a warm-up, refld and rust-lld alternating; medians");
    println!("{:<14} {:>12} {:>12} {:>8}", "link", "refld", "rust-lld", "ratio");
    for (name, args, dir) in &sets {
        let mut samples = [Vec::new(), Vec::new()];
        for i in 0..=runs {
            for (k, exe) in [&refld, &lld].into_iter().enumerate() {
                let mut a = args.clone();
                if !a.iter().any(|x| x == "-o") {
                    a.extend(["-o".into(), out.path().join(format!("{k}.wasm")).display().to_string()]);
                }
                let start = Instant::now();
                let o = Command::new(exe).args(&a).current_dir(dir).output().with_context(|| format!("running {}", exe.display()))?;
                let took = start.elapsed();
                if !o.status.success() {
                    bail!("{} failed on {name}: {}", exe.display(), String::from_utf8_lossy(&o.stderr));
                }
                if i > 0 {
                    samples[k].push(took);
                }
            }
        }
        let m: Vec<Duration> = samples.iter_mut().map(|s| median(s)).collect();
        println!("{name:<14} {:>9.1} ms {:>9.1} ms {:>7.2}x", ms(m[0]), ms(m[1]), ms(m[0]) / ms(m[1]));
    }
    Ok(())
}

fn median(s: &mut [Duration]) -> Duration {
    s.sort();
    s[s.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The release `refld` binary of the cargo target folder.
fn refld_binary() -> Result<PathBuf> {
    let exe = real::target_dir().join("release/refld");
    if !exe.is_file() {
        bail!("{} is missing: run `cargo build --release -p refld` first", exe.display());
    }
    Ok(exe)
}

/// File `i` of an `n`-file program: ten functions, each calling a
/// function of the next file and one of its own through the table, a data
/// array they read, and the table of its functions' addresses.
fn source(i: usize, n: usize) -> String {
    let next = (i + 1) % n;
    let mut s = String::new();
    s.push_str(&format!("extern int g{next}_0(int);\n"));
    s.push_str(&format!("static int data{i}[64] = {{"));
    s.push_str(&(0..64).map(|k| ((i * 31 + k * 7) % 97).to_string()).collect::<Vec<_>>().join(","));
    s.push_str("};\n");
    for k in 0..FUNCS {
        s.push_str(&format!("int g{i}_{k}(int x);\n"));
    }
    s.push_str(&format!("int (*table{i}[{FUNCS}])(int) = {{"));
    s.push_str(&(0..FUNCS).map(|k| format!("g{i}_{k}")).collect::<Vec<_>>().join(","));
    s.push_str("};\n");
    for k in 0..FUNCS {
        let call = if k == 0 { format!("(x > 0 ? g{next}_0(x - 1) : 0)") } else { format!("table{i}[{}](x / 2)", k - 1) };
        s.push_str(&format!("__attribute__((noinline)) int g{i}_{k}(int x) {{ if (x <= 0) return data{i}[{k}]; return data{i}[(x + {k}) & 63] + {call}; }}\n"));
    }
    s
}

/// The objects of an `n`-file program and its `main.o`, compiled once
/// into the bench cache (`~/.cache/refld/bench-scale/N`).
fn generated_program(n: usize) -> Result<PathBuf> {
    let dir = real::cache_root().join("bench-scale").join(n.to_string());
    std::fs::create_dir_all(&dir)?;
    let done = dir.join("complete");
    if done.is_file() {
        return Ok(dir);
    }
    eprintln!("bench-scale: compiling {n} files with clang-19 (once)");
    let mut units: Vec<(String, String)> = (0..n).map(|i| (format!("f{i}"), source(i, n))).collect();
    units.push(("main".into(), "extern int g0_0(int);\nint run(int x) { return g0_0(x); }\n".into()));
    let jobs = std::thread::available_parallelism().map(|p| p.get()).unwrap_or(2);
    let chunks: Vec<Vec<(String, String)>> = units.chunks(units.len().div_ceil(jobs)).map(|c| c.to_vec()).collect();
    std::thread::scope(|s| -> Result<()> {
        let handles: Vec<_> = chunks.iter().map(|chunk| s.spawn(|| compile(&dir, chunk))).collect();
        for h in handles {
            h.join().expect("a compile thread")?;
        }
        Ok(())
    })?;
    std::fs::write(&done, "")?;
    Ok(dir)
}

fn compile(dir: &Path, units: &[(String, String)]) -> Result<()> {
    for (name, text) in units {
        let c = dir.join(format!("{name}.c"));
        std::fs::write(&c, text)?;
        let st = Command::new("clang-19")
            .args(["--target=wasm32", "-O1", "-c", "-o"])
            .arg(dir.join(format!("{name}.o")))
            .arg(&c)
            .status()
            .context("running clang-19 (Debian package clang-19; scripts/setup.sh installs it)")?;
        if !st.success() {
            bail!("clang-19 failed on {}", c.display());
        }
    }
    Ok(())
}
