//! Shared helpers of the rule tests: object building shorthands, linking
//! with refld (in memory) and rust-lld (a subprocess, wasm-ld 22), reading
//! outputs with wasmparser and running exported functions with wasmtime.

#![allow(dead_code)]

pub use linkcheck_object::{
    archive, archive_with_options, encode, flags, segment_flags, ArchiveOptions, Body, ComdatKind,
    ComdatMember, ComdatModel, FeatureModel, FuncSig, ObjectModel, ProducerField, RelocModel, RelocType,
    ValTypeModel,
};
pub use refld::{LinkError, Linked, Severity};
pub use testkit::{run_calls, run_export};

use std::collections::BTreeMap;
use std::process::Command;
use std::sync::OnceLock;

/// One input file of a link: its name on the command line and its bytes.
pub type Input<'a> = (&'a str, Vec<u8>);

/// `() -> i32`
pub fn sig_i32() -> FuncSig {
    FuncSig::new(&[], &[ValTypeModel::I32])
}

/// `() -> ()`
pub fn sig_void() -> FuncSig {
    FuncSig::new(&[], &[])
}

/// An empty object importing `env.__linear_memory`, as clang writes one.
pub fn obj() -> ObjectModel {
    let mut m = ObjectModel::new();
    m.import_memory();
    m
}

/// A body `i32.const v`.
pub fn ret(v: i32) -> Body {
    let mut b = Body::new();
    b.i32_const(v);
    b
}

/// A body calling function symbol `f` (its result is the body's result).
pub fn calls(f: u32) -> Body {
    let mut b = Body::new();
    b.call(f);
    b
}

/// An object defining `name: () -> i32` returning `v`, with symbol `flags`.
pub fn returns(name: &str, v: i32, flags: u32) -> ObjectModel {
    let mut m = obj();
    m.define_func(name, sig_i32(), ret(v), flags);
    m
}

/// An object defining `name: () -> i32` that calls `callee: () -> i32`
/// (undefined here, with reference `flags`).
pub fn caller(name: &str, callee: &str, flags: u32) -> ObjectModel {
    let mut m = obj();
    let f = m.undefined_func(callee, "env", callee, sig_i32(), flags);
    m.define_func(name, sig_i32(), calls(f), 0);
    m
}

fn with_inputs(objs: &[Input<'_>], args: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    for (name, _) in objs {
        if !args.contains(name) {
            v.push(name.to_string());
        }
    }
    v
}

/// Links with refld in memory. `args` is the command line; inputs it does
/// not name are appended in order.
pub fn link(objs: &[Input<'_>], args: &[&str]) -> Result<Linked, LinkError> {
    let argv = with_inputs(objs, args);
    let read = |p: &str| Err(format!("{p}: no file system in tests"));
    let config = match refld::args::parse_args(&argv, &read) {
        Ok(refld::args::Action::Link(c)) => c,
        other => panic!("refld's command line {argv:?} did not parse to a link: {other:?}"),
    };
    let mut provider = refld::MemoryInputs::default();
    for (name, bytes) in objs {
        provider.add(*name, bytes.clone());
    }
    refld::link(&config, &provider)
}

/// Links with refld in memory as [`link`] does; also returns the side
/// files the command line asks for (`--why-extract`, the map file).
pub fn link_reporting(objs: &[Input<'_>], args: &[&str]) -> (Result<Linked, LinkError>, refld::Reports) {
    let argv = with_inputs(objs, args);
    let read = |p: &str| Err(format!("{p}: no file system in tests"));
    let config = match refld::args::parse_args(&argv, &read) {
        Ok(refld::args::Action::Link(c)) => c,
        other => panic!("refld's command line {argv:?} did not parse to a link: {other:?}"),
    };
    let mut provider = refld::MemoryInputs::default();
    for (name, bytes) in objs {
        provider.add(*name, bytes.clone());
    }
    let mut reports = refld::Reports::default();
    let r = refld::link_with_reports(&config, &provider, &mut reports).map(|(l, _)| l);
    (r, reports)
}

/// Like [`link`], failing the test with the diagnostics if the link fails.
pub fn link_ok(objs: &[Input<'_>], args: &[&str]) -> Linked {
    match link(objs, args) {
        Ok(l) => l,
        Err(e) => panic!("refld failed ({args:?}):\n{e}"),
    }
}

/// A diagnostic as (is an error, text) with wasm-ld's line breaks.
pub type Msg = (Severity, String);

/// Diagnostics of a refld link, sorted.
pub fn refld_messages(r: &Result<Linked, LinkError>) -> Vec<Msg> {
    let d = match r {
        Ok(l) => &l.warnings,
        Err(e) => &e.diagnostics,
    };
    let mut v: Vec<Msg> = d.iter().map(|d| (d.severity, d.message.clone())).collect();
    v.sort();
    v
}

/// What rust-lld did.
#[derive(Debug)]
pub struct Lld {
    pub ok: bool,
    pub stderr: String,
    /// Its diagnostics (prefix `rust-lld: error: ` removed, `>>>` lines
    /// joined to their message), sorted.
    pub messages: Vec<Msg>,
    pub bytes: Option<Vec<u8>>,
    /// What it printed on standard output (`--why-extract=-`, `-M`).
    pub stdout: String,
}

/// Links with rust-lld (wasm-ld 22) in a temporary folder, same arguments
/// as [`link`] plus `-o out.wasm`. Fails the test when rust-lld is missing.
pub fn rust_lld(objs: &[Input<'_>], args: &[&str]) -> Lld {
    static LLD: OnceLock<std::path::PathBuf> = OnceLock::new();
    let lld = LLD.get_or_init(testkit::rust_lld);
    wasm_ld_at(lld, objs, args)
}

/// Links with Debian's `/usr/bin/wasm-ld-<major>` (package `lld-<major>`,
/// installed by scripts/setup.sh) as [`rust_lld`] does; fails the test,
/// naming the tool, when it is missing.
pub fn debian_wasm_ld(major: u32, objs: &[Input<'_>], args: &[&str]) -> Lld {
    let program = std::path::PathBuf::from(format!("/usr/bin/wasm-ld-{major}"));
    assert!(program.is_file(), "{} is missing: install package lld-{major} (scripts/setup.sh)", program.display());
    wasm_ld_at(&program, objs, args)
}

/// Links with the wasm-ld at `program` in a temporary folder, same
/// arguments as [`link`] plus `-o out.wasm`.
pub fn wasm_ld_at(program: &std::path::Path, objs: &[Input<'_>], args: &[&str]) -> Lld {
    let dir = tempfile::tempdir().expect("temporary folder");
    for (name, bytes) in objs {
        std::fs::write(dir.path().join(name), bytes).expect("writing an input");
    }
    let mut argv = with_inputs(objs, args);
    argv.extend(["-o".to_string(), "out.wasm".to_string()]);
    let out = Command::new(program).args(&argv).current_dir(dir.path()).output().unwrap_or_else(|e| panic!("running {}: {e}", program.display()));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    // lld prefixes its messages with the name it was run as.
    let prefix = format!("{}: ", program.file_name().map(|n| n.to_string_lossy()).unwrap_or_default());
    let mut messages: Vec<Msg> = Vec::new();
    for line in stderr.lines() {
        let line = line.strip_prefix("rust-lld: ").or_else(|| line.strip_prefix(prefix.as_str())).unwrap_or(line);
        if let Some(m) = line.strip_prefix("error: ") {
            messages.push((Severity::Error, m.to_string()));
        } else if let Some(m) = line.strip_prefix("warning: ") {
            messages.push((Severity::Warning, m.to_string()));
        } else if let Some(last) = messages.last_mut() {
            last.1.push('\n');
            last.1.push_str(line);
        }
    }
    // lld separates a multi-line message from the next by a blank line.
    for m in &mut messages {
        m.1.truncate(m.1.trim_end().len());
    }
    messages.sort();
    let bytes = if out.status.success() { std::fs::read(dir.path().join("out.wasm")).ok() } else { None };
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    Lld { ok: out.status.success(), stderr, messages, bytes, stdout }
}

/// Links with both; asserts they agree on success and on every diagnostic.
/// Returns refld's result and rust-lld's.
pub fn both(objs: &[Input<'_>], args: &[&str]) -> (Result<Linked, LinkError>, Lld) {
    let r = link(objs, args);
    let lld = rust_lld(objs, args);
    assert_eq!(r.is_ok(), lld.ok, "success differs for {args:?}: refld {:?}\nrust-lld: {}", refld_messages(&r), lld.stderr);
    assert_eq!(refld_messages(&r), lld.messages, "diagnostics differ for {args:?}");
    (r, lld)
}

/// Links with both, both must succeed; returns (refld bytes, rust-lld bytes).
pub fn both_ok(objs: &[Input<'_>], args: &[&str]) -> (Vec<u8>, Vec<u8>) {
    let (r, lld) = both(objs, args);
    let r = r.unwrap_or_else(|e| panic!("refld failed ({args:?}):\n{e}"));
    (r.bytes, lld.bytes.expect("rust-lld wrote no output"))
}

/// Links with both, both must fail with the same diagnostics; returns them.
pub fn both_fail(objs: &[Input<'_>], args: &[&str]) -> Vec<Msg> {
    let (r, _) = both(objs, args);
    assert!(r.is_err(), "the link of {args:?} should fail");
    refld_messages(&r)
}

/// The error texts of a message list.
pub fn errors(m: &[Msg]) -> Vec<&str> {
    m.iter().filter(|m| m.0 == Severity::Error).map(|m| m.1.as_str()).collect()
}

/// What the tests read of an output module.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// (module, field, kind: "func"/"global"/"memory"/"table"/"tag").
    pub imports: Vec<(String, String, &'static str)>,
    /// (name, kind, index).
    pub exports: Vec<(String, &'static str, u32)>,
    /// Function names of the name section, by function index.
    pub func_names: BTreeMap<u32, String>,
    /// Global names of the name section, by global index.
    pub global_names: BTreeMap<u32, String>,
    /// Data segment names of the name section, in order.
    pub data_names: Vec<String>,
    pub num_imported_funcs: u32,
    pub num_imported_globals: u32,
    /// Defined functions.
    pub num_functions: u32,
    /// Defined globals: (mutable, i32 initial value if an i32.const).
    pub globals: Vec<(bool, Option<i32>)>,
    /// Defined table limits (min, max).
    pub table: Option<(u64, Option<u64>)>,
    /// Defined memory limits in pages.
    pub memory: Option<(u64, Option<u64>)>,
    /// Active element segments: (offset, function indices).
    pub elements: Vec<(i32, Vec<u32>)>,
    /// Active data segments: (offset, bytes).
    pub data: Vec<(i32, Vec<u8>)>,
    /// Custom sections other than `name`: (name, payload).
    pub customs: Vec<(String, Vec<u8>)>,
    /// Start of each function body (after its size) from the start of the
    /// code section payload, by defined-function position.
    pub body_offsets: Vec<u32>,
}

fn const_i32(e: &wasmparser::ConstExpr<'_>) -> Option<i32> {
    let mut r = e.get_operators_reader();
    match r.read().ok()? {
        wasmparser::Operator::I32Const { value } => Some(value),
        _ => None,
    }
}

/// Reads an output module (validating it first).
pub fn summary(bytes: &[u8]) -> Summary {
    use wasmparser::{Name, Parser, Payload, TypeRef};
    testkit::validate(bytes).unwrap_or_else(|e| panic!("invalid output module: {e}"));
    let mut s = Summary::default();
    let mut code_start = 0usize;
    for p in Parser::new(0).parse_all(bytes) {
        match p.expect("parsing the output") {
            Payload::ImportSection(r) => {
                for i in r.into_imports() {
                    let i = i.unwrap();
                    let kind = match i.ty {
                        TypeRef::Func(_) | TypeRef::FuncExact(_) => {
                            s.num_imported_funcs += 1;
                            "func"
                        }
                        TypeRef::Global(_) => {
                            s.num_imported_globals += 1;
                            "global"
                        }
                        TypeRef::Memory(_) => "memory",
                        TypeRef::Table(_) => "table",
                        TypeRef::Tag(_) => "tag",
                    };
                    s.imports.push((i.module.to_string(), i.name.to_string(), kind));
                }
            }
            Payload::FunctionSection(r) => s.num_functions = r.count(),
            Payload::TableSection(r) => {
                for t in r {
                    let t = t.unwrap().ty;
                    s.table = Some((t.initial, t.maximum));
                }
            }
            Payload::MemorySection(r) => {
                for m in r {
                    let m = m.unwrap();
                    s.memory = Some((m.initial, m.maximum));
                }
            }
            Payload::GlobalSection(r) => {
                for g in r {
                    let g = g.unwrap();
                    s.globals.push((g.ty.mutable, const_i32(&g.init_expr)));
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.unwrap();
                    let kind = match e.kind {
                        wasmparser::ExternalKind::Func | wasmparser::ExternalKind::FuncExact => "func",
                        wasmparser::ExternalKind::Global => "global",
                        wasmparser::ExternalKind::Memory => "memory",
                        wasmparser::ExternalKind::Table => "table",
                        wasmparser::ExternalKind::Tag => "tag",
                    };
                    s.exports.push((e.name.to_string(), kind, e.index));
                }
            }
            Payload::ElementSection(r) => {
                for e in r {
                    let e = e.unwrap();
                    let wasmparser::ElementKind::Active { offset_expr, .. } = e.kind else { continue };
                    let funcs = match e.items {
                        wasmparser::ElementItems::Functions(f) => f.into_iter().map(|x| x.unwrap()).collect(),
                        _ => Vec::new(),
                    };
                    s.elements.push((const_i32(&offset_expr).unwrap_or(-1), funcs));
                }
            }
            Payload::CodeSectionStart { unchecked_range, .. } => code_start = unchecked_range.start as usize,
            Payload::CodeSectionEntry(body) => s.body_offsets.push((body.range().start as usize - code_start) as u32),
            Payload::DataSection(r) => {
                for d in r {
                    let d = d.unwrap();
                    if let wasmparser::DataKind::Active { offset_expr, .. } = d.kind {
                        s.data.push((const_i32(&offset_expr).unwrap_or(-1), d.data.to_vec()));
                    }
                }
            }
            Payload::CustomSection(c) => match c.as_known() {
                wasmparser::KnownCustom::Name(r) => {
                    for n in r {
                        match n.unwrap() {
                            Name::Function(m) => {
                                for n in m {
                                    let n = n.unwrap();
                                    s.func_names.insert(n.index, n.name.to_string());
                                }
                            }
                            Name::Global(m) => {
                                for n in m {
                                    let n = n.unwrap();
                                    s.global_names.insert(n.index, n.name.to_string());
                                }
                            }
                            Name::Data(m) => {
                                for n in m {
                                    s.data_names.push(n.unwrap().name.to_string());
                                }
                            }
                            _ => {}
                        }
                    }
                }
                _ => s.customs.push((c.name().to_string(), c.data().to_vec())),
            },
            _ => {}
        }
    }
    s
}

impl Summary {
    /// Export names, sorted.
    pub fn export_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.exports.iter().map(|e| e.0.clone()).collect();
        v.sort();
        v
    }
    /// Function names of the name section, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.func_names.values().cloned().collect();
        v.sort();
        v
    }
    /// The index of the function named `name`.
    pub fn func(&self, name: &str) -> Option<u32> {
        self.func_names.iter().find(|(_, n)| *n == name).map(|(i, _)| *i)
    }
    /// The payload of the first custom section `name`.
    pub fn custom(&self, name: &str) -> Option<&[u8]> {
        self.customs.iter().find(|c| c.0 == name).map(|c| c.1.as_slice())
    }
    /// The i32 initial value of global `index` (an output global index).
    pub fn global_value(&self, index: u32) -> Option<i32> {
        self.globals.get(index.checked_sub(self.num_imported_globals)? as usize)?.1
    }
    /// The initial value of the global exported as `name`.
    pub fn exported_global(&self, name: &str) -> Option<i32> {
        let e = self.exports.iter().find(|e| e.0 == name && e.1 == "global")?;
        self.global_value(e.2)
    }
    /// All data bytes in memory order, with holes zero, from address 0.
    pub fn memory_image(&self) -> Vec<u8> {
        let mut m = Vec::new();
        for (at, bytes) in &self.data {
            let at = *at as usize;
            if m.len() < at + bytes.len() {
                m.resize(at + bytes.len(), 0);
            }
            m[at..at + bytes.len()].copy_from_slice(bytes);
        }
        m
    }
}

/// Runs export `name` of both outputs; asserts they agree; returns the result.
pub fn run_both(outputs: &(Vec<u8>, Vec<u8>), name: &str) -> Result<i32, String> {
    let a = run_export(&outputs.0, name, &[]);
    let b = run_export(&outputs.1, name, &[]);
    assert_eq!(a, b, "refld's output and rust-lld's disagree on `{name}()`");
    a
}

/// Inserts an export section (`(name, function index)` entries) before
/// the code section of an object without code relocations (LLVM writes the
/// `export_name` of functions there).
pub fn with_export_section(object: &[u8], exports: &[(&str, u32)]) -> Vec<u8> {
    use wasm_encoder::Section as _;
    let mut sec = wasm_encoder::ExportSection::new();
    for (n, i) in exports {
        sec.export(n, wasm_encoder::ExportKind::Func, *i);
    }
    let mut out = object[..8].to_vec();
    for p in wasmparser::Parser::new(0).parse_all(object) {
        let Some((id, range)) = p.expect("parsing an object").as_section() else { continue };
        if id == 10 {
            sec.append_to(&mut out);
        }
        wasm_encoder::RawSection { id, data: &object[range.start as usize..range.end as usize] }.append_to(&mut out);
    }
    out
}

/// Every section but `name`, `producers` and `target_features`, as (id,
/// custom name, bytes), in order (custom sections have id 0).
pub fn sections(bytes: &[u8]) -> Vec<(u8, String, Vec<u8>)> {
    let mut out = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let payload = payload.expect("a readable module");
        if let wasmparser::Payload::CustomSection(c) = &payload {
            if !["name", "producers", "target_features"].contains(&c.name()) {
                out.push((0, c.name().to_string(), c.data().to_vec()));
            }
        } else if let Some((id, range)) = payload.as_section() {
            out.push((id, String::new(), bytes[range.start as usize..range.end as usize].to_vec()));
        }
    }
    out
}

/// Links `objs` with refld and rust-lld: both succeed with the same
/// diagnostics and write the same sections, in the same order (the name,
/// producers and target_features sections aside). Returns (refld's
/// module, rust-lld's).
pub fn same_modules(objs: &[(String, Vec<u8>)], args: &[&str]) -> (Vec<u8>, Vec<u8>) {
    let inputs: Vec<Input<'_>> = objs.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let (ours, theirs) = both_ok(&inputs, args);
    let (a, b) = (sections(&ours), sections(&theirs));
    let ids = |s: &[(u8, String, Vec<u8>)]| s.iter().map(|(i, n, _)| format!("{i}{n}")).collect::<Vec<_>>();
    assert_eq!(ids(&a), ids(&b), "section order, {args:?}");
    for (x, y) in a.iter().zip(&b) {
        assert!(x.2 == y.2, "section {} {} differs for {args:?}:\nrefld    {:02x?}\nrust-lld {:02x?}", x.0, x.1, x.2, y.2);
    }
    (ours, theirs)
}

/// [`same_modules`], returning refld's module.
pub fn same_module(objs: &[(String, Vec<u8>)], args: &[&str]) -> Vec<u8> {
    same_modules(objs, args).0
}

/// Assembles `source` as `NAME.o` with `llvm-mc-19` and `args` (the
/// triple, `-mattr=...`); fails the test, naming the package, when
/// llvm-mc-19 is missing or rejects the source.
pub fn assemble_with(args: &[&str], name: &str, source: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temporary folder");
    let (s, o) = (dir.path().join(format!("{name}.s")), dir.path().join(format!("{name}.o")));
    std::fs::write(&s, source).expect("writing a source");
    let out = Command::new("llvm-mc-19")
        .args(args)
        .arg("-filetype=obj")
        .arg(&s)
        .arg("-o")
        .arg(&o)
        .output()
        .expect("llvm-mc-19 is missing: install package llvm-19 (scripts/setup.sh)");
    assert!(out.status.success(), "llvm-mc-19 failed on {name}.s: {}", String::from_utf8_lossy(&out.stderr));
    std::fs::read(&o).expect("reading an object")
}
