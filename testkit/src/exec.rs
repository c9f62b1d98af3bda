//! Calling exported functions of a module in wasmtime, without WASI: for
//! tests that check what a linked program computes. (Running an output the
//! way linkcheck compares it is `linkcheck_core::run`.)

use std::sync::OnceLock;
use wasmtime::{Engine, Extern, ExternType, Global, Instance, Linker, Memory, Module, Ref, SharedMemory, Store, Table, Trap, Val};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    // memory64: wasm64 outputs (`-m wasm64`) have an i64 memory and table;
    // threads: `--shared-memory` outputs (a shared memory, atomics).
    ENGINE.get_or_init(|| {
        let mut config = wasmtime::Config::new();
        config.wasm_memory64(true).wasm_exceptions(true).wasm_threads(true).shared_memory(true);
        Engine::new(&config).expect("a wasmtime engine")
    })
}

/// An instance of a module, ready for calls.
pub struct Exec {
    store: Store<()>,
    instance: Instance,
}

impl Exec {
    /// Instantiates `bytes`. An imported function `(module, name)` listed
    /// in `answers` returns the given i32 (as its first result); any other
    /// imported function traps with `import called: MODULE.NAME`;
    /// imported memories, tables and globals are fresh and empty.
    ///
    /// Errors: wasmtime rejects the module, an import cannot be provided,
    /// or instantiation traps.
    pub fn new(bytes: &[u8], answers: &[(&str, &str, i32)]) -> Result<Exec, String> {
        let engine = engine();
        let module = Module::new(engine, bytes).map_err(|e| format!("wasmtime rejects the module: {e:#}"))?;
        let mut store = Store::new(engine, ());
        let mut linker: Linker<()> = Linker::new(engine);
        for import in module.imports() {
            let (m, n) = (import.module().to_string(), import.name().to_string());
            let item: Extern = match import.ty() {
                ExternType::Func(ty) => {
                    let answer = answers.iter().find(|(am, an, _)| *am == m && *an == n).map(|a| a.2);
                    let text = format!("import called: {m}.{n}");
                    let define = linker.func_new(&m, &n, ty, move |_, _, out| match answer {
                        Some(v) => {
                            if let Some(first) = out.first_mut() {
                                *first = Val::I32(v);
                            }
                            Ok(())
                        }
                        None => Err(wasmtime::Error::msg(text.clone())),
                    });
                    define.map_err(|e| format!("import {m}.{n}: {e:#}"))?;
                    continue;
                }
                ExternType::Memory(ty) if ty.is_shared() => SharedMemory::new(engine, ty).map_err(|e| e.to_string())?.into(),
                ExternType::Memory(ty) => Memory::new(&mut store, ty).map_err(|e| e.to_string())?.into(),
                ExternType::Table(ty) => {
                    let null = Ref::null(ty.element().heap_type());
                    Table::new(&mut store, ty, null).map_err(|e| e.to_string())?.into()
                }
                ExternType::Global(ty) => {
                    let v = Val::default_for_ty(ty.content()).ok_or(format!("global {m}.{n} has no default"))?;
                    Global::new(&mut store, ty, v).map_err(|e| e.to_string())?.into()
                }
                other => return Err(format!("cannot provide import {m}.{n}: {other:?}")),
            };
            linker.define(&mut store, &m, &n, item).map_err(|e| e.to_string())?;
        }
        let instance = linker.instantiate(&mut store, &module).map_err(|e| format!("instantiation failed: {e:#}"))?;
        Ok(Exec { store, instance })
    }

    /// Calls export `name` with i32 arguments. `Ok`: the first i32 result
    /// (0 without one); `Err`: the trap, `unreachable`, `import called: m.f`
    /// or wasmtime's text.
    ///
    /// # Panics
    /// If there is no function export `name`.
    pub fn call(&mut self, name: &str, args: &[i32]) -> Result<i32, String> {
        let f = self.instance.get_func(&mut self.store, name).unwrap_or_else(|| panic!("no function export `{name}`"));
        let params: Vec<Val> = args.iter().map(|&a| Val::I32(a)).collect();
        let mut results = vec![Val::I32(0); f.ty(&self.store).results().len()];
        match f.call(&mut self.store, &params, &mut results) {
            Ok(()) => Ok(results.first().and_then(Val::i32).unwrap_or(0)),
            Err(e) => Err(match e.downcast_ref::<Trap>() {
                Some(Trap::UnreachableCodeReached) => "unreachable".to_string(),
                _ => format!("{}", e.root_cause()),
            }),
        }
    }

    /// The value of the exported i32 global `name` (a data symbol's
    /// address, a counter), if there is one.
    pub fn global_i32(&mut self, name: &str) -> Option<i32> {
        self.instance.get_global(&mut self.store, name)?.get(&mut self.store).i32()
    }
}

/// Instantiates `bytes` ([`Exec::new`], no answers) and calls each export
/// in turn with its i32 arguments ([`Exec::call`]).
///
/// # Panics
/// If the module cannot be instantiated.
pub fn run_calls(bytes: &[u8], calls: &[(&str, &[i32])]) -> Vec<Result<i32, String>> {
    let mut exec = Exec::new(bytes, &[]).unwrap_or_else(|e| panic!("{e}"));
    calls.iter().map(|(name, args)| exec.call(name, args)).collect()
}

/// Calls export `name` with `args` in a fresh instance.
pub fn run_export(bytes: &[u8], name: &str, args: &[i32]) -> Result<i32, String> {
    run_calls(bytes, &[(name, args)]).remove(0)
}

/// What the export `name` (no arguments) returns; a trap fails the test.
pub fn call_i32(bytes: &[u8], name: &str) -> i32 {
    run_export(bytes, name, &[]).unwrap_or_else(|e| panic!("calling {name}: {e}"))
}

/// The exported i32 global `name` of a fresh instance; a missing one fails
/// the test.
pub fn global_i32(bytes: &[u8], name: &str) -> i32 {
    let mut exec = Exec::new(bytes, &[]).unwrap_or_else(|e| panic!("{e}"));
    exec.global_i32(name).unwrap_or_else(|| panic!("no i32 global export `{name}`"))
}
