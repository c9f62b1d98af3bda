//! Benchmark: the project's dynamic loader (`linkcheck_core::run::loader`)
//! against wasmtime's own instantiation of the same side modules. Not a
//! test: it asserts nothing about speed.
//!
//! The program: a `-pie` main module and [`SIDES`] side modules, each of
//! [`FUNCS`] functions with data pointers in data (load-time relocations),
//! function pointers to the main module's functions (GOT.func) and reads
//! of its data (GOT.mem), compiled by clang-19 with `-fPIC` and linked by
//! refld. Measured, alternating, in one process, after a warm-up run (so
//! every module is compiled once and cached by the runner):
//! - the loader's cost per side module: (the run of main + all side
//!   modules − the run of main alone) / SIDES; that is placing memory and
//!   table regions, the imports, instantiation, the GOT, the data
//!   relocations and the constructors;
//! - wasmtime's instantiate: each side module instantiated alone in a
//!   fresh store, every import a dummy (functions returning zeros, fresh
//!   memory, table and globals).
//!
//! Run: `cargo run --release -p refld-tests --bin bench-loader` (`-- --runs
//! N`, default 31).

use anyhow::{bail, Context, Result};
use linkcheck_core::linker::{Linker, Outcome};
use linkcheck_core::run::{Library, RunLimits, Runner};
use std::fmt::Write;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const SIDES: usize = 8;
const FUNCS: usize = 30;

fn side_source(n: usize) -> String {
    let mut c = String::from("extern int main_data;\nextern int main_fn(int);\n");
    for i in 0..FUNCS {
        let _ = writeln!(c, "int s{n}_d{i} = {i};\nint *s{n}_p{i} = &s{n}_d{i};\nint (*s{n}_fp{i})(int) = main_fn;");
        let _ = writeln!(c, "int s{n}_f{i}(int x) {{ return x + *s{n}_p{i} + main_data + s{n}_fp{i}(x); }}");
    }
    let _ = writeln!(c, "int s{n}_entry(int x) {{ int r = 0;");
    for i in 0..FUNCS {
        let _ = writeln!(c, "  r += s{n}_f{i}(x);");
    }
    c + "  return r; }\n"
}

fn main_source() -> String {
    let mut c = String::from("int main_data = 3;\nint main_fn(int x) { return 2 * x; }\n");
    for n in 0..SIDES {
        let _ = writeln!(c, "extern int s{n}_entry(int);");
    }
    c += "__attribute__((import_module(\"wasi_snapshot_preview1\"), import_name(\"proc_exit\"))) void proc_exit(int);\n";
    c += "void _start(void) { int r = 0;\n";
    for n in 0..SIDES {
        let _ = writeln!(c, "  r += s{n}_entry({n});");
    }
    c + "  proc_exit(r & 63); }\n"
}

fn compile(dir: &Path, name: &str, source: &str) -> Result<()> {
    let c = dir.join(format!("{name}.c"));
    std::fs::write(&c, source)?;
    let status = Command::new("clang-19")
        .args(["--target=wasm32", "-O1", "-fPIC", "-fvisibility=default", "-c"])
        .arg(&c)
        .arg("-o")
        .arg(dir.join(format!("{name}.o")))
        .status()
        .context("clang-19 (scripts/setup.sh installs it)")?;
    if !status.success() {
        bail!("clang-19 failed on {name}.c");
    }
    Ok(())
}

fn link(dir: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    match Linker::Reference.link(&args, dir) {
        Outcome::Linked { bytes, .. } => Ok(bytes),
        other => bail!("refld {}: {other:?}", args.join(" ")),
    }
}

/// Instantiates `bytes` in a fresh store with a dummy for every import.
fn wasmtime_instantiate(engine: &wasmtime::Engine, module: &wasmtime::Module) -> wasmtime::Result<()> {
    use wasmtime::{ExternType, Global, Memory, Ref, Table, Val};
    let mut store = wasmtime::Store::new(engine, ());
    let mut linker = wasmtime::Linker::new(engine);
    for import in module.imports() {
        let item: wasmtime::Extern = match import.ty() {
            ExternType::Func(ty) => {
                linker.func_new(import.module(), import.name(), ty, |_, _, out| {
                    out.iter_mut().for_each(|v| *v = Val::I32(0));
                    Ok(())
                })?;
                continue;
            }
            ExternType::Memory(ty) => Memory::new(&mut store, ty)?.into(),
            ExternType::Table(ty) => Table::new(&mut store, ty, Ref::Func(None))?.into(),
            ExternType::Global(ty) => Global::new(&mut store, ty, Val::I32(0))?.into(),
            other => return Err(wasmtime::Error::msg(format!("unexpected import {other:?}"))),
        };
        linker.define(&mut store, import.module(), import.name(), item)?;
    }
    linker.instantiate(&mut store, module)?;
    Ok(())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn main() -> Result<()> {
    let runs: usize = std::env::args().skip_while(|a| a != "--runs").nth(1).map(|n| n.parse()).transpose()?.unwrap_or(31);
    let dir = tempfile::tempdir()?;
    let mut sides = Vec::new();
    for n in 0..SIDES {
        compile(dir.path(), &format!("s{n}"), &side_source(n))?;
        let name = format!("libs{n}.so");
        let bytes = link(dir.path(), &["-shared", "--experimental-pic", "--unresolved-symbols=import-dynamic", "-o", &name, &format!("s{n}.o")])?;
        sides.push((name, bytes));
    }
    compile(dir.path(), "main", &main_source())?;
    let main = link(dir.path(), &["-pie", "--experimental-pic", "--unresolved-symbols=import-dynamic", "--export-dynamic", "-o", "main.wasm", "main.o"])?;
    let libraries: Vec<Library<'_>> = sides.iter().map(|(n, b)| Library { name: n, bytes: b, preload: true }).collect();

    let runner = Runner::new().map_err(anyhow::Error::msg)?;
    let limits = RunLimits::default();
    let engine = wasmtime::Engine::default();
    let modules: Vec<wasmtime::Module> =
        sides.iter().map(|(_, b)| wasmtime::Module::new(&engine, b)).collect::<wasmtime::Result<_>>().map_err(|e| anyhow::anyhow!("{e}"))?;
    let check = runner.run_dynamic(&main, &libraries, &limits);
    if check.exit_code.is_none() {
        bail!("the dynamic program did not exit: {:?} {:?}", check.trap, check.message);
    }
    let (mut all, mut alone, mut plain) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let start = Instant::now();
        runner.run_dynamic(&main, &libraries, &limits);
        all.push(start.elapsed());
        let start = Instant::now();
        runner.run_dynamic(&main, &[], &limits);
        alone.push(start.elapsed());
        let start = Instant::now();
        for m in &modules {
            wasmtime_instantiate(&engine, m).map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        plain.push(start.elapsed() / SIDES as u32);
    }
    let (all, alone, plain) = (median(all), median(alone), median(plain));
    let per_module = all.saturating_sub(alone) / SIDES as u32;
    println!("{SIDES} side modules of {FUNCS} functions each (refld -shared), {runs} runs, medians, modules compiled once");
    println!("  run of main + {SIDES} side modules under the loader: {:>9.1} µs", micros(all));
    println!("  run of main alone under the loader:               {:>9.1} µs", micros(alone));
    println!("  loader, per side module (difference / {SIDES}):        {:>9.1} µs", micros(per_module));
    println!("  wasmtime instantiate, per side module:            {:>9.1} µs", micros(plain));
    println!("  ratio loader / wasmtime instantiate: {:.2}x", micros(per_module) / micros(plain));
    Ok(())
}
