//! Running linked outputs in wasmtime.
//!
//! A module exporting `_start` runs as a WASI preview 1 command (stdout,
//! stderr, exit code). A module without `_start` (a reactor, a `--no-entry`
//! output) gets `_initialize` called if exported, then every exported
//! function, sorted by name, with deterministic arguments
//! ([`reactor::argument`]), each call recorded as an [`ExportCall`].
//!
//! The run is deterministic: no arguments but argv[0] `main.wasm`, no
//! environment, no preopened directories, empty stdin, clocks stopped at
//! zero, random bytes a fixed cycle. Function imports other than WASI
//! preview 1 are served by a recording host ([`host`]): each call is logged
//! as a [`HostCall`] (module, field, arguments) and returns small values
//! derived from them. Imported memories/tables/globals are fresh ones of the
//! imported type (minimum size, zero/null contents).
//!
//! Compiled modules are cached by content in the [`Runner`].
//!
//! [`provided`] runs a module the other way, with every import provided and
//! per-call fuel, memory hashes and globals recorded: how the
//! split-and-relink oracle compares two modules.

pub mod host;
pub mod loader;
pub mod provided;
pub mod reactor;

pub use host::HostCall;
pub use loader::{Library, MissingFunction};
pub use reactor::ExportCall;

use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;
use wasmtime::{
    Config, Engine, Linker, Module, OptLevel, Store, StoreLimits, StoreLimitsBuilder, Trap,
};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{HostMonotonicClock, HostWallClock, I32Exit, WasiCtxBuilder};

/// Bounds of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RunLimits {
    /// Fuel (about one unit per wasm instruction) before the run stops with
    /// the trap `out of fuel`.
    pub fuel: u64,
    /// Largest linear memory, in bytes; growing beyond fails (memory.grow
    /// returns -1).
    pub memory_bytes: usize,
    /// Largest table, in elements.
    pub table_elements: usize,
    /// Bytes kept of stdout and of stderr each; a run whose output reaches
    /// this size ends with the trap `output limit` (whatever it did after).
    pub output_bytes: usize,
}

impl Default for RunLimits {
    /// 2·10⁹ fuel, 1 GiB of memory, 10⁶ table elements, 1 MiB of output.
    fn default() -> Self {
        RunLimits { fuel: 2_000_000_000, memory_bytes: 1 << 30, table_elements: 1_000_000, output_bytes: 1 << 20 }
    }
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunResult {
    /// Everything written to stdout (fd 1).
    #[serde(serialize_with = "lossy")]
    pub stdout: Vec<u8>,
    /// Everything written to stderr (fd 2).
    #[serde(serialize_with = "lossy")]
    pub stderr: Vec<u8>,
    /// `Some(0)` when `_start` returned, `Some(n)` after `proc_exit(n)`,
    /// `None` when the run trapped or could not start, and for modules
    /// without `_start` (their calls' exits are in [`RunResult::calls`]).
    pub exit_code: Option<i32>,
    /// Why the run did not exit, as a short stable kind (see [`TrapKind`]
    /// rendered by [`TrapKind::describe`]); `None` when it exited.
    pub trap: Option<String>,
    /// The full error text behind `trap` (wasmtime's message, backtrace
    /// excluded); not compared, for humans.
    pub message: Option<String>,
    /// Fuel used by the run.
    pub fuel_consumed: u64,
    /// The first [`host::MAX_HOST_CALLS`] calls of non-WASI imports, in
    /// order.
    pub host_calls: Vec<HostCall>,
    /// How many calls of non-WASI imports the run made in all.
    pub host_call_count: u64,
    /// For a module without `_start`: its exported functions' calls, in
    /// name order (empty for commands, and when `_initialize` failed).
    pub calls: Vec<ExportCall>,
}

/// Why a run ended without exiting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrapKind {
    Unreachable,
    MemoryOutOfBounds,
    TableOutOfBounds,
    IndirectCallToNull,
    IndirectCallTypeMismatch,
    IntegerDivideByZero,
    IntegerOverflow,
    BadConversionToInteger,
    StackOverflow,
    /// A wasm exception (`throw`) no handler caught.
    UncaughtException,
    OutOfFuel,
    /// stdout or stderr reached [`RunLimits::output_bytes`].
    OutputLimit,
    /// `_start` is exported but not as a function `[] -> []`.
    NoStart,
    /// wasmtime rejected the module (validation or compilation).
    Invalid,
    /// Instantiation failed (an import could not be provided, a data or
    /// element segment out of bounds, a start function that trapped...).
    Instantiation,
    /// A call of a function no loaded module defines, under
    /// [`loader::MissingFunction::Trap`].
    MissingFunction,
    /// The loader ([`loader`]) refused a dynamic link: a required symbol
    /// no module defines, a NEEDED library not given, a module that is not
    /// position-independent.
    Load,
    /// Any other trap or host error.
    Other,
}

impl TrapKind {
    /// The stable short text stored in [`RunResult::trap`] and compared
    /// under the key `run.trap`.
    pub fn describe(&self) -> String {
        match self {
            TrapKind::Unreachable => "unreachable".into(),
            TrapKind::MemoryOutOfBounds => "out-of-bounds memory access".into(),
            TrapKind::TableOutOfBounds => "out-of-bounds table access".into(),
            TrapKind::IndirectCallToNull => "indirect call to null".into(),
            TrapKind::IndirectCallTypeMismatch => "indirect call type mismatch".into(),
            TrapKind::IntegerDivideByZero => "integer divide by zero".into(),
            TrapKind::IntegerOverflow => "integer overflow".into(),
            TrapKind::BadConversionToInteger => "invalid conversion to integer".into(),
            TrapKind::StackOverflow => "stack overflow".into(),
            TrapKind::UncaughtException => "uncaught exception".into(),
            TrapKind::OutOfFuel => "out of fuel".into(),
            TrapKind::OutputLimit => "output limit".into(),
            TrapKind::NoStart => "no _start export".into(),
            TrapKind::Invalid => "invalid module".into(),
            TrapKind::Instantiation => "instantiation failed".into(),
            TrapKind::Load => "load failed".into(),
            TrapKind::MissingFunction => "missing function".into(),
            TrapKind::Other => "other".into(),
        }
    }
}

/// Compiled modules kept by a [`Runner`]; when full, the cache is emptied.
pub const MODULE_CACHE_ENTRIES: usize = 256;

/// A wasmtime engine set up for many short runs, with a cache of compiled
/// modules by content; create once, reuse.
pub struct Runner {
    engine: Engine,
    /// WASI preview 1 defined once: a clone per run is cheaper than
    /// defining its functions again.
    wasi_linker: Linker<Host>,
    /// FNV-1a of the bytes -> (bytes, module); the bytes rule out collisions.
    cache: Mutex<HashMap<u64, (Vec<u8>, Module)>>,
    compilations: AtomicU64,
}

/// The store's data of one run.
pub struct Host {
    wasi: WasiP1Ctx,
    limits: StoreLimits,
    host_calls: Vec<HostCall>,
    host_call_count: u64,
}

impl Runner {
    /// An engine with fuel metering, unoptimized single-threaded Cranelift
    /// compilation (fast for small modules). Fails only if wasmtime cannot
    /// set up its engine on this machine.
    pub fn new() -> Result<Runner, String> {
        let engine = Engine::new(&fuel_config()).map_err(|e| format!("wasmtime engine: {e}"))?;
        let mut wasi_linker: Linker<Host> = Linker::new(&engine);
        wasmtime_wasi::p1::add_to_linker_sync(&mut wasi_linker, |h: &mut Host| &mut h.wasi)
            .map_err(|e| format!("wasmtime WASI linker: {e}"))?;
        Ok(Runner { engine, wasi_linker, cache: Mutex::new(HashMap::new()), compilations: AtomicU64::new(0) })
    }

    /// How many modules this runner has compiled (cache misses).
    pub fn compilations(&self) -> u64 {
        self.compilations.load(Ordering::Relaxed)
    }

    /// The compiled module of `bytes`, from the cache or compiled (and
    /// cached) now.
    pub fn module(&self, bytes: &[u8]) -> wasmtime::Result<Module> {
        let key = host::fnv1a(&[bytes]);
        if let Some((b, m)) = self.cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            if b == bytes {
                return Ok(m.clone());
            }
        }
        let module = Module::new(&self.engine, bytes)?;
        self.compilations.fetch_add(1, Ordering::Relaxed);
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= MODULE_CACHE_ENTRIES {
            cache.clear();
        }
        cache.insert(key, (bytes.to_vec(), module.clone()));
        Ok(module)
    }

    /// Runs `bytes`: instantiate, then call `_start`, or (without `_start`)
    /// `_initialize` and every exported function. A position-independent
    /// module (one with a `dylink.0` section) is loaded by [`loader`] as a
    /// main module without libraries. Never fails: every way the run can
    /// end is a [`RunResult`].
    pub fn run(&self, bytes: &[u8], limits: &RunLimits) -> RunResult {
        if matches!(crate::dylink::read_dylink(bytes), Ok(Some(_))) {
            return self.run_dynamic(bytes, &[], limits);
        }
        self.run_with(limits, |store, calls| self.start(store, bytes, calls))
    }

    /// A fresh store with `limits`, `go` run in it, and its result: the
    /// part every run shares (static and dynamic).
    fn run_with(
        &self,
        limits: &RunLimits,
        go: impl FnOnce(&mut Store<Host>, &mut Vec<ExportCall>) -> Result<bool, Ended>,
    ) -> RunResult {
        let stdout = MemoryOutputPipe::new(limits.output_bytes);
        let stderr = MemoryOutputPipe::new(limits.output_bytes);
        let wasi = WasiCtxBuilder::new()
            .stdout(stdout.clone())
            .stderr(stderr.clone())
            .arg("main.wasm")
            .wall_clock(StoppedClock)
            .monotonic_clock(StoppedClock)
            .secure_random(wasmtime_wasi::Deterministic::new(vec![0x5a, 0x17, 0xc3, 0x81]))
            .insecure_random(wasmtime_wasi::Deterministic::new(vec![0x27, 0x9e, 0x44, 0x0b]))
            .insecure_random_seed(0x006c_696e_6b63_6865_636b)
            .build_p1();
        let store_limits = StoreLimitsBuilder::new()
            .memory_size(limits.memory_bytes)
            .table_elements(limits.table_elements)
            .build();
        let mut store = Store::new(&self.engine, Host { wasi, limits: store_limits, host_calls: Vec::new(), host_call_count: 0 });
        store.limiter(|h| &mut h.limits);
        let _ = store.set_fuel(limits.fuel);

        let mut calls = Vec::new();
        let outcome = go(&mut store, &mut calls);
        let fuel_left = store.get_fuel().unwrap_or(0);
        let (stdout, stderr) = (stdout.contents().to_vec(), stderr.contents().to_vec());
        let full = |b: &[u8], fd: &str| {
            (b.len() >= limits.output_bytes).then(|| format!("{fd} reached the limit of {} bytes", limits.output_bytes))
        };
        let outcome = match full(&stdout, "stdout").or_else(|| full(&stderr, "stderr")) {
            // What the program did after its writes failed is not its own
            // behaviour any more.
            Some(message) => Err(Ended::Trap(TrapKind::OutputLimit, message)),
            None => outcome,
        };
        let (exit_code, trap, message) = match outcome {
            Ok(false) => (Some(0), None, None),
            Ok(true) => (None, None, None),
            Err(Ended::Exit(code)) => (Some(code), None, None),
            Err(Ended::Trap(kind, message)) => (None, Some(kind.describe()), Some(message)),
        };
        RunResult {
            stdout,
            stderr,
            exit_code,
            trap,
            message,
            fuel_consumed: limits.fuel.saturating_sub(fuel_left),
            host_calls: std::mem::take(&mut store.data_mut().host_calls),
            host_call_count: store.data().host_call_count,
            calls,
        }
    }

    /// Instantiates and runs; `Ok(true)` for a module without `_start`
    /// (its calls pushed on `calls`).
    fn start(&self, store: &mut Store<Host>, bytes: &[u8], calls: &mut Vec<ExportCall>) -> Result<bool, Ended> {
        let module = self.module(bytes).map_err(|e| Ended::Trap(TrapKind::Invalid, short(&e)))?;
        let mut linker = self.wasi_linker.clone();
        let setup = |e: wasmtime::Error| Ended::Trap(TrapKind::Instantiation, short(&e));
        host::define_missing_imports(&mut linker, &mut *store, &module).map_err(setup)?;
        let instance = linker.instantiate(&mut *store, &module).map_err(|e| classify(e, TrapKind::Instantiation))?;
        let start = match instance.get_func(&mut *store, "_start") {
            Some(f) => f,
            None => {
                *calls = reactor::call_exports(&mut *store, &instance, &[])?;
                return Ok(true);
            }
        };
        let start = start
            .typed::<(), ()>(&*store)
            .map_err(|e| Ended::Trap(TrapKind::NoStart, format!("_start has the wrong type: {}", short(&e))))?;
        start.call(&mut *store, ()).map_err(|e| classify(e, TrapKind::Other))?;
        Ok(false)
    }
}

/// Runs one module with a shared [`Runner`] created on first use.
///
/// # Panics
/// If wasmtime cannot create its engine on this machine.
pub fn run_wasi_command(bytes: &[u8], limits: &RunLimits) -> RunResult {
    static RUNNER: OnceLock<Runner> = OnceLock::new();
    RUNNER.get_or_init(|| Runner::new().expect("wasmtime engine")).run(bytes, limits)
}

/// The engine settings of every run: fuel metering, unoptimized
/// single-threaded Cranelift compilation (fast for small modules), the
/// threads proposal (shared memories, atomics: `--shared-memory` outputs
/// run on one thread), memory64 (`-m wasm64` outputs) and exception
/// handling (tags and `throw`; an uncaught exception ends the run).
fn fuel_config() -> Config {
    let mut config = Config::new();
    config
        .consume_fuel(true)
        .cranelift_opt_level(OptLevel::None)
        .parallel_compilation(false)
        .wasm_threads(true)
        .shared_memory(true)
        .wasm_memory64(true)
        .wasm_exceptions(true);
    config
}

/// How a run (or one export call) ended other than by returning.
pub enum Ended {
    Exit(i32),
    Trap(TrapKind, String),
}

pub(crate) fn classify(err: wasmtime::Error, fallback: TrapKind) -> Ended {
    if let Some(exit) = err.downcast_ref::<I32Exit>() {
        return Ended::Exit(exit.0);
    }
    let message = short(&err);
    if err.downcast_ref::<loader::MissingFunctionCalled>().is_some() {
        return Ended::Trap(TrapKind::MissingFunction, message);
    }
    if err.downcast_ref::<wasmtime::ThrownException>().is_some() {
        return Ended::Trap(TrapKind::UncaughtException, message);
    }
    let kind = match err.downcast_ref::<Trap>() {
        Some(Trap::UnreachableCodeReached) => TrapKind::Unreachable,
        Some(Trap::MemoryOutOfBounds) | Some(Trap::HeapMisaligned) => TrapKind::MemoryOutOfBounds,
        Some(Trap::TableOutOfBounds) => TrapKind::TableOutOfBounds,
        Some(Trap::IndirectCallToNull) => TrapKind::IndirectCallToNull,
        Some(Trap::BadSignature) => TrapKind::IndirectCallTypeMismatch,
        Some(Trap::IntegerDivisionByZero) => TrapKind::IntegerDivideByZero,
        Some(Trap::IntegerOverflow) => TrapKind::IntegerOverflow,
        Some(Trap::BadConversionToInteger) => TrapKind::BadConversionToInteger,
        Some(Trap::StackOverflow) => TrapKind::StackOverflow,
        Some(Trap::OutOfFuel) => TrapKind::OutOfFuel,
        Some(_) => TrapKind::Other,
        None if message.contains("beyond capacity of MemoryOutputPipe") => TrapKind::OutputLimit,
        None => fallback,
    };
    Ended::Trap(kind, message)
}

/// The error and its causes on one line, without the wasm backtrace.
fn short(err: &wasmtime::Error) -> String {
    let parts: Vec<String> = err
        .chain()
        .map(|e| e.to_string().lines().next().unwrap_or_default().to_string())
        .filter(|line| !line.is_empty() && !line.starts_with("error while executing at wasm backtrace"))
        .collect();
    parts.join(": ")
}

fn lossy<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&String::from_utf8_lossy(bytes))
}

/// Wall and monotonic clock both stopped at zero.
struct StoppedClock;

impl HostWallClock for StoppedClock {
    fn resolution(&self) -> Duration {
        Duration::from_nanos(1)
    }
    fn now(&self) -> Duration {
        Duration::ZERO
    }
}

impl HostMonotonicClock for StoppedClock {
    fn resolution(&self) -> u64 {
        1
    }
    fn now(&self) -> u64 {
        0
    }
}
