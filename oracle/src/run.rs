//! Running linked outputs as WASI preview 1 commands in wasmtime.
//!
//! The run is deterministic: no arguments but argv[0] `main.wasm`, no
//! environment, no preopened directories, empty stdin, clocks stopped at
//! zero, random bytes a fixed cycle. Imports other than WASI preview 1 are
//! defined as functions that trap when called (the trap names the import),
//! memories/tables/globals as fresh ones of the imported type (minimum
//! size, zero/null contents).

use serde::Serialize;
use std::sync::OnceLock;
use std::time::Duration;
use wasmtime::{
    Config, Engine, Extern, ExternType, Global, Linker, Memory, Module, OptLevel, Ref, Store, StoreLimits,
    StoreLimitsBuilder, Table, Trap, Val,
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
    /// `None` when the run trapped or could not start.
    pub exit_code: Option<i32>,
    /// Why the run did not exit, as a short stable kind (see [`TrapKind`]
    /// rendered by [`TrapKind::describe`]); `None` when it exited.
    pub trap: Option<String>,
    /// The full error text behind `trap` (wasmtime's message, backtrace
    /// excluded); not compared, for humans.
    pub message: Option<String>,
    /// Fuel used by the run.
    pub fuel_consumed: u64,
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
    OutOfFuel,
    /// stdout or stderr reached [`RunLimits::output_bytes`].
    OutputLimit,
    /// A call of an import that is not WASI preview 1: `module.name`.
    UnresolvedImport(String),
    /// The output has no `_start` function export.
    NoStart,
    /// wasmtime rejected the module (validation or compilation).
    Invalid,
    /// Instantiation failed (an import could not be provided, a data or
    /// element segment out of bounds, a start function that trapped...).
    Instantiation,
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
            TrapKind::OutOfFuel => "out of fuel".into(),
            TrapKind::OutputLimit => "output limit".into(),
            TrapKind::UnresolvedImport(name) => format!("unresolved import called: {name}"),
            TrapKind::NoStart => "no _start export".into(),
            TrapKind::Invalid => "invalid module".into(),
            TrapKind::Instantiation => "instantiation failed".into(),
            TrapKind::Other => "other".into(),
        }
    }
}

/// The error a call of a non-WASI import raises.
#[derive(Debug)]
struct UnresolvedImportCalled(String);

impl std::fmt::Display for UnresolvedImportCalled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "called the unresolved import {}", self.0)
    }
}

impl std::error::Error for UnresolvedImportCalled {}

/// A wasmtime engine set up for many short runs; create once, reuse.
pub struct Runner {
    engine: Engine,
}

struct Host {
    wasi: WasiP1Ctx,
    limits: StoreLimits,
}

impl Runner {
    /// An engine with fuel metering, unoptimized single-threaded Cranelift
    /// compilation (fast for small modules). Fails only if wasmtime cannot
    /// set up its engine on this machine.
    pub fn new() -> Result<Runner, String> {
        let mut config = Config::new();
        config.consume_fuel(true).cranelift_opt_level(OptLevel::None).parallel_compilation(false);
        let engine = Engine::new(&config).map_err(|e| format!("wasmtime engine: {e}"))?;
        Ok(Runner { engine })
    }

    /// Runs `bytes` as a WASI preview 1 command: instantiate, call `_start`.
    /// Never fails: every way the run can end is a [`RunResult`].
    pub fn run(&self, bytes: &[u8], limits: &RunLimits) -> RunResult {
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
        let mut store = Store::new(&self.engine, Host { wasi, limits: store_limits });
        store.limiter(|h| &mut h.limits);
        let _ = store.set_fuel(limits.fuel);

        let outcome = self.start(&mut store, bytes);
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
            Ok(()) => (Some(0), None, None),
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
        }
    }

    fn start(&self, store: &mut Store<Host>, bytes: &[u8]) -> Result<(), Ended> {
        let module = Module::new(&self.engine, bytes).map_err(|e| Ended::Trap(TrapKind::Invalid, short(&e)))?;
        let mut linker: Linker<Host> = Linker::new(&self.engine);
        let setup = |e: wasmtime::Error| Ended::Trap(TrapKind::Instantiation, short(&e));
        wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |h: &mut Host| &mut h.wasi).map_err(setup)?;
        define_unresolved_imports(&mut linker, &mut *store, &module).map_err(setup)?;
        let instance = linker.instantiate(&mut *store, &module).map_err(|e| classify(e, TrapKind::Instantiation))?;
        let start = match instance.get_func(&mut *store, "_start") {
            Some(f) => f,
            None => return Err(Ended::Trap(TrapKind::NoStart, "the module exports no function _start".into())),
        };
        let start = start
            .typed::<(), ()>(&*store)
            .map_err(|e| Ended::Trap(TrapKind::NoStart, format!("_start has the wrong type: {}", short(&e))))?;
        start.call(&mut *store, ()).map_err(|e| classify(e, TrapKind::Other))
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

enum Ended {
    Exit(i32),
    Trap(TrapKind, String),
}

fn define_unresolved_imports(
    linker: &mut Linker<Host>,
    mut store: &mut Store<Host>,
    module: &Module,
) -> wasmtime::Result<()> {
    for import in module.imports() {
        let (m, n) = (import.module(), import.name());
        if linker.get(&mut store, m, n).is_ok() {
            continue;
        }
        let name = format!("{m}.{n}");
        let item: Extern = match import.ty() {
            ExternType::Func(ty) => {
                linker.func_new(m, n, ty, move |_, _, _| Err(wasmtime::Error::new(UnresolvedImportCalled(name.clone()))))?;
                continue;
            }
            ExternType::Memory(ty) => Memory::new(&mut store, ty)?.into(),
            ExternType::Table(ty) => {
                let init = Ref::null(ty.element().heap_type());
                Table::new(&mut store, ty, init)?.into()
            }
            ExternType::Global(ty) => match Val::default_for_ty(ty.content()) {
                Some(v) => Global::new(&mut store, ty, v)?.into(),
                None => continue,
            },
            // Tags and anything newer: left undefined, instantiation fails.
            _ => continue,
        };
        linker.define(&mut store, m, n, item)?;
    }
    Ok(())
}

fn classify(err: wasmtime::Error, fallback: TrapKind) -> Ended {
    if let Some(exit) = err.downcast_ref::<I32Exit>() {
        return Ended::Exit(exit.0);
    }
    let message = short(&err);
    if let Some(call) = err.downcast_ref::<UnresolvedImportCalled>() {
        return Ended::Trap(TrapKind::UnresolvedImport(call.0.clone()), message);
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
