//! The programs: what to compile (with which flags), which archives to
//! make and what to link. Our own sources live in `tests/programs/NAME/`;
//! the libraries' sources are read in place from cargo's cache. `rust_std`
//! is built by rustc instead (`rust.rs`).

use crate::real::cache::Unit;
use crate::real::sources::Sources;
use crate::real::tools::{self, Tools};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// The programs, in the order `all()` builds them.
pub const NAMES: [&str; 8] = ["sqlite", "lua", "zlib", "cpp", "multi", "zlib64", "zlib_threads", "rust_std"];

/// The programs that link wasi-libc and can link Zig's instead
/// ([`crate::real::Libc::Zig`]). Left out: `cpp`, as Zig's libc++ headers
/// (LLVM 21's, `lib/libcxx/include/__configuration/compiler.h`) support
/// only Clang 20 and later, and the programs are compiled by clang-19;
/// `zlib64` and `zlib_threads`, freestanding (no libc); `rust_std`, whose
/// libc is Debian's self-contained one inside Rust's rlibs (Zig refusing
/// it is a real outcome).
pub const ZIG_LIBC_NAMES: [&str; 4] = ["sqlite", "lua", "zlib", "multi"];

/// The folder of `tests/programs/` holding a program's own sources: the
/// two freestanding zlib builds share `zlib_solo`.
pub fn source_dir(name: &str) -> &str {
    match name {
        "zlib64" | "zlib_threads" => "zlib_solo",
        other => other,
    }
}

/// The exit code of a correct run: 0, but for the freestanding builds,
/// which print nothing and exit with `60 + (adler32 ^ crc32) % 40` of
/// their input (+20 if it did not compress below half). 96: adler32
/// 0x15b8e2a4, crc32 0x115a2940, 3998 bytes at level 9, computed
/// independently with Python's zlib module.
pub fn expected_exit(name: &str) -> i32 {
    match name {
        "zlib64" | "zlib_threads" => 96,
        _ => 0,
    }
}

/// Lines each program prints when it runs correctly: a test that links and
/// runs a program asserts these appear (in this order) on its stdout. They
/// follow from the programs' sources and the C libraries' semantics, not
/// from any linker's output.
pub fn expected_lines(name: &str) -> &'static [&'static str] {
    match name {
        "sqlite" => &[
            "row: id=5 name=elderberry qty=40 price=0.2",
            "row: id=1 name=apple qty=3 price=0.5",
            // Rows with qty > 1: apple, banana, cherry, elderberry.
            "aggregate: count=4 sum=255 avg=0.2500 total=22.500",
            "fn: shout=APPLE len=5 cost=1.50",
            "sqlite done",
        ],
        "lua" => &[
            "closure: 16",
            "squares: 1,4,9,16,25,36,49,64,81,100",
            "sum: 385",
            "sorted: BROWN DOG FOX JUMPS LAZY OVER QUICK THE THE",
            "floats: 3.142 0.333333   2.2 1.234568e+04",
            "int/float: 3 3.5 float",
            "fib(40): 102334155",
            // LUA_USE_C89: lua_Integer is a 32-bit long on wasm32.
            "maxinteger: 2147483647",
            "lua done",
        ],
        "zlib" => &[
            // Checksums of the generated input, computed independently
            // (Python's zlib module).
            "input: 100000 bytes adler32=6c3b7580 crc32=82927c05",
            "level 1: 100000 -> ",
            "level 9: 100000 -> ",
            "zlib done",
        ],
        "cpp" => &[
            "init order: b:150 a:200 b:300 a:default",
            "area circle = 3.1416",
            "area square = 9.0000",
            "area triangle = 6.9282",
            "repeated words: be=2 to=2",
            "cpp done",
        ],
        "multi" => &[
            "ctor main:101",
            "ctor table:102",
            "ctor ext_used:103",
            "op add(7, 5) = 12",
            "op sub(7, 5) = 2",
            "op mul(7, 5) = 35",
            "message 1: second (from table.c)",
            "counter via pointer: 3",
            "statics: main.c ops.c table.c",
            "tuning() = 42, default_level = 7, build_flavor() = weak-default",
            "optional_feature: absent",
            "optional_counter: absent",
            "ext_checksum(\"wasm\") = 3857508",
            "ext_primes sum = 77",
            "multi done",
            "dtor main",
        ],
        // tests/programs/rust_std/main.rs, run without arguments or
        // preopened directories.
        "rust_std" => &[
            // "the" three times; no other word twice.
            "repeated: [(\"the\", 3)]",
            // the, fox, dog, the, the, end / over, lazy / quick, brown, jumps
            "by length: 3:6 4:2 5:3",
            // The sentence is a pangram.
            "distinct letters: 26",
            "heap top3: [9, 8, 5]",
            "ring: [0, 3, 4, 5, 1, 2]",
            "sum of squares: 385",
            // pi * 1.5^2 = 7.06858...; 2 * 3.25 = 6.5
            "area circle=   7.0686",
            "area rect  =   6.5000",
            "debug: Rect { w: 1.0, h: 0.5 }",
            "hex 0xbeef oct 10 bin 00000101 sci 1.2345e3",
            "money: $1234.56 $0.07",
            // {:.0} rounds half to even: 2.5 -> 2.
            "padded: [   mid   ] [+42] [2]",
            "reversed: MSAW",
            "parsed: Ok(1234) true",
            // std's wasi layer finds no preopened directory for the path.
            "open without preopens: error (Uncategorized)",
            "written through File(fd 1)",
            "stdout filestat: answered",
            "stdin bytes: 0",
            "rust_std done",
        ],
        _ => &[],
    }
}

/// Text that must never appear on a program's stdout (code from archive
/// members that must stay unextracted).
pub fn forbidden_text(name: &str) -> &'static [&'static str] {
    match name {
        "multi" => &["MUST NOT RUN"],
        _ => &[],
    }
}

/// What to compile and link for one program.
pub(crate) struct Recipe {
    /// Objects linked directly, in command-line order.
    pub objects: Vec<Unit>,
    /// Archives: file path, its members, and how it is named on the link
    /// line (its path, or `-L DIR -lNAME`).
    pub archives: Vec<ArchiveSpec>,
    /// Link libc++ and libc++abi.
    pub cxx: bool,
    /// Extra `-l` flags given before `-lc` (wasi-libc's emulation archives).
    pub libs: Vec<&'static str>,
    /// A freestanding program: these flags instead of crt1, libc and the
    /// builtins (`-m wasm64`, `--shared-memory ...`).
    pub freestanding: Option<Vec<&'static str>>,
}

/// One static archive of a program.
pub(crate) struct ArchiveSpec {
    pub path: PathBuf,
    pub members: Vec<Unit>,
    /// True: `-L<folder> -l<name>`; false: the archive's path.
    pub by_search: bool,
}

/// The wasi-libc a program compiles against and links with: Debian's
/// ([`Sysroot::debian`]) or Zig's (`zig_libc.rs`).
pub(crate) struct Sysroot {
    /// Header flags of every C and C++ compile (after the target).
    pub headers: Vec<String>,
    /// The command start file, linked first.
    pub crt1: String,
    /// The folder of `libc.a` (and of the emulation archives, if any).
    pub lib_dir: String,
    /// Given after `-lc`: compiler-rt, and Zig's `libzigc.a`.
    pub after_libc: Vec<String>,
    /// Whether the `-lwasi-emulated-*` archives exist on their own (Zig
    /// folds them into `libc.a`).
    pub emulation_archives: bool,
}

impl Sysroot {
    /// Debian's wasi-libc (`/usr/include/wasm32-wasi`, `/usr/lib/wasm32-wasi`)
    /// and clang-19's builtins.
    pub fn debian() -> Sysroot {
        Sysroot {
            headers: vec!["--sysroot=/".into(), "-isystem".into(), tools::WASI_INCLUDE.into()],
            crt1: tools::CRT1_COMMAND.into(),
            lib_dir: tools::WASI_LIB.into(),
            after_libc: vec![tools::BUILTINS.into()],
            emulation_archives: true,
        }
    }
}

/// The common start of a C compile command.
fn c_command(tools: &Tools, sysroot: &Sysroot, flags: &[String]) -> Vec<String> {
    let mut cmd = vec![tools.clang.to_string_lossy().into_owned(), "--target=wasm32-wasi".into()];
    cmd.extend(sysroot.headers.iter().cloned());
    cmd.push("-O2".into());
    cmd.extend(flags.iter().cloned());
    cmd
}

fn unit(command: Vec<String>, source: PathBuf, obj_dir: &Path) -> Result<Unit> {
    let stem = source
        .file_stem()
        .with_context(|| format!("no file name in {}", source.display()))?;
    let object = obj_dir.join(stem).with_extension("o");
    Ok(Unit {
        source,
        object,
        command,
    })
}

fn include(dir: &Path) -> String {
    format!("-I{}", dir.display())
}

/// The `.c` files of `dir`, sorted, without those named in `skip`.
fn c_files(dir: &Path, skip: &[&str]) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "c"))
        .filter(|p| !skip.iter().any(|s| p.file_name().is_some_and(|n| n == *s)))
        .collect();
    files.sort();
    Ok(files)
}

/// The recipe of `name`, with objects placed under `out` (the program's
/// cache folder) and our own sources read from `own` (tests/programs/NAME).
pub(crate) fn recipe(
    name: &str,
    tools: &Tools,
    sysroot: &Sysroot,
    src: &Sources,
    own: &Path,
    out: &Path,
) -> Result<Recipe> {
    let mut r = Recipe {
        objects: vec![],
        archives: vec![],
        cxx: false,
        libs: vec![],
        freestanding: None,
    };
    match name {
        "sqlite" => {
            let flags: Vec<String> = [
                "-DSQLITE_THREADSAFE=0",
                "-DSQLITE_OMIT_LOAD_EXTENSION",
                "-DSQLITE_OMIT_WAL",
                "-D_WASI_EMULATED_MMAN",
                "-D_WASI_EMULATED_GETPID",
            ]
            .iter()
            .map(|s| s.to_string())
            .chain([include(&src.sqlite)])
            .collect();
            let cmd = c_command(tools, sysroot, &flags);
            r.objects.push(unit(cmd.clone(), own.join("main.c"), out)?);
            r.objects
                .push(unit(cmd, src.sqlite.join("sqlite3.c"), out)?);
            r.libs = vec!["-lwasi-emulated-mman", "-lwasi-emulated-getpid"];
        }
        "lua" => {
            // No setjmp in wasi-libc: errors abort, and ldo.c's
            // #include <setjmp.h> finds our empty header first.
            let flags: Vec<String> = [
                "-DLUAI_THROW(L,c)=abort()",
                "-DLUAI_TRY(L,c,a)=a",
                "-Dluai_jmpbuf=int",
                "-DLUA_USE_C89",
                "-D_WASI_EMULATED_SIGNAL",
                "-D_WASI_EMULATED_PROCESS_CLOCKS",
            ]
            .iter()
            .map(|s| s.to_string())
            .chain([include(&own.join("include")), include(&src.lua)])
            .collect();
            let cmd = c_command(tools, sysroot, &flags);
            r.objects.push(unit(cmd.clone(), own.join("main.c"), out)?);
            let lib_dir = out.join("lib");
            for f in c_files(&src.lua, &["lua.c", "luac.c", "onelua.c"])? {
                r.objects.push(unit(cmd.clone(), f, &lib_dir)?);
            }
            r.libs = vec!["-lwasi-emulated-signal", "-lwasi-emulated-process-clocks"];
        }
        "zlib" => {
            let cmd = c_command(tools, sysroot, &["-DHAVE_UNISTD_H".into(), include(&src.zlib)]);
            r.objects.push(unit(cmd.clone(), own.join("main.c"), out)?);
            let lib_dir = out.join("lib");
            let members = c_files(&src.zlib, &[])?
                .into_iter()
                .map(|f| unit(cmd.clone(), f, &lib_dir))
                .collect::<Result<_>>()?;
            // Given by path: the linker extracts the members it needs.
            r.archives.push(ArchiveSpec {
                path: out.join("libzlib.a"),
                members,
                by_search: false,
            });
        }
        "cpp" => {
            let cmd = vec![
                tools.clangxx.to_string_lossy().into_owned(),
                "--target=wasm32-wasi".into(),
                "--sysroot=/".into(),
                "-isystem".into(),
                tools::LIBCXX_INCLUDE.into(),
                "-isystem".into(),
                tools::WASI_INCLUDE.into(),
                "-O2".into(),
                "-std=c++17".into(),
                "-fno-exceptions".into(),
            ];
            for f in ["a.cpp", "b.cpp"] {
                r.objects.push(unit(cmd.clone(), own.join(f), out)?);
            }
            r.cxx = true;
        }
        "multi" => {
            let cmd = c_command(tools, sysroot, &[]);
            for f in ["main.c", "ops.c", "table.c", "strong.c"] {
                r.objects.push(unit(cmd.clone(), own.join(f), out)?);
            }
            let lib_dir = out.join("lib");
            // Member order matters to the linker's scan; keep it fixed.
            let members = [
                "ext_used.c",
                "ext_chain.c",
                "ext_data.c",
                "ext_optional.c",
                "ext_unused.c",
            ]
            .iter()
            .map(|f| unit(cmd.clone(), own.join("lib").join(f), &lib_dir))
            .collect::<Result<_>>()?;
            r.archives.push(ArchiveSpec {
                path: out.join("libextra.a"),
                members,
                by_search: true,
            });
        }
        "zlib64" | "zlib_threads" => {
            // No wasm64 or threaded wasi-libc here: zlib alone (Z_SOLO),
            // the gz* files (stdio) left out.
            let (target, extra, link): (&str, &[&str], Vec<&'static str>) = if name == "zlib64" {
                ("--target=wasm64-unknown-unknown", &[], vec!["-m", "wasm64"])
            } else {
                ("--target=wasm32-unknown-unknown", &["-matomics", "-mbulk-memory"], vec!["--shared-memory", "--max-memory=4194304"])
            };
            let mut cmd = vec![tools.clang.to_string_lossy().into_owned(), target.into(), "-O2".into(), "-ffreestanding".into(), "-fno-builtin".into(), "-DZ_SOLO".into()];
            cmd.extend(extra.iter().map(|s| s.to_string()));
            cmd.push(include(&src.zlib));
            r.objects.push(unit(cmd.clone(), own.join("main.c"), out)?);
            let lib_dir = out.join("lib");
            let skip = ["gzclose.c", "gzlib.c", "gzread.c", "gzwrite.c", "compress.c", "uncompr.c"];
            let members = c_files(&src.zlib, &skip)?.into_iter().map(|f| unit(cmd.clone(), f, &lib_dir)).collect::<Result<_>>()?;
            r.archives.push(ArchiveSpec { path: out.join("libz.a"), members, by_search: false });
            r.freestanding = Some(link);
        }
        other => bail!("no real program named `{other}` (known: {NAMES:?})"),
    }
    Ok(r)
}

/// The wasm-ld arguments (without `-o`) that link a built recipe.
pub(crate) fn link_inputs(r: &Recipe, sysroot: &Sysroot) -> Vec<String> {
    if let Some(flags) = &r.freestanding {
        let mut args: Vec<String> = flags.iter().map(|s| s.to_string()).collect();
        args.extend(r.objects.iter().map(|u| u.object.to_string_lossy().into_owned()));
        args.extend(r.archives.iter().map(|a| a.path.to_string_lossy().into_owned()));
        return args;
    }
    let mut args = vec![sysroot.crt1.clone()];
    args.extend(
        r.objects
            .iter()
            .map(|u| u.object.to_string_lossy().into_owned()),
    );
    for a in &r.archives {
        if a.by_search {
            let dir = a.path.parent().expect("archive path has a folder");
            let stem = a
                .path
                .file_stem()
                .expect("archive file name")
                .to_string_lossy();
            args.push(format!("-L{}", dir.display()));
            args.push(format!("-l{}", stem.trim_start_matches("lib")));
        } else {
            args.push(a.path.to_string_lossy().into_owned());
        }
    }
    args.push(format!("-L{}", sysroot.lib_dir));
    if r.cxx {
        args.extend([
            format!("-L{}", tools::LIBCXX_LIB),
            "-lc++".into(),
            "-lc++abi".into(),
        ]);
    }
    if sysroot.emulation_archives {
        args.extend(r.libs.iter().map(|s| s.to_string()));
    }
    args.push("-lc".into());
    args.extend(sysroot.after_libc.iter().cloned());
    args
}
