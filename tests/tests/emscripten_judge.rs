//! Emscripten's own loader as an external judge of side modules (issue #12).
//!
//! A fixed `-sMAIN_MODULE=1` host (tests/emscripten/host.c, built once with
//! Debian's emcc 3.1.6) loads side modules named on node's command line.
//! Each case compiles its C sources with emcc, links them into a side module
//! with refld and with rust-lld (wasm-ld 22) on emcc's own `-sSIDE_MODULE`
//! wasm-ld line, runs both under the host and holds both runs to the same
//! stdout and exit status, and to the values worked out by hand from the C
//! sources. tests/emscripten/README.md says how the host is built and why its
//! pre-js adapts the 2022 loader to today's `__wasm_apply_data_relocs`.
//!
//! Nothing is skipped: a missing `emcc` or `node` fails the test, naming
//! scripts/setup.sh.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The folder of the host and side sources.
const SOURCES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/emscripten");

/// emcc's flags for the host: a main module exporting all of libc, its
/// side modules named by the pre-js; the exit status is main's result
/// (`EXIT_RUNTIME`); i64 crosses JS as BigInt (`WASM_BIGINT`); `side_main`
/// and `side_value` are left to the side module (`ERROR_ON_UNDEFINED_SYMBOLS=0`).
const HOST_FLAGS: &[&str] =
    &["-O1", "-sMAIN_MODULE=1", "-sEXIT_RUNTIME=1", "-sWASM_BIGINT=1", "-sERROR_ON_UNDEFINED_SYMBOLS=0"];

/// emcc 3.1.6's compile flags for a side module's object. `emcc -v` shows
/// they reach clang-14 as `-target wasm32-unknown-emscripten -fPIC
/// -fvisibility=default` (plus emscripten's defines and `-mllvm` options);
/// `emcc -fPIC -c` gives the same clang line.
const OBJECT_FLAGS: &[&str] = &["-sSIDE_MODULE=1", "-O1", "-c"];

/// The sysroot folder emcc 3.1.6 puts on its side-module wasm-ld line.
const EMSCRIPTEN_PIC_LIBS: &str = "-L/usr/share/emscripten/cache/sysroot/lib/wasm32-emscripten/pic";

/// emcc 3.1.6's wasm-ld options for `-sSIDE_MODULE=1` after the inputs, as
/// `emcc -v -sSIDE_MODULE=1` prints them (it runs `/usr/bin/wasm-ld-14`).
const EMCC_SIDE_FLAGS: &[&str] = &[
    "-mllvm",
    "-combiner-global-alias-analysis=false",
    "-mllvm",
    "-enable-emscripten-sjlj",
    "-mllvm",
    "-disable-lsr",
    "--import-undefined",
    "--import-memory",
    "--strip-debug",
    "--export-dynamic",
    "--no-gc-sections",
    "--export-if-defined=main",
    "--export-if-defined=__start_em_asm",
    "--export-if-defined=__stop_em_asm",
    "--export-if-defined=setThrew",
    "--export-if-defined=stackSave",
    "--export-if-defined=stackRestore",
    "--export-if-defined=stackAlloc",
    "--export-if-defined=__wasm_call_ctors",
    "--export-if-defined=__errno_location",
    "--export-if-defined=malloc",
    "--export-if-defined=free",
    "--experimental-pic",
    "-shared",
];

/// What wasm-ld 19 and later need beyond emcc 3.1.6's line: without it an
/// undefined data symbol (the host's `host_data`) is an error under
/// `-shared`, where wasm-ld 14 imported it
/// ([`emcc_3_1_6_line_rejects_undefined_data`]).
const IMPORT_DYNAMIC: &str = "--unresolved-symbols=import-dynamic";

/// The pre-js switch that leaves Emscripten 3.1.6's loader unadapted.
const UNADAPTED: &str = "REFLD_EMSCRIPTEN_UNADAPTED";

/// One side module: its sources (linked in this order) and what the host
/// prints and exits with, worked out by hand from the sources.
struct Case {
    sources: &'static [&'static str],
    stdout: &'static str,
    status: i32,
}

/// `host_add` and `host_note` from the side module, and `host_mul64` with
/// i64 parameters; the host prints `side_value` (11) and `side_main`'s
/// 11 + 1.
const CALLBACK: Case = Case {
    sources: &["callback.c"],
    stdout: "callback.add=42\ncallback.mul64=1000\nside_value=11\nside_main=12\n",
    status: 12,
};

/// The side module adds 5 and then 6 to its exported `side_value` (1000);
/// the host reads 1011 through its own GOT entry.
const DATA: Case = Case { sources: &["data.c"], stdout: "side_value=1011\nside_main=2\n", status: 2 };

/// `*p + *q` = 5 + 30 printed under the name `msg` points to, the host's
/// 77 through `hp`, and `*p` returned.
const DATA_RELOCS: Case = Case {
    sources: &["data_relocs.c"],
    stdout: "relocs=35\nhost_data=77\nside_value=3\nside_main=5\n",
    status: 5,
};

/// `fp(21)` = host_twice(21) = 42; `host_call(own, 9)` = 9 + 1 and
/// `host_call(fp, 1)` = 2, 12 in all.
const FUNC_PTRS: Case = Case { sources: &["func_ptrs.c"], stdout: "side_value=42\nside_main=12\n", status: 12 };

/// The priority-200 constructor reads 20 through `pb`, the default one adds
/// 30; `side_main` gives 50 + 1.
const CTOR: Case = Case {
    sources: &["ctor.c"],
    stdout: "ctor.early=20\nctor.late=50\nside_value=50\nside_main=51\n",
    status: 51,
};

/// strong.c's `pick` (2) and `side_value` (300) beat weak.c's weak ones;
/// `weak_only` (10) and `weak_data` (4) keep their weak definitions:
/// 2 * 10 + 10 + 4 = 34.
const WEAK: Case = Case { sources: &["weak.c", "strong.c"], stdout: "side_value=300\nside_main=34\n", status: 34 };

#[test]
fn side_module_calls_back_into_the_host() {
    judge(&CALLBACK);
}

#[test]
fn host_reads_data_the_side_module_exports() {
    judge(&DATA);
}

#[test]
fn pointers_in_data_are_relocated_at_load_time() {
    judge(&DATA_RELOCS);
}

#[test]
fn function_pointers_cross_modules() {
    judge(&FUNC_PTRS);
}

#[test]
fn side_module_constructors_run_in_priority_order() {
    judge(&CTOR);
}

#[test]
fn strong_definitions_beat_weak_ones() {
    judge(&WEAK);
}

#[test]
fn unadapted_loader_misses_data_relocations() {
    // The known limit the pre-js works around: Emscripten 3.1.6's loader
    // never calls __wasm_apply_data_relocs, which refld and rust-lld export
    // instead of calling it from __wasm_call_ctors. Unadapted, the
    // constructor reads through an unrelocated pointer; both linkers' modules
    // go wrong the same way.
    let host = host();
    let dir = tempfile::tempdir().expect("temporary folder");
    let objects = compile(CTOR.sources, dir.path());
    let modern = [("refld", Linker::Refld), ("rust-lld", Linker::RustLld)];
    let mut runs = Vec::new();
    for (name, linker) in modern {
        let module = link(linker, &objects, &side_args(true), &dir.path().join(format!("{name}.wasm")))
            .unwrap_or_else(|e| panic!("{name} failed to link ctor.c:\n{e}"));
        assert!(
            exports(&module).contains(&"__wasm_apply_data_relocs".to_string()),
            "{name}'s side module exports no __wasm_apply_data_relocs"
        );
        let run = run_host(&host, &dir.path().join(format!("{name}.wasm")), false);
        assert_ne!(run.stdout, CTOR.stdout, "{name}: the unadapted loader ran the constructors on relocated data");
        runs.push(run);
    }
    assert_eq!(runs[0], runs[1], "refld and rust-lld differ under the unadapted loader");
    // wasm-ld 14 (emcc's own linker) applies the relocations from
    // __wasm_call_ctors, so its module runs right in the unadapted loader.
    let out = dir.path().join("wasm-ld-14.wasm");
    link(Linker::Program(PathBuf::from("/usr/bin/wasm-ld-14")), &objects, &side_args(false), &out)
        .unwrap_or_else(|e| panic!("wasm-ld-14 failed to link ctor.c:\n{e}"));
    let run = run_host(&host, &out, false);
    assert_eq!((run.stdout.as_str(), run.status), (CTOR.stdout, CTOR.status), "wasm-ld-14 under the unadapted loader");
}

#[test]
fn emcc_3_1_6_line_rejects_undefined_data() {
    // The known limit behind IMPORT_DYNAMIC: on emcc 3.1.6's own line,
    // wasm-ld 22 rejects the undefined data symbol host_data (wasm-ld 14
    // imported it); refld gives the same error.
    let dir = tempfile::tempdir().expect("temporary folder");
    let objects = compile(DATA_RELOCS.sources, dir.path());
    let args = side_args(false);
    let ours = link(Linker::Refld, &objects, &args, &dir.path().join("refld.wasm")).expect_err("refld linked");
    let theirs = link(Linker::RustLld, &objects, &args, &dir.path().join("lld.wasm")).expect_err("rust-lld linked");
    assert_eq!(ours, "error: data_relocs.o: undefined symbol: host_data");
    assert_eq!(ours, theirs);
    let old = dir.path().join("wasm-ld-14.wasm");
    link(Linker::Program(PathBuf::from("/usr/bin/wasm-ld-14")), &objects, &args, &old)
        .unwrap_or_else(|e| panic!("wasm-ld-14 rejected emcc's own line:\n{e}"));
}

/// Compiles the case, links it with refld and rust-lld, runs both under
/// the adapted host; both must agree with each other and with the case.
fn judge(case: &Case) {
    let host = host();
    let dir = tempfile::tempdir().expect("temporary folder");
    let objects = compile(case.sources, dir.path());
    let args = side_args(true);
    let mut runs = Vec::new();
    for (name, linker) in [("refld", Linker::Refld), ("rust-lld", Linker::RustLld)] {
        let out = dir.path().join(format!("{name}.wasm"));
        if let Err(e) = link(linker, &objects, &args, &out) {
            panic!("{name} failed to link {:?}:\n{e}", case.sources);
        }
        let run = run_host(&host, &out, true);
        runs.push((name, run));
    }
    let (refld, lld) = (&runs[0].1, &runs[1].1);
    assert_eq!(
        (&refld.stdout, refld.status),
        (&lld.stdout, lld.status),
        "{:?}: refld's side module and rust-lld's run differently\nrefld stderr: {}\nrust-lld stderr: {}",
        case.sources,
        refld.stderr,
        lld.stderr
    );
    assert_eq!(
        (refld.stdout.as_str(), refld.status),
        (case.stdout, case.status),
        "{:?}: not what the sources compute\nstderr: {}",
        case.sources,
        refld.stderr
    );
}

/// The side-module link line without `-o` and inputs: emcc 3.1.6's own,
/// plus [`IMPORT_DYNAMIC`] when `modern`.
fn side_args(modern: bool) -> Vec<String> {
    let mut args: Vec<String> = EMCC_SIDE_FLAGS.iter().map(|s| s.to_string()).collect();
    if modern {
        args.push(IMPORT_DYNAMIC.to_string());
    }
    args
}

/// A linker under judgement.
enum Linker {
    /// refld in-process, through the driver the `refld` binary runs
    /// (`refld::driver::link_command_line`; refld is not a binary of this
    /// package, so cargo gives no path to it here).
    Refld,
    /// The Rust toolchain's wasm-ld 22.
    RustLld,
    /// A wasm-ld at this path.
    Program(PathBuf),
}

/// Links `objects` into `out` as emcc does (`-o OUT --whole-archive
/// OBJECTS -L... --no-whole-archive ARGS`). Returns the module, or the
/// linker's errors one per line as `error: MESSAGE`.
fn link(linker: Linker, objects: &[PathBuf], args: &[String], out: &Path) -> Result<Vec<u8>, String> {
    let mut argv = vec!["-o".to_string(), out.display().to_string(), "--whole-archive".to_string()];
    argv.extend(objects.iter().map(|o| o.file_name().expect("an object name").to_string_lossy().into_owned()));
    argv.push(EMSCRIPTEN_PIC_LIBS.to_string());
    argv.push("--no-whole-archive".to_string());
    argv.extend(args.iter().cloned());
    let cwd = objects[0].parent().expect("the objects' folder");
    let program = match linker {
        Linker::Refld => {
            let outcome = refld::driver::link_command_line(&argv, cwd);
            return match outcome.bytes {
                Some(bytes) => {
                    std::fs::write(out, &bytes).expect("writing refld's output");
                    Ok(bytes)
                }
                None => Err(errors(outcome.diagnostics.iter().map(|d| d.to_string()))),
            };
        }
        Linker::RustLld => testkit::rust_lld(),
        Linker::Program(p) => {
            assert!(p.is_file(), "{} is missing: run scripts/setup.sh", p.display());
            p
        }
    };
    let o = Command::new(&program)
        .args(&argv)
        .current_dir(cwd)
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}", program.display()));
    if !o.status.success() {
        // lld prefixes each line with the name it was run as.
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        return Err(errors(stderr.lines().map(|l| l.split_once(": ").map_or(l, |(_, rest)| rest).to_string())));
    }
    Ok(std::fs::read(out).expect("reading the linker's output"))
}

/// The `error: ` lines of `lines`, joined by newlines.
fn errors(lines: impl Iterator<Item = String>) -> String {
    lines.filter(|l| l.starts_with("error: ")).collect::<Vec<_>>().join("\n")
}

/// The names a module exports.
fn exports(module: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(module) {
        if let Ok(wasmparser::Payload::ExportSection(section)) = payload {
            names.extend(section.into_iter().map(|e| e.expect("an export").name.to_string()));
        }
    }
    names
}

/// Compiles each source of tests/emscripten/side with emcc into `dir`;
/// returns the objects, in order.
fn compile(sources: &[&str], dir: &Path) -> Vec<PathBuf> {
    sources
        .iter()
        .map(|source| {
            let object = dir.join(Path::new(source).with_extension("o"));
            let mut emcc = Command::new("emcc");
            emcc.args(OBJECT_FLAGS).arg(Path::new(SOURCES).join("side").join(source)).arg("-o").arg(&object);
            let o = run_tool(&mut emcc, "emcc");
            assert!(o.status.success(), "emcc failed on {source}:\n{}", String::from_utf8_lossy(&o.stderr));
            object
        })
        .collect()
}

/// Runs a tool; a tool that cannot be started fails the test, naming
/// scripts/setup.sh (package emscripten brings emcc and node).
fn run_tool(command: &mut Command, name: &str) -> Output {
    command.output().unwrap_or_else(|e| {
        panic!("{name} could not be run ({e}): run scripts/setup.sh (Debian package emscripten brings emcc and node)")
    })
}

/// What a run of the host printed and exited with.
#[derive(Debug, PartialEq, Eq)]
struct Run {
    stdout: String,
    status: i32,
    /// Not compared: it carries paths and node's version.
    stderr: String,
}

/// Runs the host with one side module, adapted (see pre.js) or not.
fn run_host(host: &Path, side: &Path, adapted: bool) -> Run {
    let mut node = Command::new("node");
    // Without the flag node 18+ hands the loader fetch(), which cannot read
    // a file path.
    node.arg("--no-experimental-fetch").arg(host).arg(side);
    if adapted {
        node.env_remove(UNADAPTED);
    } else {
        node.env(UNADAPTED, "1");
    }
    let o = run_tool(&mut node, "node");
    Run {
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        // A signal (no code) is not an exit status any case expects.
        status: o.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// The host's `host.js`, built once per source change: under the cargo
/// target folder's test scratch space, keyed by a hash of host.c, pre.js,
/// the flags and `emcc --version` (building takes about 1.5 s).
fn host() -> PathBuf {
    static HOST: OnceLock<PathBuf> = OnceLock::new();
    HOST.get_or_init(build_host).clone()
}

fn build_host() -> PathBuf {
    let c = Path::new(SOURCES).join("host.c");
    let pre = Path::new(SOURCES).join("pre.js");
    let version = run_tool(Command::new("emcc").arg("--version"), "emcc");
    assert!(version.status.success(), "emcc --version failed: run scripts/setup.sh");
    let mut h = DefaultHasher::new();
    for bytes in [std::fs::read(&c).expect("host.c"), std::fs::read(&pre).expect("pre.js"), version.stdout] {
        bytes.hash(&mut h);
    }
    HOST_FLAGS.hash(&mut h);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("emscripten-host-{:016x}", h.finish()));
    let js = dir.join("host.js");
    if js.is_file() {
        return js;
    }
    // Built aside and renamed into place, so an interrupted build is never
    // taken for a finished one.
    let scratch = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("scratch folder");
    let mut emcc = Command::new("emcc");
    emcc.args(HOST_FLAGS).arg("--pre-js").arg(&pre).arg(&c).arg("-o").arg(scratch.path().join("host.js"));
    let o = run_tool(&mut emcc, "emcc");
    assert!(o.status.success(), "emcc failed to build the host:\n{}", String::from_utf8_lossy(&o.stderr));
    if std::fs::rename(scratch.path(), &dir).is_err() {
        // Another test process finished first.
        assert!(js.is_file(), "could not move the host into {}", dir.display());
    }
    js
}
