//! Link configuration: what wasm-ld's command line says, as plain data.

/// How undefined symbols are treated (`--unresolved-symbols=`, rules UND-*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnresolvedPolicy {
    /// `report-all` (default, `--error-unresolved-symbols`): errors.
    #[default]
    ReportAll,
    /// `--warn-unresolved-symbols`: the same messages as warnings.
    Warn,
    /// `ignore-all`: silent.
    IgnoreAll,
    /// `import-dynamic`: silent; undefined non-data symbols become imports
    /// and absolute addresses of undefined symbols are errors (UND-DYNAMIC).
    /// refld supports it without `-pie`/`-shared` only (no PIC output).
    ImportDynamic,
}

/// `--build-id` styles (BUILD-ID).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildId {
    /// `--build-id`, `--build-id=fast`: a UUID v5 of an xxh3 hash of the
    /// output (16 bytes).
    Fast,
    /// `sha1` (and `tree`): a SHA-1 hash of the output (20 bytes).
    Sha1,
    /// `uuid`: a random UUID v4 (16 bytes).
    Uuid,
    /// `0xHEX`: these bytes.
    Hex(Vec<u8>),
}

/// One input of the command line, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSpec {
    /// A file path (object or archive).
    File {
        path: String,
        /// `--whole-archive` was in force: every member is loaded.
        whole_archive: bool,
        /// Between `--start-lib` and `--end-lib`: the object is lazy.
        lazy: bool,
    },
    /// `-lNAME`: `libNAME.a` searched in the `-L` paths (`libNAME.so`
    /// first in each when shared libraries are searched, OPT-BDYNAMIC).
    Library {
        name: String,
        whole_archive: bool,
        /// The `-Bdynamic`/`-Bstatic` in force (the last before it);
        /// `None`: neither given yet, the link's default (dynamic in PIC
        /// output).
        dynamic: Option<bool>,
    },
}

/// Everything that shapes the link, with wasm-ld's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub inputs: Vec<InputSpec>,
    /// `-L` paths, in order.
    pub search_paths: Vec<String>,
    /// `-o`; default `a.out` as wasm-ld.
    pub output: String,
    /// `--entry`; `None` with `--no-entry`. Default `_start`.
    pub entry: Option<String>,
    /// `--export` (missing: an error under report-all).
    pub exports: Vec<String>,
    /// `--export-if-defined`.
    pub exports_if_defined: Vec<String>,
    pub export_all: bool,
    pub export_dynamic: bool,
    pub export_table: bool,
    /// `--export-memory` (with `--import-memory`; exported by default otherwise).
    pub export_memory: bool,
    pub import_memory: bool,
    pub import_table: bool,
    /// `--initial-memory`, bytes (a multiple of 64 KiB).
    pub initial_memory: Option<u64>,
    /// `--max-memory`, bytes (a multiple of 64 KiB).
    pub max_memory: Option<u64>,
    /// `--shared-memory`: the memory is shared, its data segments passive
    /// and written by `__wasm_init_memory` (MEM-SHARED, LAY-INIT-MEMORY).
    pub shared_memory: bool,
    /// `--no-growable-memory`: the maximum is the initial size (MEM-MAX).
    pub no_growable_memory: bool,
    /// `--global-base`, bytes; default 1024.
    pub global_base: Option<u64>,
    /// `--table-base`, table slots; `None`: the default, 1 (slot 0 stays
    /// null; [`Config::table_base`]).
    pub table_base: Option<u32>,
    /// `-z stack-size=`, bytes; default 64 KiB.
    pub stack_size: u64,
    pub stack_first: bool,
    pub gc_sections: bool,
    pub strip_all: bool,
    pub strip_debug: bool,
    /// `-u` / `--undefined`.
    pub undefined: Vec<String>,
    pub allow_multiple_definition: bool,
    pub fatal_warnings: bool,
    pub unresolved: UnresolvedPolicy,
    /// `--import-undefined` (also implied by `--allow-undefined`).
    pub import_undefined: bool,
    /// Names from `--allow-undefined-file` files.
    pub allow_undefined_names: Vec<String>,
    /// `--no-check-features` turns feature clashes off.
    pub check_features: bool,
    /// `--quirk NAME` (refld's own option): other linkers' deviations to
    /// emulate (QUIRK-*); none by default.
    pub quirks: crate::quirks::Quirks,
    /// `-pie` (the last of `-pie`/`--no-pie`): a position-independent
    /// main module (DynamicLinking.md).
    pub pie: bool,
    /// `-shared`: a position-independent side module.
    pub shared: bool,
    /// `--experimental-pic`: silences the "not yet stable" warnings (DYN-OPT).
    pub experimental_pic: bool,
    /// `-Bsymbolic`: a side module's own definitions bind its references.
    pub bsymbolic: bool,
    /// `-rpath` values, in order (`dylink.0`'s RUNTIME_PATH).
    pub rpath: Vec<String>,
    /// `--wrap=NAME` / `-wrap NAME`, in command-line order (WRAP-1).
    pub wrap: Vec<String>,
    /// `--why-extract=PATH` (the last one; `-`: standard output), WHY-1.
    pub why_extract: Option<String>,
    /// EMIT-RELOCS: `--emit-relocs`, the linked module keeps a `linking`
    /// section and `reloc.*` sections.
    pub emit_relocs: bool,
    /// OPT-SHLIB-SIGCHECK: check direct calls of shared libraries'
    /// functions against their signatures (off with `--no-shlib-sigcheck`).
    pub shlib_sigcheck: bool,
    /// OPT-SONAME: `--soname=NAME`, the module's name in the name section.
    pub soname: Option<String>,
    /// OPT-KEEP-SECTION: `--keep-section=NAME` (any number).
    pub keep_sections: Vec<String>,
    /// FEAT-OPT: `--features=LIST`, the output's features instead of the
    /// inputs' (an empty list: no `target_features` section).
    pub features: Option<Vec<String>>,
    /// FEAT-OPT: `--extra-features=LIST`, added to the output's features.
    pub extra_features: Vec<String>,
    /// TRACE-1 (`--trace`, `-t`): print each input file as it is loaded.
    pub trace: bool,
    /// TRACE-2 (`--trace-symbol=NAME`, `-y NAME`): the names to trace.
    pub trace_symbols: Vec<String>,
    /// TRACE-3 (`--print-gc-sections`): print what garbage collection removes.
    pub print_gc_sections: bool,
    /// `-Map=PATH` (`-M`/`--print-map`: `-`, standard output), the last
    /// one: the map file (MAP-1).
    pub map_file: Option<String>,
    /// `--build-id[=STYLE]` (the last one; `none` is `None`): the
    /// `build_id` section (BUILD-ID).
    pub build_id: Option<BuildId>,
    /// `-v`: print the version line (CLI-VERSION), then link.
    pub print_version: bool,
    /// `--export-memory=NAME` (the last one, whatever the order with
    /// `--export-memory`): the memory is exported as NAME (EXP-MEMORY-NAME).
    pub export_memory_name: Option<String>,
    /// `--page-size=N` (OPT-PAGE-SIZE), bytes: 1 or 65536; `None` without
    /// the option (65536, written without a page size of its own).
    pub page_size: Option<u64>,
    /// `--initial-heap=N` (OPT-INITIAL-HEAP), bytes after `__heap_base`
    /// the initial memory must hold; 0 without the option.
    pub initial_heap: u64,
    /// `--compress-relocations` (OPT-COMPRESS-RELOCS): relocated LEB
    /// fields of input function bodies are written in their shortest form.
    pub compress_relocations: bool,
    /// `--noinhibit-exec` (OPT-NOINHIBIT-EXEC): duplicate symbols are
    /// warnings and the output is written.
    pub noinhibit_exec: bool,
    /// `--growable-table` (OPT-GROWABLE-TABLE): the table has no maximum.
    pub growable_table: bool,
    /// `--merge-data-segments` (the default) / `--no-merge-data-segments`,
    /// the last one (OPT-MERGE-SEGMENTS, MEM-NAME).
    pub merge_data_segments: bool,
    /// `-z` values wasm-ld does not know (OPT-Z): each is the warning
    /// `unknown -z value: V`.
    pub unknown_z: Vec<String>,
    /// `-O N` (the last one; default 1): any level but 0 merges strings
    /// (MERGE-STRINGS, [`Config::merges_strings`]).
    pub optimize: i64,
    /// `-m`/`-mwasm64`: the machine (SIXTYFOUR-MACHINE); `None` without `-m`,
    /// `Some(true)` for wasm64, `Some(false)` for wasm32. Only `-m wasm64`
    /// makes a wasm64 link; without `-m` the link is wasm32.
    pub machine: Option<bool>,
    /// `-r`/`--relocatable`: the output is a relocatable object, linked
    /// again later (REL-OUT-LINKING and the rules beside it).
    pub relocatable: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            inputs: Vec::new(),
            search_paths: Vec::new(),
            output: "a.out".to_string(),
            entry: Some("_start".to_string()),
            exports: Vec::new(),
            exports_if_defined: Vec::new(),
            export_all: false,
            export_dynamic: false,
            export_table: false,
            export_memory: false,
            import_memory: false,
            import_table: false,
            initial_memory: None,
            max_memory: None,
            shared_memory: false,
            no_growable_memory: false,
            global_base: None,
            table_base: None,
            stack_size: 64 * 1024,
            // MEM-STACK-FIRST: wasm-ld 22 puts the stack first by default.
            stack_first: true,
            gc_sections: true,
            strip_all: false,
            strip_debug: false,
            undefined: Vec::new(),
            allow_multiple_definition: false,
            fatal_warnings: false,
            unresolved: UnresolvedPolicy::ReportAll,
            import_undefined: false,
            allow_undefined_names: Vec::new(),
            check_features: true,
            quirks: crate::quirks::Quirks::NONE,
            pie: false,
            shared: false,
            experimental_pic: false,
            bsymbolic: false,
            rpath: Vec::new(),
            wrap: Vec::new(),
            why_extract: None,
            emit_relocs: false,
            shlib_sigcheck: true,
            soname: None,
            keep_sections: Vec::new(),
            features: None,
            extra_features: Vec::new(),
            trace: false,
            trace_symbols: Vec::new(),
            print_gc_sections: false,
            map_file: None,
            build_id: None,
            print_version: false,
            export_memory_name: None,
            machine: None,
            optimize: 1,
            compress_relocations: false,
            growable_table: false,
            merge_data_segments: true,
            unknown_z: Vec::new(),
            noinhibit_exec: false,
            page_size: None,
            initial_heap: 0,
            relocatable: false,
        }
    }
}

impl Config {
    /// The first table slot for address-taken functions: `--table-base`,
    /// default 1 (LAY-TABLE).
    pub fn table_base(&self) -> u32 {
        self.table_base.unwrap_or(1)
    }

    /// EXP-MEMORY-NAME: the name the memory is exported under.
    pub fn memory_export_name(&self) -> &str {
        self.export_memory_name.as_deref().unwrap_or("memory")
    }

    /// A wasm64 link (`-m wasm64`): 64-bit memory, table, addresses and
    /// `__stack_pointer` (SIXTYFOUR-LAYOUT).
    pub fn wasm64(&self) -> bool {
        self.machine == Some(true)
    }

    /// SIXTYFOUR-LAYOUT: the largest `--initial-memory` / `--max-memory`, bytes:
    /// 4 GiB for wasm32, 16 GiB for wasm64 (measured, wasm-ld 22 and 19).
    pub fn max_memory_limit(&self) -> u64 {
        if self.wasm64() { 1 << 34 } else { 1 << 32 }
    }

    /// OPT-PAGE-SIZE: the memory's page size, bytes (`--page-size`,
    /// default 65536).
    pub fn page_size(&self) -> u64 {
        self.page_size.unwrap_or(PAGE_SIZE)
    }

    /// MERGE-STRINGS: strings are merged unless `-O0`. wasm-ld keeps the
    /// level as a 32-bit unsigned number (measured: `-O -1` merges,
    /// `-O 4294967296` does not).
    pub fn merges_strings(&self) -> bool {
        self.optimize as u32 != 0
    }

    /// Position-independent output (`-pie` or `-shared`).
    pub fn is_pic(&self) -> bool {
        self.pie || self.shared
    }

    /// UND-DYNAMIC, DYN-STATIC-IMPORT-DYNAMIC: `--unresolved-symbols=import-dynamic`
    /// in a link without `-pie`/`-shared`, which wasm-ld writes as a static
    /// module with a `dylink.0` section and GOT imports for undefined
    /// symbols' addresses.
    pub fn static_import_dynamic(&self) -> bool {
        !self.is_pic() && self.unresolved == UnresolvedPolicy::ImportDynamic
    }

    /// DYN-DYLINK, DYN-STATIC-IMPORT-DYNAMIC: the output begins with `dylink.0`.
    pub fn writes_dylink(&self) -> bool {
        self.is_pic() || self.static_import_dynamic()
    }
}

/// 64 KiB: the wasm page size, bytes (the default of `--page-size`).
pub const PAGE_SIZE: u64 = 65536;

/// The checks wasm-ld makes on its options before it reads an input
/// (`checkOptions`), in wasm-ld 22's order (DYN-OPT, measured): an
/// exported table with PIC output ends the link alone; then
/// `--compress-relocations` without stripping (OPT-COMPRESS-RELOCS);
/// `-shared` with `-pie`; the "not yet stable" warnings unless `--experimental-pic`
/// (UND-DYNAMIC's among them, so `--fatal-warnings` stops the link right
/// here); `-Bsymbolic` without `-shared`; `--global-base`/`--table-base`
/// with PIC output. Before them all, OPT-Z's warnings, then MEM-MAX's `--max-memory` with
/// `--no-growable-memory`; after them, refld's own refusal of
/// `--shared-memory` in PIC output (MEM-SHARED).
pub(crate) fn check_options(config: &Config, diags: &mut crate::diag::Diagnostics) {
    // OPT-Z (measured): wasm-ld warns about unknown `-z` values first.
    for v in &config.unknown_z {
        diags.warning(format!("unknown -z value: {v}"));
    }
    // MEM-MAX (measured, wasm-ld 22 and 19): checked before the others,
    // and it ends the link alone.
    if config.no_growable_memory && config.max_memory.is_some() {
        diags.error("--max-memory is incompatible with --no-growable-memory");
        return;
    }
    if config.export_table && config.is_pic() {
        diags.error("-shared/-pie is incompatible with --export-table");
        return;
    }
    // REL-OUT-OPTIONS (measured, wasm-ld 22 and 19; `setConfigs`): ends
    // the link before the other checks.
    if config.export_table && config.relocatable {
        diags.error("--relocatable is incompatible with --export-table");
        return;
    }
    // OPT-COMPRESS-RELOCS (measured): debug sections would point into the
    // uncompressed code.
    if config.compress_relocations && !config.strip_debug && !config.strip_all {
        diags.error("--compress-relocations is incompatible with output debug information. Please pass --strip-debug or --strip-all");
    }
    if config.shared && config.pie {
        diags.error("-shared and -pie may not be used together");
    }
    // REL-OUT-OPTIONS (measured, wasm-ld 22 and 19; `checkOptions`): every
    // one reported, in this order, before the stability warnings.
    if config.relocatable {
        if config.entry.is_some() {
            diags.error("entry point specified for relocatable output file");
        }
        if config.gc_sections {
            diags.error("-r and --gc-sections may not be used together");
        }
        if !config.undefined.is_empty() {
            diags.error("-r -and --undefined may not be used together");
        }
        if config.pie {
            diags.error("-r and -pie may not be used together");
        }
        if config.shared_memory {
            diags.error("-r and --shared-memory may not be used together");
        }
        if config.global_base.is_some() {
            diags.error("-r and --global-base may not by used together");
        }
    }
    if !config.experimental_pic {
        if config.shared {
            diags.warning("creating shared libraries, with -shared, is not yet stable");
        }
        if config.pie {
            diags.warning("creating PIEs, with -pie, is not yet stable");
        }
        if config.unresolved == UnresolvedPolicy::ImportDynamic {
            diags.warning("dynamic imports are not yet stable (--unresolved-symbols=import-dynamic)");
        }
    }
    if config.bsymbolic && !config.shared {
        diags.warning("-Bsymbolic is only meaningful when combined with -shared");
    }
    if config.is_pic() && config.global_base.is_some() {
        diags.error("--global-base may not be used with -shared/-pie");
    }
    if config.is_pic() && config.table_base.is_some() {
        diags.error("--table-base may not be used with -shared/-pie");
    }
    // EMIT-RELOCS: PIC output's symbol table (its GOT and base imports) was
    // not modelled; `-r` writes its own sections.
    if config.emit_relocs && config.is_pic() {
        diags.error("--emit-relocs with -shared/-pie: not supported yet");
    }
    // MEM-SHARED: wasm-ld links shared memory in PIC output too; refld does
    // not implement that combination (not measured).
    if config.is_pic() && config.shared_memory {
        diags.error("--shared-memory with -shared/-pie: not supported yet");
    }
    // REL-OUT-OPTIONS: wasm-ld accepts `-r -shared` (PIC relocatable
    // output); refld does not write it (not measured).
    if !diags.has_errors() && config.relocatable && (config.shared || config.unresolved == UnresolvedPolicy::ImportDynamic) {
        diags.error("-r with -shared or --unresolved-symbols=import-dynamic: not supported yet");
    }
    // SIXTYFOUR-LAYOUT: wasm64 PIC and shared-memory output were not measured.
    if config.wasm64() && (config.is_pic() || config.shared_memory || config.unresolved == UnresolvedPolicy::ImportDynamic) {
        diags.error("-m wasm64 with -shared, -pie, --shared-memory or --unresolved-symbols=import-dynamic: not supported yet");
    }
}
