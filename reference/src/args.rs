//! wasm-ld's command line (rules CLI-*): options with one or two dashes,
//! `--flag=v` and `--flag v`, joined short options (`-lc`, `-L/x`,
//! `-zstack-size=N`), `@response` files, positional inputs in order.

use crate::config::{Config, InputSpec, UnresolvedPolicy, PAGE_SIZE};

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Link(Box<Config>),
    Help,
    Version,
}

/// Reads a file named on the command line (response files,
/// `--allow-undefined-file`). Errors: why it cannot be read.
pub type ReadText<'a> = &'a dyn Fn(&str) -> Result<String, String>;

/// Whether an option takes a value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Arity {
    Flag,
    Value,
}

/// One option: its names (without dashes), arity, and whether it changes
/// the output (for `--help`).
struct Opt {
    names: &'static [&'static str],
    arity: Arity,
    help: &'static str,
    effect: bool,
}

const fn flag(names: &'static [&'static str], help: &'static str) -> Opt {
    Opt { names, arity: Arity::Flag, help, effect: true }
}
const fn value(names: &'static [&'static str], help: &'static str) -> Opt {
    Opt { names, arity: Arity::Value, help, effect: true }
}
const fn inert(names: &'static [&'static str], arity: Arity, help: &'static str) -> Opt {
    Opt { names, arity, help, effect: false }
}

/// CLI-1: the options refld knows. Anything else is an error naming it.
const OPTIONS: &[Opt] = &[
    value(&["o", "output"], "Path of the output module (default a.out)"),
    value(&["L", "library-path"], "Add a directory to the library search path"),
    value(&["l", "library"], "Link libNAME.a found in the -L paths"),
    flag(&["whole-archive"], "Load every member of the following archives"),
    flag(&["no-whole-archive"], "Stop --whole-archive"),
    flag(&["start-lib"], "Treat the following objects as archive members (lazy)"),
    flag(&["end-lib"], "End --start-lib"),
    value(&["entry", "e"], "Name of the entry point symbol (default _start)"),
    flag(&["no-entry"], "No entry point"),
    value(&["export"], "Export symbol NAME (an error if it is not defined)"),
    value(&["export-if-defined"], "Export symbol NAME if it is defined"),
    flag(&["export-all"], "Export every defined symbol"),
    flag(&["export-dynamic", "E"], "Export every non-hidden defined symbol"),
    flag(&["no-export-dynamic"], "Do not export non-hidden symbols (default)"),
    flag(&["export-table"], "Export the indirect function table"),
    flag(&["export-memory"], "Export the memory (default unless --import-memory); --export-memory=NAME exports it as NAME"),
    flag(&["import-memory"], "Import the memory as env.memory"),
    flag(&["import-table"], "Import the indirect function table"),
    value(&["initial-memory"], "Initial memory size, bytes (a multiple of the page size)"),
    value(&["max-memory"], "Maximum memory size, bytes (a multiple of the page size)"),
    value(&["page-size"], "The memory's page size, bytes: 1 or 65536 (default 65536); --page-size=N only"),
    value(&["initial-heap"], "Initial heap size after __heap_base, bytes (a multiple of the page size)"),
    flag(&["shared-memory"], "Shared linear memory; data segments passive, written by __wasm_init_memory"),
    flag(&["no-growable-memory"], "Maximum memory = initial memory"),
    value(&["global-base"], "Address where data starts, bytes (default 1024)"),
    flag(&["pie"], "Position-independent main module (checked; output not supported yet)"),
    flag(&["no-pie"], "Not a position-independent executable (default)"),
    flag(&["shared"], "Position-independent side module (checked; output not supported yet)"),
    flag(&["experimental-pic"], "Silence the -shared/-pie/import-dynamic stability warnings"),
    flag(&["Bdynamic", "dy", "call_shared"], "Search libNAME.so before libNAME.a for the -l options after it (the default in -pie/-shared links; static links: not supported yet)"),
    flag(&["Bstatic", "dn", "static", "non_shared"], "Search only libNAME.a for the -l options after it (the default outside -pie/-shared)"),
    flag(&["Bsymbolic"], "With -shared: bind references to the module's own definitions"),
    value(&["rpath"], "Add a runtime library search path (dylink.0 RUNTIME_PATH)"),
    value(&["table-base"], "First table slot for address-taken functions (default 1)"),
    value(&["z"], "-z stack-size=N: stack size, bytes (default 65536)"),
    flag(&["stack-first"], "Put the stack below the data (default)"),
    flag(&["no-stack-first"], "Put the stack after the data"),
    flag(&["relocatable", "r"], "Write a relocatable object (linking and reloc.* sections) to link again"),
    flag(&["gc-sections"], "Remove unreachable functions and data (default, not with -r)"),
    flag(&["no-gc-sections"], "Keep everything"),
    flag(&["strip-all", "s"], "Strip the name section, producers and debug info"),
    flag(&["strip-debug", "S"], "Strip debug sections"),
    flag(&["compress-relocations"], "Write relocated LEBs of function bodies in their shortest form (needs --strip-debug or --strip-all)"),
    value(&["wrap"], "Use __wrap_NAME for references to NAME, NAME for __real_NAME"),
    value(&["Map"], "Write the map file to FILE"),
    flag(&["build-id"], "Write a build_id section: --build-id[=fast|sha1|tree|uuid|0xHEX|none] (fast by default)"),
    flag(&["print-map", "M"], "Write the map file to standard output"),
    value(&["why-extract"], "Write why each archive member was extracted to FILE (- for stdout)"),
    flag(&["trace", "t"], "Print the name of each input file as it is loaded (TRACE-1)"),
    value(&["trace-symbol", "y"], "Print each file's definition of, or reference to, NAME (TRACE-2)"),
    flag(&["print-gc-sections"], "Print each function, data segment and global garbage collection removes (TRACE-3)"),
    flag(&["no-print-gc-sections"], "Print nothing about garbage collection (default)"),
    value(&["undefined", "u"], "Treat NAME as referenced (extracts archive members)"),
    flag(&["allow-multiple-definition"], "Keep the first of duplicate definitions (also -z muldefs)"),
    flag(&["no-allow-multiple-definition"], "Duplicate definitions are errors (default)"),
    flag(&["growable-table"], "Write the indirect function table without a maximum"),
    flag(&["merge-data-segments"], "Merge .data.*, .rodata.*, .bss.*, .text.* segments by prefix (default)"),
    flag(&["no-merge-data-segments"], "Keep each input segment name an output segment of its own"),
    flag(&["noinhibit-exec"], "Duplicate symbols are warnings (the last definition wins); the output is written"),
    flag(&["fatal-warnings"], "Treat warnings as errors"),
    flag(&["no-fatal-warnings"], "Warnings stay warnings (default)"),
    value(&["unresolved-symbols"], "report-all | ignore-all | import-dynamic"),
    flag(&["error-unresolved-symbols"], "Undefined symbols are errors (default)"),
    flag(&["warn-unresolved-symbols"], "Undefined symbols are warnings"),
    flag(&["allow-undefined"], "Same as --import-undefined --unresolved-symbols=ignore-all"),
    flag(&["import-undefined"], "Undefined functions become imports"),
    value(&["allow-undefined-file"], "Names (one a line) allowed to be undefined: they become imports"),
    flag(&["check-features"], "Check target features (default)"),
    flag(&["emit-relocs"], "Keep the symbol table and relocations (linking, reloc.* sections) in the linked module"),
    flag(&["no-shlib-sigcheck"], "Do not check the signatures of functions shared libraries define (DYN-SHLIB)"),
    value(&["soname"], "The module's name in the name section (default: the output file's name)"),
    value(&["keep-section"], "Keep the linker's section NAME (name, producers, target_features) under --strip-all"),
    value(&["features"], "The output's target features, comma-separated, instead of the inputs' (each used feature must be in it)"),
    value(&["extra-features"], "Target features to add to the output's, comma-separated"),
    flag(&["no-check-features"], "Do not check target features"),
    value(&["m"], "Target emulation: wasm32 or wasm64"),
    value(&["quirk"], "refld only: emulate another linker's measured deviation NAME (see QUIRKS below; none by default)"),
    flag(&["version"], "Print the version and exit"),
    flag(&["v"], "Print the version, then link (if there are inputs)"),
    flag(&["help", "h"], "Print this help and exit"),
    value(&["O"], "Optimisation level: at 1 (the default) and above, merge identical strings"),
    inert(&["lto-O"], Arity::Value, "LTO optimisation level: refld reads no bitcode"),
    inert(&["lto-CGO"], Arity::Value, "LTO code generation level: refld reads no bitcode"),
    inert(&["lto-partitions"], Arity::Value, "LTO partitions: refld reads no bitcode"),
    inert(&["lto-debug-pass-manager"], Arity::Flag, "LTO pass manager log: refld reads no bitcode"),
    inert(&["thinlto-cache-dir"], Arity::Value, "ThinLTO cache: refld reads no bitcode"),
    inert(&["thinlto-cache-policy"], Arity::Value, "ThinLTO cache policy: refld reads no bitcode"),
    inert(&["thinlto-jobs"], Arity::Value, "ThinLTO jobs: refld reads no bitcode"),
    inert(&["save-temps"], Arity::Flag, "Keep LTO's intermediate files: refld reads no bitcode"),
    inert(&["threads"], Arity::Value, "Number of threads: refld links on one"),
    inert(&["verbose"], Arity::Flag, "Log the link's steps: refld has no log"),
    inert(&["error-limit"], Arity::Value, "Errors shown before stopping: refld reports every error of a phase (DIAG-1)"),
    inert(&["no-demangle"], Arity::Flag, "Do not demangle names in diagnostics and the name section: refld never does"),
    inert(&["demangle"], Arity::Flag, "Demangle names (wasm-ld's default: C++ names in diagnostics and the name section): refld writes them mangled, as wasm-ld --no-demangle (OUT-NAMES)"),
    inert(&["color-diagnostics"], Arity::Flag, "Colour diagnostics (also =always|never|auto): refld writes plain text"),
    inert(&["no-color-diagnostics"], Arity::Flag, "No colour in diagnostics: refld writes plain text"),
    inert(&["rsp-quoting"], Arity::Value, "Response file quoting: refld reads posix quoting (CLI-3)"),
    inert(&["mllvm"], Arity::Value, "Options for LLVM: refld runs no LLVM code"),
    inert(&["flavor"], Arity::Value, "rust-lld's flavour selector: refld is wasm-ld only"),
    inert(&["reproduce"], Arity::Value, "Write a tar of the command line and inputs, for bug reports: refld writes none"),
];

/// Joined-prefix options: `-O2`, `--lto-O3`, `-lc`, `-L/x`, `-ofile`,
/// `-zstack-size=N`, `-usym`, `-mwasm32` (CLI-2). Longest names first.
const JOINED: &[&str] = &["lto-CGO", "lto-O", "O", "l", "L", "o", "z", "u", "m", "e", "y"];

fn find(name: &str) -> Option<&'static Opt> {
    OPTIONS.iter().find(|o| o.names.contains(&name))
}

/// The `--help` text: every option, those without effect on the output
/// marked so.
pub fn help_text() -> String {
    let mut s = String::from("OVERVIEW: refld, a reference linker for WebAssembly object files (wasm-ld's command line)\n\nUSAGE: refld [options] file...\n\nOPTIONS:\n");
    for o in OPTIONS {
        let dash = |n: &str| if n.len() == 1 { format!("-{n}") } else { format!("--{n}") };
        let mut names: Vec<String> = o.names.iter().map(|n| dash(n)).collect();
        if o.arity == Arity::Value {
            names[0].push_str(if o.names[0].len() == 1 { " <value>" } else { "=<value>" });
        }
        let note = if o.effect { "" } else { " (accepted without effect on the output)" };
        s.push_str(&format!("  {:<36} {}{}\n", names.join(", "), o.help, note));
    }
    s.push_str("\nQUIRKS (--quirk NAME; reference/SPEC.md QUIRK-*):\n");
    for q in crate::quirks::QUIRKS {
        s.push_str(&format!("  {:<36} {} [{}; {}]\n", q.name, q.summary, q.id, q.linkers));
    }
    s
}

/// CLI-3: expands `@file` arguments (recursively, posix quoting).
fn expand(args: &[String], read: ReadText<'_>, depth: u32) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for a in args {
        match a.strip_prefix('@') {
            Some(path) if depth < 16 => {
                let text = read(path).map_err(|e| format!("cannot open response file {path}: {e}"))?;
                out.extend(expand(&split_response(&text), read, depth + 1)?);
            }
            Some(path) => return Err(format!("response file {path}: nested too deeply")),
            None => out.push(a.clone()),
        }
    }
    Ok(out)
}

/// Splits a response file's text: whitespace separates, quotes group,
/// backslash escapes.
pub fn split_response(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('\''), c) => cur.push(c),
            (_, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
                in_word = true;
            }
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

fn number(opt: &str, v: &str) -> Result<u64, String> {
    let parsed = match v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(h, 16),
        None => v.parse(),
    };
    parsed.map_err(|_| format!("invalid value for --{opt}: {v}"))
}

/// Parses wasm-ld arguments (without argv[0]).
///
/// Errors: an unknown option (`unknown argument: --foo`), a missing or bad
/// value, an unreadable response file, an unsupported mode (`-r`;
/// `-pie` and `-shared` are parsed, and
/// refused after their checks, `config::check_options`).
pub fn parse_args(args: &[String], read: ReadText<'_>) -> Result<Action, String> {
    let args = expand(args, read, 0)?;
    let mut c = Config::default();
    let mut whole = false;
    let mut lazy = false;
    // UND-POLICY: the last of --error-/--warn-unresolved-symbols, the last
    // --unresolved-symbols value, and --allow-undefined anywhere, combined
    // after the loop as wasm-ld's getUnresolvedSymbolPolicy does.
    let mut warn_unresolved = false;
    let mut unresolved_value: Option<UnresolvedPolicy> = None;
    let mut allow_undefined = false;
    // DYN-OPT: --export-dynamic defaults to on with -shared (measured).
    let mut export_dynamic: Option<bool> = None;
    let mut entry_given = false;
    let mut dynamic: Option<bool> = None;
    let mut gc_given: Option<bool> = None;
    let (mut map_path, mut print_map) = (None, false);
    let mut z_muldefs = false;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if !a.starts_with('-') || a == "-" {
            c.inputs.push(InputSpec::File { path: a.clone(), whole_archive: whole, lazy });
            continue;
        }
        let body = a.strip_prefix("--").unwrap_or(&a[1..]);
        // EXP-MEMORY-NAME: `--export-memory=NAME` shares its name with the
        // flag `--export-memory` (wasm-ld's `export_memory_with_name`).
        if let Some(name) = body.strip_prefix("export-memory=") {
            c.export_memory = true;
            c.export_memory_name = Some(name.to_string());
            continue;
        }
        // BUILD-ID: `--build-id` and `--build-id=STYLE` (one name in
        // wasm-ld's table: a flag and a joined form).
        if body == "build-id" {
            c.build_id = Some(crate::config::BuildId::Fast);
            continue;
        }
        if let Some(style) = body.strip_prefix("build-id=") {
            c.build_id = build_id_style(style)?;
            continue;
        }
        // CLI-1 (measured): `--color-diagnostics=always|never|auto`, inert
        // as the flag; any other value is wasm-ld's unknown option.
        if let Some(when) = body.strip_prefix("color-diagnostics=") {
            if !matches!(when, "always" | "never" | "auto") {
                return Err(format!("unknown option: {a}"));
            }
            continue;
        }
        // OPT-PAGE-SIZE: wasm-ld knows only the joined `--page-size=N`
        // (measured: `--page-size N` is an unknown argument).
        if body == "page-size" {
            return Err(format!("unknown argument: {a}"));
        }
        // Nested --start-lib and a stray --end-lib are errors (CLI-LIB).
        if body == "start-lib" && lazy {
            return Err("nested --start-lib".into());
        }
        if body == "end-lib" && !lazy {
            return Err("stray --end-lib".into());
        }
        let (name, mut val) = match body.split_once('=') {
            Some((n, v)) if find(n).is_some() => (n.to_string(), Some(v.to_string())),
            _ => (body.to_string(), None),
        };
        let opt = match find(&name) {
            Some(o) => o,
            None => {
                // Joined short or prefix options: -lc, -O2, --lto-O3.
                let joined = JOINED.iter().find(|p| body.starts_with(*p) && body.len() > p.len() && (p.len() > 1 || !a.starts_with("--")));
                match joined {
                    Some(p) => {
                        val = Some(body[p.len()..].to_string());
                        find(p).expect("joined names are options")
                    }
                    None => return Err(unsupported(a)),
                }
            }
        };
        let v = if opt.arity == Arity::Value {
            match val {
                Some(v) => v,
                None => {
                    let Some(next) = args.get(i) else { return Err(format!("{a}: missing argument")) };
                    i += 1;
                    next.clone()
                }
            }
        } else {
            if val.is_some() {
                return Err(format!("{a}: option takes no value"));
            }
            String::new()
        };
        match opt.names[0] {
            "o" => c.output = v,
            "L" => c.search_paths.push(v),
            "l" => c.inputs.push(InputSpec::Library { name: v, whole_archive: whole, dynamic }),
            // OPT-BDYNAMIC (measured): for the `-l` options after them.
            "Bdynamic" => dynamic = Some(true),
            "Bstatic" => dynamic = Some(false),
            "whole-archive" => whole = true,
            "no-whole-archive" => whole = false,
            "start-lib" => lazy = true,
            "end-lib" => lazy = false,
            "entry" => {
                c.entry = Some(v);
                entry_given = true;
            }
            "no-entry" => {
                c.entry = None;
                entry_given = true;
            }
            "export" => c.exports.push(v),
            "export-if-defined" => c.exports_if_defined.push(v),
            "export-all" => c.export_all = true,
            "export-dynamic" => export_dynamic = Some(true),
            "no-export-dynamic" => export_dynamic = Some(false),
            "pie" => c.pie = true,
            "no-pie" => c.pie = false,
            "shared" => c.shared = true,
            "experimental-pic" => c.experimental_pic = true,
            "Bsymbolic" => c.bsymbolic = true,
            "rpath" => c.rpath.push(v),
            "export-table" => c.export_table = true,
            "export-memory" => c.export_memory = true,
            "import-memory" => c.import_memory = true,
            "import-table" => c.import_table = true,
            "initial-memory" => c.initial_memory = Some(number("initial-memory", &v)?),
            "max-memory" => c.max_memory = Some(number("max-memory", &v)?),
            // OPT-PAGE-SIZE (measured): a decimal number, 1 or 65536.
            "page-size" => {
                let n: u64 = v.parse().map_err(|_| format!("{a}: number expected, but got '{v}'"))?;
                if n != 1 && n != PAGE_SIZE {
                    return Err("--page_size=N must be either 1 or 65536".into());
                }
                c.page_size = Some(n);
            }
            // OPT-INITIAL-HEAP: wasm-ld's `getInteger`, a decimal number.
            "initial-heap" => c.initial_heap = v.parse().map_err(|_| format!("{a}: number expected, but got '{v}'"))?,
            "shared-memory" => c.shared_memory = true,
            "no-growable-memory" => c.no_growable_memory = true,
            "global-base" => c.global_base = Some(number("global-base", &v)?),
            // 0 is wasm-ld's "unset": the default base 1 (measured, LAY-TABLE).
            "table-base" => c.table_base = Some((number("table-base", &v)? as u32).max(1)),
            // OPT-Z (measured): `-z muldefs` is --allow-multiple-definition
            // (wherever it is); a value not starting `stack-size=` or
            // `muldefs` is a warning, at link time.
            "z" => {
                let (key, n) = v.split_once('=').unwrap_or((v.as_str(), ""));
                if !(v.starts_with("muldefs") || v.starts_with("stack-size=")) {
                    c.unknown_z.push(v.clone());
                }
                if key == "stack-size" {
                    c.stack_size = number("z stack-size", n).map_err(|_| format!("invalid stack-size: {n}"))?;
                }
                z_muldefs |= v == "muldefs";
            }
            "stack-first" => c.stack_first = true,
            "no-stack-first" => c.stack_first = false,
            "gc-sections" => gc_given = Some(true),
            "no-gc-sections" => gc_given = Some(false),
            "relocatable" | "r" => c.relocatable = true,
            "strip-all" => c.strip_all = true,
            "strip-debug" => c.strip_debug = true,
            "compress-relocations" => c.compress_relocations = true,
            "undefined" => c.undefined.push(v),
            "wrap" => c.wrap.push(v),
            "why-extract" => c.why_extract = Some(v),
            "soname" => c.soname = Some(v),
            "no-shlib-sigcheck" => c.shlib_sigcheck = false,
            "emit-relocs" => c.emit_relocs = true,
            "keep-section" => c.keep_sections.push(v),
            "features" => c.features = Some(feature_list(&v)),
            "extra-features" => c.extra_features.extend(feature_list(&v)),
            "trace" => c.trace = true,
            "trace-symbol" => c.trace_symbols.push(v),
            "print-gc-sections" => c.print_gc_sections = true,
            "no-print-gc-sections" => c.print_gc_sections = false,
            // MAP-1: `-M` wins over any `-Map` (measured); the last `-Map` counts.
            "Map" => map_path = Some(v),
            "print-map" => print_map = true,
            "allow-multiple-definition" => c.allow_multiple_definition = true,
            "no-allow-multiple-definition" => c.allow_multiple_definition = false,
            "growable-table" => c.growable_table = true,
            "merge-data-segments" => c.merge_data_segments = true,
            "no-merge-data-segments" => c.merge_data_segments = false,
            "noinhibit-exec" => c.noinhibit_exec = true,
            "fatal-warnings" => c.fatal_warnings = true,
            "no-fatal-warnings" => c.fatal_warnings = false,
            "unresolved-symbols" => {
                unresolved_value = Some(match v.as_str() {
                    // Stands for "error or warn", whichever the flags chose.
                    "report-all" => UnresolvedPolicy::ReportAll,
                    "ignore-all" => UnresolvedPolicy::IgnoreAll,
                    "import-dynamic" => UnresolvedPolicy::ImportDynamic,
                    _ => return Err(format!("unknown --unresolved-symbols value: {v}")),
                })
            }
            "error-unresolved-symbols" => warn_unresolved = false,
            "warn-unresolved-symbols" => warn_unresolved = true,
            "allow-undefined" => allow_undefined = true,
            "import-undefined" => c.import_undefined = true,
            "allow-undefined-file" => {
                let text = read(&v).map_err(|e| format!("cannot open {v}: {e}"))?;
                c.allow_undefined_names.extend(symbol_list(&text));
            }
            // QUIRK-CLI: refld's own option; unknown names are errors.
            "quirk" => match crate::quirks::Quirk::from_name(&v) {
                Some(q) => c.quirks.insert(q),
                None => {
                    let names: Vec<&str> = crate::quirks::QUIRKS.iter().map(|q| q.name).collect();
                    return Err(format!("unknown quirk: {v} (known: {})", names.join(", ")));
                }
            },
            "check-features" => c.check_features = true,
            "no-check-features" => c.check_features = false,
            // SIXTYFOUR-MACHINE: wasm-ld's emulations (measured: anything else is
            // `invalid target architecture: X`; wasm-ld goes on to read the
            // inputs, refld stops at the first command-line error).
            "m" => {
                c.machine = match v.as_str() {
                    "wasm32" => Some(false),
                    "wasm64" => Some(true),
                    _ => return Err(format!("invalid target architecture: {v}")),
                }
            }
            // MERGE-STRINGS: wasm-ld's `getInteger(OPT_O, 1)`.
            "O" => c.optimize = v.parse().map_err(|_| format!("{a}: number expected, but got '{v}'"))?,
            "version" => return Ok(Action::Version),
            "v" => c.print_version = true,
            "help" => return Ok(Action::Help),
            _ => {}
        }
    }
    // UND-POLICY (measured, wasm-ld 22): `report-all` means error-or-warn as
    // the last of --error-/--warn-unresolved-symbols says, whatever their
    // order; `ignore-all` and `import-dynamic` win over both; and
    // --allow-undefined (= --import-undefined + ignore-all) wins over every
    // --unresolved-symbols, before or after it.
    let error_or_warn = if warn_unresolved { UnresolvedPolicy::Warn } else { UnresolvedPolicy::ReportAll };
    c.unresolved = match unresolved_value {
        None | Some(UnresolvedPolicy::ReportAll) => error_or_warn,
        Some(other) => other,
    };
    if allow_undefined {
        c.import_undefined = true;
        c.unresolved = UnresolvedPolicy::IgnoreAll;
    }
    c.export_dynamic = export_dynamic.unwrap_or(c.shared);
    // OPT-Z: wasm-ld's `hasZOption(muldefs) || hasFlag(...)`.
    c.allow_multiple_definition |= z_muldefs;
    c.map_file = if print_map { Some("-".to_string()) } else { map_path };
    // REL-OUT-OPTIONS (wasm-ld `readConfigs`): with -r, no garbage
    // collection and no entry unless the command line names them (both
    // are then errors, `config::check_options`).
    c.gc_sections = gc_given.unwrap_or(!c.relocatable);
    if c.relocatable && !entry_given {
        c.entry = None;
    }
    // DYN-IMPORTS (measured, wasm-ld 22): a side module imports its
    // memory (PIC output imports the table when it has one,
    // `layout::table`); DYN-EXPORTS (measured): its entry is
    // `__wasm_call_ctors` unless one is named or `--no-entry` given.
    if c.shared {
        c.import_memory = true;
        if !entry_given {
            c.entry = Some("__wasm_call_ctors".into());
        }
    }

    // QUIRK-CLI: one LLVM release's order per table.
    c.quirks.check()?;
    // UND-DYNAMIC: import-dynamic without -pie/-shared is accepted (with a
    // warning unless --experimental-pic, `config::check_options`).
    Ok(Action::Link(Box::new(c)))
}

/// FEAT-OPT: a comma-separated feature list (empty names dropped).
fn feature_list(v: &str) -> Vec<String> {
    v.split(',').filter(|s| !s.is_empty()).map(String::from).collect()
}

/// BUILD-ID: a `--build-id=` value. Errors: wasm-ld's `unknown --build-id
/// style: S`, `not a hexadecimal value: H` (measured).
fn build_id_style(style: &str) -> Result<Option<crate::config::BuildId>, String> {
    use crate::config::BuildId;
    Ok(Some(match style {
        "fast" => BuildId::Fast,
        "sha1" | "tree" => BuildId::Sha1,
        "uuid" => BuildId::Uuid,
        "none" => return Ok(None),
        _ => match style.strip_prefix("0x").or_else(|| style.strip_prefix("0X")) {
            // Pairs of digits from the left; a lone last digit is a byte
            // of its own (`0xabc` is ab 0c, measured).
            Some(hex) => BuildId::Hex(
                hex.as_bytes().chunks(2).map(|p| std::str::from_utf8(p).ok().and_then(|p| u8::from_str_radix(p, 16).ok())).collect::<Option<Vec<u8>>>().ok_or_else(|| format!("not a hexadecimal value: {hex}"))?,
            ),
            None => return Err(format!("unknown --build-id style: {style}")),
        },
    }))
}

fn unsupported(a: &str) -> String {
    format!("unknown argument: {a}")
}

/// An `--allow-undefined-file`: one name a line, `#` starts a comment.
pub fn symbol_list(text: &str) -> Vec<String> {
    text.lines().map(|l| l.split('#').next().unwrap_or("").trim()).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, String> {
        let v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let read = |p: &str| match p {
            "rsp" => Ok("-o 'out file.wasm' a.o\n--export=f".to_string()),
            "undef.txt" => Ok("foo\n# comment\n bar \n".to_string()),
            _ => Err("no such file".to_string()),
        };
        match parse_args(&v, &read)? {
            Action::Link(c) => Ok(*c),
            other => Err(format!("{other:?}")),
        }
    }

    #[test]
    fn both_value_spellings_and_dash_counts() {
        let a = parse(&["--export=f", "-export", "g", "--entry", "main", "-z", "stack-size=4096"]).unwrap();
        assert_eq!(a.exports, vec!["f", "g"]);
        assert_eq!(a.entry.as_deref(), Some("main"));
        assert_eq!(a.stack_size, 4096);
        let b = parse(&["-zstack-size=0x2000", "-e", "start"]).unwrap();
        assert_eq!(b.stack_size, 0x2000);
        assert_eq!(b.entry.as_deref(), Some("start"));
    }

    #[test]
    fn joined_short_options_and_input_order() {
        let c = parse(&["-L/lib", "x.o", "--whole-archive", "-lfoo", "--no-whole-archive", "--start-lib", "y.o", "--end-lib", "-O2", "--lto-O3"]).unwrap();
        assert_eq!(c.search_paths, vec!["/lib"]);
        assert_eq!(
            c.inputs,
            vec![
                InputSpec::File { path: "x.o".into(), whole_archive: false, lazy: false },
                InputSpec::Library { name: "foo".into(), whole_archive: true, dynamic: None },
                InputSpec::File { path: "y.o".into(), whole_archive: false, lazy: true },
            ]
        );
    }

    #[test]
    fn response_files_and_undefined_files() {
        let c = parse(&["@rsp", "--allow-undefined-file=undef.txt"]).unwrap();
        assert_eq!(c.output, "out file.wasm");
        assert_eq!(c.exports, vec!["f"]);
        assert_eq!(c.allow_undefined_names, vec!["foo", "bar"]);
        assert!(parse(&["@missing"]).unwrap_err().contains("missing"));
    }

    #[test]
    fn unknown_flags_are_errors_naming_them() {
        assert_eq!(parse(&["--frobnicate"]).unwrap_err(), "unknown argument: --frobnicate");
        assert_eq!(parse(&["--emit-relocs=3"]).unwrap_err(), "--emit-relocs=3: option takes no value");
        assert!(parse(&["--export"]).unwrap_err().contains("missing argument"));
        assert!(parse(&["--no-entry=3"]).unwrap_err().contains("takes no value"));
        // CLI-1 (measured): wasm-ld's three colour values, nothing else.
        for when in ["always", "never", "auto"] {
            assert!(parse(&[&format!("--color-diagnostics={when}")]).is_ok());
        }
        assert_eq!(parse(&["--color-diagnostics=bogus"]).unwrap_err(), "unknown option: --color-diagnostics=bogus");
    }

    #[test]
    fn trace_options() {
        // TRACE-1..3: `-t`, `-y NAME` (joined too), `--print-gc-sections`
        // (the last of it and its `--no-` form counts).
        let c = parse(&["-t", "-y", "a", "-yb", "--trace-symbol=c", "--print-gc-sections", "--no-print-gc-sections"]).unwrap();
        assert!(c.trace && !c.print_gc_sections);
        assert_eq!(c.trace_symbols, ["a", "b", "c"]);
    }

    #[test]
    fn pic_options() {
        // DYN-OPT: the last of -pie/--no-pie; --export-dynamic on with
        // -shared unless --no-export-dynamic; -rpath values in order.
        let c = parse(&["-pie", "--no-pie", "-shared", "-Bsymbolic", "-rpath", "/a", "--rpath=/b"]).unwrap();
        assert!(!c.pie && c.shared && c.bsymbolic && c.export_dynamic && c.is_pic());
        assert_eq!(c.rpath, ["/a", "/b"]);
        assert!(!parse(&["-shared", "--no-export-dynamic"]).unwrap().export_dynamic);
        assert!(!parse(&["-pie"]).unwrap().export_dynamic);
        assert_eq!(parse(&["--table-base=5"]).unwrap().table_base(), 5);
        assert_eq!(parse(&[]).unwrap().table_base(), 1);
    }

    #[test]
    fn policies() {
        let c = parse(&["--allow-undefined"]).unwrap();
        assert!(c.import_undefined);
        assert_eq!(c.unresolved, UnresolvedPolicy::IgnoreAll);
        assert_eq!(parse(&["--warn-unresolved-symbols"]).unwrap().unresolved, UnresolvedPolicy::Warn);
        assert_eq!(parse(&["--unresolved-symbols=import-dynamic"]).unwrap().unresolved, UnresolvedPolicy::ImportDynamic);
    }

    /// UND-POLICY: the flags combine as wasm-ld's readConfigs does,
    /// whatever their order.
    #[test]
    fn unresolved_policy_combines_like_wasm_ld() {
        let policy = |a: &[&str]| {
            let c = parse(a).unwrap();
            (c.unresolved, c.import_undefined)
        };
        use UnresolvedPolicy::*;
        assert_eq!(policy(&["--warn-unresolved-symbols", "--unresolved-symbols=report-all"]), (Warn, false));
        assert_eq!(policy(&["--unresolved-symbols=report-all", "--warn-unresolved-symbols"]), (Warn, false));
        assert_eq!(policy(&["--unresolved-symbols=ignore-all", "--error-unresolved-symbols"]), (IgnoreAll, false));
        assert_eq!(policy(&["--warn-unresolved-symbols", "--error-unresolved-symbols"]), (ReportAll, false));
        assert_eq!(policy(&["--allow-undefined", "--unresolved-symbols=report-all"]), (IgnoreAll, true));
        assert_eq!(policy(&["--unresolved-symbols=import-dynamic", "--allow-undefined"]), (IgnoreAll, true));
    }

    /// CLI-VERSION: `--version` prints and exits; `-v` prints, then links.
    #[test]
    fn version_options() {
        let v: Vec<String> = vec!["--version".into(), "a.o".into()];
        assert_eq!(parse_args(&v, &|_| Err(String::new())), Ok(Action::Version));
        assert!(parse(&["-v", "a.o"]).unwrap().print_version);
        assert_eq!(crate::version_line(), format!("refld {} (compatible with LLD 22)", crate::VERSION));
    }

    /// CLI-STDOUT: `-o -` names standard output (the binary writes the
    /// module there: reference/tests/cli.rs).
    #[test]
    fn output_dash_is_stdout() {
        assert_eq!(parse(&["-o", "-", "a.o"]).unwrap().output, "-");
    }

    /// EXP-MEMORY-NAME: the last `--export-memory=NAME` names the export,
    /// a plain `--export-memory` does not reset it. CLI-LIB: the
    /// `--start-lib` errors.
    #[test]
    fn export_memory_name_and_lib_errors() {
        let c = parse(&["--export-memory=mem", "--export-memory=m2", "--export-memory", "a.o"]).unwrap();
        assert_eq!((c.export_memory, c.memory_export_name()), (true, "m2"));
        assert_eq!(parse(&["a.o"]).unwrap().memory_export_name(), "memory");
        assert_eq!(parse(&["--start-lib", "--start-lib", "a.o"]).unwrap_err(), "nested --start-lib");
        assert_eq!(parse(&["--end-lib", "a.o"]).unwrap_err(), "stray --end-lib");
        assert_eq!(parse(&["--no-export-memory"]).unwrap_err(), "unknown argument: --no-export-memory");
    }

    /// REL-OUT-OPTIONS: -r turns garbage collection and the default
    /// entry off; given explicitly they stay (and are errors later).
    #[test]
    fn relocatable_defaults() {
        let c = parse(&["-r", "a.o"]).unwrap();
        assert!(c.relocatable && !c.gc_sections && c.entry.is_none());
        let c = parse(&["--relocatable", "--gc-sections", "-e", "f", "a.o"]).unwrap();
        assert!(c.relocatable && c.gc_sections && c.entry.as_deref() == Some("f"));
        let c = parse(&["a.o"]).unwrap();
        assert!(!c.relocatable && c.gc_sections && c.entry.as_deref() == Some("_start"));
        assert!(!help_text().contains("not supported yet\n  -r"));
    }

    #[test]
    fn help_marks_inert_options() {
        let h = help_text();
        assert!(h.contains("--no-demangle") && h.contains("accepted without effect on the output"));
        // Every option without effect says why.
        for line in h.lines().filter(|l| l.contains("accepted without effect")) {
            assert!(line.contains(": refld") || line.contains(": rust-lld"), "{line}");
        }
        // The options of this file's tests with effect are not marked.
        for o in ["--page-size", "--initial-heap", "--compress-relocations", "--noinhibit-exec", "--growable-table", "-O <value>"] {
            let line = h.lines().find(|l| l.trim_start().starts_with(o)).unwrap_or_else(|| panic!("{o} in --help"));
            assert!(!line.contains("without effect"), "{line}");
        }
        assert!(h.contains("--export=<value>"));
    }
}
