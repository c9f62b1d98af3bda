//! Running a module with every import provided, the way the split-and-relink
//! oracle (linkcheck-gen's `split`) compares an original module with its
//! relinked copy: the imports are provided identically for both modules,
//! then every exported function is called in export-name order with
//! deterministic arguments, recording what each call returned, the imports
//! it called and a hash of the memory after it.
//!
//! - Function imports: a recording host function returning values derived
//!   from its name and arguments (FNV-1a, as [`super::host`] does).
//! - [`MEMORY_IMPORT`] (`env.memory`): one memory whose limits satisfy both modules' imports
//!   ([`Provision::for_modules`]), its first 64 KiB filled with a fixed
//!   pattern so loads see more than zeros.
//! - [`TABLE_IMPORT`] (`env.__indirect_function_table`): one table likewise, its slots holding
//!   recording host functions of the original's types (every fourth slot
//!   null), so `call_indirect` type checks matter.
//!
//! Each call gets [`FUEL_PER_CALL`]. Calls of the exports named `inexact`
//! (the splitter's wrapper exports: a wrapper adds instructions and a frame)
//! may run out of fuel or stack at another point on the relinked side: such
//! a call ends the run, its host calls and memory dropped from the trace.
//! Any other call runs the same instructions on both sides, so it is
//! compared in full and the run goes on.

use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use wasmtime::{
    Caller, Engine, Extern, ExternType, Func, FuncType, Linker, Memory, MemoryType, Module, Ref,
    RefType, Store, StoreLimits, StoreLimitsBuilder, Table, TableType, Val, ValType,
};

use super::host::{fnv1a, render_val};
use super::{classify, fuel_config, Ended, TrapKind};

/// The import of the memory both modules are given (wasm-ld's
/// `--import-memory` imports `env.memory`).
pub const MEMORY_IMPORT: (&str, &str) = ("env", "memory");
/// The import of the table both modules are given (`--import-table`
/// imports `env.__indirect_function_table`).
pub const TABLE_IMPORT: (&str, &str) = ("env", "__indirect_function_table");

/// Fuel for one exported function call (about one unit per instruction).
pub const FUEL_PER_CALL: u64 = 200_000;

/// Bytes of memory a run may grow to.
pub const MEMORY_LIMIT: usize = 4 << 20;

/// Host calls kept per export call.
pub const HOST_CALLS_PER_CALL: usize = 256;

/// What one exported function call did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallRecord {
    /// The export name.
    pub name: String,
    /// The arguments, rendered.
    pub args: Vec<String>,
    /// `(results)`, `trap: KIND` or `skipped: ...`.
    pub result: String,
    /// The host calls it made, `name(args)`, the first [`HOST_CALLS_PER_CALL`].
    pub host: Vec<String>,
    /// A hash of the whole memory after the call (`None`: no memory, or the
    /// run stopped at this call).
    pub memory: Option<u64>,
    /// The exported globals after the call, `name=value` in name order
    /// (empty when the run stopped at this call).
    pub globals: Vec<String>,
}

/// A run: the exported function names (sorted) and one record per call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    /// Function export names, sorted.
    pub exports: Vec<String>,
    /// The calls, in export-name order (fewer when the run stopped).
    pub calls: Vec<CallRecord>,
}

/// The memory and table given to both modules, and the types of the host
/// functions in the table.
#[derive(Clone, Debug)]
pub struct Provision {
    /// Memory limits in pages (min, max).
    pub memory: Option<(u64, Option<u64>)>,
    /// Table limits in elements (min, max).
    pub table: Option<(u64, Option<u64>)>,
    /// (params, results) of the functions placed in table slots, cycled.
    pub table_funcs: Vec<(Vec<ValType>, Vec<ValType>)>,
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut c = fuel_config();
        c.max_wasm_stack(256 << 10);
        Engine::new(&c).expect("wasmtime engine with fuel")
    })
}

/// Compiles `bytes`. Errors: wasmtime's message (an invalid module).
pub fn compile(bytes: &[u8]) -> Result<Module, String> {
    Module::new(engine(), bytes).map_err(|e| format!("{e:#}"))
}

/// Intersects the limits each module declares for its import `module.field`
/// of a memory or table: the largest minimum, the smallest maximum.
fn limits(modules: &[&Module], field: &str) -> Result<Option<(u64, Option<u64>)>, String> {
    let mut out: Option<(u64, Option<u64>)> = None;
    for m in modules {
        for i in m.imports() {
            if i.module() != "env" || i.name() != field {
                continue;
            }
            let (min, max) = match i.ty() {
                ExternType::Memory(t) => (t.minimum(), t.maximum()),
                ExternType::Table(t) => (t.minimum(), t.maximum()),
                _ => return Err(format!("env.{field} is not a memory or table")),
            };
            let (omin, omax) = out.unwrap_or((0, None));
            let max = match (omax, max) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            out = Some((omin.max(min), max));
        }
    }
    if let Some((min, Some(max))) = out {
        if min > max {
            return Err(format!("no env.{field} satisfies both modules' imports (minimum {min} > maximum {max})"));
        }
    }
    Ok(out)
}

impl Provision {
    /// The provision that satisfies every module's imports of `env.memory`
    /// and `env.__indirect_function_table`, with table functions of `types`.
    /// Errors: no memory or table satisfies both (say which).
    pub fn for_modules(modules: &[&Module], types: &[wasmparser::FuncType]) -> Result<Provision, String> {
        let conv = |t: &wasmparser::ValType| match t {
            wasmparser::ValType::I32 => Some(ValType::I32),
            wasmparser::ValType::I64 => Some(ValType::I64),
            wasmparser::ValType::F32 => Some(ValType::F32),
            wasmparser::ValType::F64 => Some(ValType::F64),
            wasmparser::ValType::V128 => Some(ValType::V128),
            wasmparser::ValType::Ref(_) => None,
        };
        let table_funcs = types
            .iter()
            .filter_map(|t| {
                let p: Option<Vec<ValType>> = t.params().iter().map(conv).collect();
                let r: Option<Vec<ValType>> = t.results().iter().map(conv).collect();
                Some((p?, r?))
            })
            .collect();
        Ok(Provision {
            memory: limits(modules, MEMORY_IMPORT.1)?,
            table: limits(modules, TABLE_IMPORT.1)?,
            table_funcs,
        })
    }
}

struct HostState {
    limits: StoreLimits,
    host: Vec<String>,
}

/// The `k`-th result of a host function whose name and arguments hash to `h`.
fn derived(h: u64, k: usize, ty: &ValType) -> Val {
    let n = (h.rotate_left(9 * k as u32) ^ k as u64) % 97;
    match ty {
        ValType::I32 => Val::I32(n as i32),
        ValType::I64 => Val::I64(n as i64),
        ValType::F32 => Val::F32((n as f32).to_bits()),
        ValType::F64 => Val::F64((n as f64).to_bits()),
        ValType::V128 => Val::V128((n as u128 * 0x0101_0101_0101_0101_0101_0101_0101_0101).into()),
        other => Val::default_for_ty(other).unwrap_or(Val::I32(0)),
    }
}

fn recording_func(store: &mut Store<HostState>, name: String, ty: FuncType) -> Func {
    let results: Vec<ValType> = ty.results().collect();
    Func::new(store, ty, move |mut caller: Caller<'_, HostState>, params: &[Val], out: &mut [Val]| {
        let args: Vec<String> = params.iter().map(render_val).collect();
        let h = fnv1a(&[name.as_bytes(), args.join(",").as_bytes()]);
        for (k, (slot, ty)) in out.iter_mut().zip(&results).enumerate() {
            *slot = derived(h, k, ty);
        }
        let host = &mut caller.data_mut().host;
        if host.len() < HOST_CALLS_PER_CALL {
            host.push(format!("{name}({})", args.join(", ")));
        }
        Ok(())
    })
}

/// The argument `j` of the export at position `i` (name order):
/// `1 + 8·i + j` in the parameter's type (as `run::reactor::argument`),
/// v128 as that number in every byte; `None` for reference types.
fn argument(i: usize, j: usize, ty: &ValType) -> Option<Val> {
    let n = 1 + 8 * i as u64 + j as u64;
    match ty {
        ValType::V128 => Some(Val::V128((u128::from(n as u8) * 0x0101_0101_0101_0101_0101_0101_0101_0101).into())),
        _ => super::reactor::argument(i, j, ty),
    }
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    // Fixed keys: the same bytes hash the same for both runs.
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// Instantiates `module` with `p` and calls every exported function;
/// `inexact` names the exports whose exhaustion point may differ (see the
/// module documentation). Errors: the module cannot be instantiated (an
/// import the harness cannot provide, a trap while instantiating).
pub fn run(module: &Module, p: &Provision, inexact: &[String]) -> Result<Trace, String> {
    let engine = engine();
    let limits = StoreLimitsBuilder::new().memory_size(MEMORY_LIMIT).table_elements(100_000).build();
    let mut store = Store::new(engine, HostState { limits, host: Vec::new() });
    store.limiter(|s| &mut s.limits);
    let memory = match p.memory {
        Some((min, max)) => {
            let ty = MemoryType::new(min as u32, max.map(|m| m as u32));
            let mem = Memory::new(&mut store, ty).map_err(|e| format!("memory: {e:#}"))?;
            for (i, b) in mem.data_mut(&mut store).iter_mut().take(1 << 16).enumerate() {
                *b = (i as u32).wrapping_mul(0x9e37_79b1).rotate_right(13) as u8;
            }
            Some(mem)
        }
        None => None,
    };
    let table = match p.table {
        Some((min, max)) => {
            let ty = TableType::new(RefType::FUNCREF, min as u32, max.map(|m| m as u32));
            let table = Table::new(&mut store, ty, Ref::Func(None)).map_err(|e| format!("table: {e:#}"))?;
            for slot in 0..min.min(4096) {
                if slot % 4 == 3 || p.table_funcs.is_empty() {
                    continue;
                }
                let (params, results) = &p.table_funcs[slot as usize % p.table_funcs.len()];
                let ty = FuncType::new(engine, params.iter().cloned(), results.iter().cloned());
                let f = recording_func(&mut store, format!("table[{slot}]"), ty);
                table.set(&mut store, slot, Ref::Func(Some(f))).map_err(|e| format!("table slot {slot}: {e:#}"))?;
            }
            Some(table)
        }
        None => None,
    };
    let mut linker: Linker<HostState> = Linker::new(engine);
    for import in module.imports() {
        let (m, n) = (import.module(), import.name());
        let item: Extern = match import.ty() {
            ExternType::Func(ty) => recording_func(&mut store, format!("{m}.{n}"), ty).into(),
            ExternType::Memory(_) if (m, n) == MEMORY_IMPORT => {
                memory.ok_or("no memory provided")?.into()
            }
            ExternType::Table(_) if (m, n) == TABLE_IMPORT => table.ok_or("no table provided")?.into(),
            other => return Err(format!("cannot provide import {m}.{n}: {other:?}")),
        };
        linker.define(&store, m, n, item).map_err(|e| format!("import {m}.{n}: {e:#}"))?;
    }
    store.set_fuel(FUEL_PER_CALL).map_err(|e| format!("fuel: {e:#}"))?;
    let instance = linker.instantiate(&mut store, module).map_err(|e| format!("instantiation: {e:#}"))?;
    let mut funcs: Vec<(String, Func)> = instance
        .exports(&mut store)
        .filter_map(|e| {
            let name = e.name().to_string();
            e.into_func().map(|f| (name, f))
        })
        .collect();
    funcs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut globals: Vec<(String, wasmtime::Global)> = instance
        .exports(&mut store)
        .filter_map(|e| {
            let name = e.name().to_string();
            e.into_global().map(|g| (name, g))
        })
        .collect();
    globals.sort_by(|a, b| a.0.cmp(&b.0));
    let mut trace = Trace { exports: funcs.iter().map(|f| f.0.clone()).collect(), calls: Vec::new() };
    for (i, (name, func)) in funcs.into_iter().enumerate() {
        let ty = func.ty(&store);
        let args: Option<Vec<Val>> = ty.params().enumerate().map(|(j, t)| argument(i, j, &t)).collect();
        let Some(args) = args else {
            let result = "skipped: reference-type parameter".to_string();
            trace.calls.push(CallRecord { name, args: Vec::new(), result, host: Vec::new(), memory: None, globals: Vec::new() });
            continue;
        };
        let mut results: Vec<Val> = ty.results().map(|t| Val::default_for_ty(&t).unwrap_or(Val::I32(0))).collect();
        store.data_mut().host.clear();
        store.set_fuel(FUEL_PER_CALL).map_err(|e| format!("fuel: {e:#}"))?;
        let (result, stop) = match func.call(&mut store, &args, &mut results) {
            Ok(()) => (format!("({})", results.iter().map(render_val).collect::<Vec<_>>().join(", ")), false),
            Err(e) => match classify(e, TrapKind::Other) {
                Ended::Exit(code) => (format!("exit {code}"), false),
                Ended::Trap(kind, _) => {
                    let exhausted = matches!(kind, TrapKind::OutOfFuel | TrapKind::StackOverflow);
                    let stop = exhausted && inexact.contains(&name);
                    (format!("trap: {}", kind.describe()), stop)
                }
            },
        };
        let args = args.iter().map(render_val).collect();
        if stop {
            trace.calls.push(CallRecord { name, args, result, host: Vec::new(), memory: None, globals: Vec::new() });
            break;
        }
        let host = std::mem::take(&mut store.data_mut().host);
        let memory = memory.map(|m| hash_bytes(m.data(&store)));
        let values = globals.iter().map(|(n, g)| format!("{n}={}", render_val(&g.get(&mut store)))).collect();
        trace.calls.push(CallRecord { name, args, result, host, memory, globals: values });
    }
    Ok(trace)
}
