//! Building a [`PicProgram`] both ways with one linker and comparing the
//! runs.

use super::PicProgram;
use linkcheck_core::linker::{Linker, Outcome};
use linkcheck_core::run::{Library, RunLimits, RunResult, Runner};
use std::path::Path;
use std::process::Command;

/// The C compiler the programs are compiled with.
pub const CLANG: &str = "clang-19";
/// Its flags: PIC code, every symbol of default visibility unless hidden.
pub const CFLAGS: [&str; 5] = ["--target=wasm32", "-O1", "-fPIC", "-fvisibility=default", "-c"];

/// Why a program was not checked, or how the two links differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// Both links behaved the same: how many function calls were compared,
    /// how many of them returned (not trapped), and how many host calls.
    Same { calls: usize, returned: usize, host_calls: usize },
    /// The linker refused or failed one of the links (the link, its
    /// outcome): not an equivalence question but a linker report.
    LinkFailed(String),
}

/// A difference between the static and the dynamic link of one program:
/// what differs, both values, and the program's sources and command lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Divergence {
    pub what: String,
    pub static_value: String,
    pub dynamic_value: String,
    pub report: String,
}

impl std::fmt::Display for Divergence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "static and dynamic links differ in {}: static {}, dynamic {}\n{}", self.what, self.static_value, self.dynamic_value, self.report)
    }
}

/// wasm-ld's arguments of a program's links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandLines {
    /// The static link of every module's object (`static.wasm`).
    pub static_link: Vec<String>,
    /// Each side module's link (`libM.so` from `mM.o`), by output name.
    pub sides: Vec<(String, Vec<String>)>,
    /// The main module's link (`main.wasm` from `m0.o`).
    pub main: Vec<String>,
}

/// The command lines of one program's links.
pub fn command_lines(program: &PicProgram) -> CommandLines {
    let n = program.module_count();
    let exports: Vec<String> = program.called().iter().map(|f| format!("--export={f}")).collect();
    let mut static_args: Vec<String> = ["--no-entry", "--allow-undefined", "-o", "static.wasm"].map(String::from).to_vec();
    static_args.extend(exports);
    static_args.extend((0..n).map(|m| format!("m{m}.o")));
    let sides = (1..n)
        .map(|m| {
            let name = format!("lib{m}.so");
            let args = ["-shared", "--experimental-pic", "--unresolved-symbols=import-dynamic", "-o", &name, &format!("m{m}.o")]
                .map(String::from)
                .to_vec();
            (name, args)
        })
        .collect();
    let main = ["-pie", "--experimental-pic", "--unresolved-symbols=import-dynamic", "--export-dynamic", "--no-entry", "-o", "main.wasm", "m0.o"]
        .map(String::from)
        .to_vec();
    CommandLines { static_link: static_args, sides, main }
}

/// Writes and compiles the program's modules (`mM.c` -> `mM.o`) in `dir`.
/// Errors: clang missing (naming the package) or failing (its messages).
pub fn compile(program: &PicProgram, dir: &Path) -> Result<(), String> {
    for m in 0..program.module_count() {
        let source = dir.join(format!("m{m}.c"));
        std::fs::write(&source, program.source(m)).map_err(|e| format!("{}: {e}", source.display()))?;
        let out = Command::new(CLANG)
            .args(CFLAGS)
            .arg(&source)
            .arg("-o")
            .arg(dir.join(format!("m{m}.o")))
            .output()
            .map_err(|e| format!("{CLANG} (Debian package clang-19; scripts/setup.sh installs it): {e}"))?;
        if !out.status.success() {
            return Err(format!("{CLANG} failed on {}:\n{}", source.display(), String::from_utf8_lossy(&out.stderr)));
        }
    }
    Ok(())
}

/// Compiles `program` in a fresh folder, links it both ways with `linker`,
/// runs both and compares: `Ok(Same)` when they agree, `Ok(LinkFailed)`
/// when a link did not produce a module, `Err` on a divergence. Errors
/// of the harness itself (clang) are `Ok(LinkFailed)` too, saying so.
pub fn check_equivalence(program: &PicProgram, linker: &Linker, runner: &Runner) -> Result<Checked, Divergence> {
    let program = program.normalized();
    let dir = match tempfile::Builder::new().prefix("linkcheck-equiv-").tempdir() {
        Ok(d) => d,
        Err(e) => return Ok(Checked::LinkFailed(format!("temporary folder: {e}"))),
    };
    if let Err(e) = compile(&program, dir.path()) {
        return Ok(Checked::LinkFailed(e));
    }
    let CommandLines { static_link: static_args, sides, main: main_args } = command_lines(&program);
    let bytes_of = |args: &[String]| -> Result<Vec<u8>, String> {
        match linker.link(args, dir.path()) {
            Outcome::Linked { bytes, .. } => Ok(bytes),
            other => Err(format!("{} {}: {}", linker.name(), args.join(" "), other.kind())),
        }
    };
    let static_bytes = match bytes_of(&static_args) {
        Ok(b) => b,
        Err(e) => return Ok(Checked::LinkFailed(e)),
    };
    let mut side_bytes = Vec::new();
    for (name, args) in &sides {
        match bytes_of(args) {
            Ok(b) => {
                side_bytes.push((name.clone(), b));
            }
            Err(e) => return Ok(Checked::LinkFailed(e)),
        }
    }
    let main = match bytes_of(&main_args) {
        Ok(b) => b,
        Err(e) => return Ok(Checked::LinkFailed(e)),
    };
    let limits = RunLimits { fuel: 50_000_000, ..RunLimits::default() };
    let names = program.called();
    let static_run = runner.run(&static_bytes, &limits);
    let libraries: Vec<Library<'_>> = side_bytes.iter().map(|(n, b)| Library { name: n, bytes: b, preload: true }).collect();
    let dynamic_run = runner.run_dynamic_calling(&main, &libraries, &names, &limits);
    let same = Checked::Same {
        calls: static_run.calls.len(),
        returned: static_run.calls.iter().filter(|c| c.result.starts_with('(')).count(),
        host_calls: static_run.host_calls.len(),
    };
    compare(&static_run, &dynamic_run).map(|()| same).map_err(|(what, s, d)| Divergence {
        what,
        static_value: s,
        dynamic_value: d,
        report: describe(&program, linker, &static_args, &sides, &main_args, &dynamic_run),
    })
}

/// The first difference of two runs: (what, static value, dynamic value).
fn compare(s: &RunResult, d: &RunResult) -> Result<(), (String, String, String)> {
    let trap = |r: &RunResult| format!("{:?} {}", r.trap, r.message.as_deref().unwrap_or(""));
    if s.trap != d.trap || s.exit_code != d.exit_code {
        return Err(("the run's end".into(), trap(s), trap(d)));
    }
    let calls = |r: &RunResult| r.calls.iter().map(|c| format!("{}({}) = {}", c.name, c.args.join(", "), c.result)).collect::<Vec<_>>();
    if calls(s) != calls(d) {
        return Err(("the calls".into(), calls(s).join("; "), calls(d).join("; ")));
    }
    let hosts = |r: &RunResult| r.host_calls.iter().map(|c| c.describe()).collect::<Vec<_>>();
    if hosts(s) != hosts(d) {
        return Err(("the host calls".into(), hosts(s).join("; "), hosts(d).join("; ")));
    }
    Ok(())
}

fn describe(
    program: &PicProgram,
    linker: &Linker,
    static_args: &[String],
    sides: &[(String, Vec<String>)],
    main: &[String],
    dynamic_run: &RunResult,
) -> String {
    let mut out = format!("linker {}\nstatic: {}\n", linker.name(), static_args.join(" "));
    for (_, args) in sides {
        out += &format!("side: {}\n", args.join(" "));
    }
    out += &format!("main: {}\n", main.join(" "));
    if let Some(m) = &dynamic_run.message {
        out += &format!("dynamic run: {m}\n");
    }
    for m in 0..program.module_count() {
        out += &format!("--- m{m}.c\n{}", program.source(m));
    }
    out
}
