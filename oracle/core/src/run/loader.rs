//! The project's own dynamic loader: a main module and shared libraries
//! (side modules) loaded into one store and run, as tool-conventions
//! DynamicLinking.md and Emscripten's `libdylink.js` describe loading. It
//! gives the same [`RunResult`] as a static run (the recording host serves
//! what no module defines), so dynamic links compare as static ones do.
//!
//! What it does, with its source (DL = DynamicLinking.md, E = libdylink.js):
//! - L1 (DL "dylink.0"): every module needs a `dylink.0` section; MEM_INFO
//!   gives the bytes and table slots it needs. A library of memory size 0
//!   gets `__memory_base` 0 (E `loadModule`).
//! - L2 (E `getMemory`, `GLOBAL_BASE`): one memory and one table for all.
//!   The main module's data goes at [`MAIN_MEMORY_BASE`] (aligned to its
//!   MEM_INFO alignment) when its memory holds it there, else at 0; then a
//!   stack of [`STACK_BYTES`] (`__stack_pointer` starts at its top); then
//!   each library's data in load order, aligned as its MEM_INFO says
//!   (memory grows as needed). Table slot 0 stays null; each module's
//!   slots start at the table's length when it loads (`__table_base`).
//! - L3 (DL "Dependencies", E `loadWebAssemblyModule`): a module's NEEDED
//!   libraries load before it, depth first, each once; the main module
//!   first, then its NEEDED, then the preloaded libraries in the order
//!   given (E `dynamicLibraries`). A NEEDED name not given is a load error.
//! - L4 (E `GOTHandler`, `updateGOT`, `reportUndefinedSymbols`): `GOT.mem`
//!   and `GOT.func` imports are mutable i32 globals shared by name by all
//!   modules; after all modules are loaded each is set from the first
//!   definition in load order (a data export's value plus its module's
//!   `__memory_base`, TLS exports excepted; a function gets a new table
//!   slot, or the slot a module's own table region already gives it: E
//!   `addFunction` keeps one slot per function). Left unset: 0 when every
//!   importer's IMPORT_INFO marks the symbol weak (by name, whatever the
//!   import module), else the load error `undefined symbol`.
//! - L5 (E `resolveGlobalSymbol`, `mergeLibSymbols`): an `env` function
//!   import is the first export of that name of a module loaded before it;
//!   else a stub resolving the name when called (a module loaded later),
//!   and if none defines it the recording host answers, as for a static
//!   link's import (the embedder's function, as Emscripten's JS library
//!   functions are), or, with [`MissingFunction::Trap`], the call traps
//!   `missing function` naming it, as Emscripten's lazy stub does when
//!   nothing defines it. `wasi_snapshot_preview1` is WASI; other modules are the
//!   recording host's.
//! - L6 (the linker-defined symbols a PIC main module leaves undefined,
//!   SPEC DYN-SYN): `__heap_base` (the first free byte after the loaded
//!   regions, 16-aligned), `__heap_end` (the memory's size then),
//!   `__stack_low`, `__stack_high`, unless a module defines them.
//! - L7 (E `postInstantiation`, today's order): once every module is
//!   loaded and the GOT set, each module's `__wasm_apply_data_relocs` runs,
//!   in load order; then each library's `__wasm_call_ctors`, in load order;
//!   then the main module's `_start` (which runs its own constructors). A
//!   main module without `_start` has `_initialize` and its exported
//!   functions called as a static reactor's are. (Emscripten runs the main
//!   module's constructors before the libraries'; with `_start` running
//!   them here that order cannot be had, and a library initialized before
//!   the module that needs it is ELF's order.)
//! - L8 (E `dlopenInternal`, `_dlsym_js`): `linkcheck.dlopen` and
//!   `linkcheck.dlsym` load a library after start and look up its exports
//!   ([`dlopen`]).

use super::host::{define_missing_imports, record_call};
use super::reactor::{call_exports, call_funcs};
use super::{classify, short, Ended, ExportCall, Host, RunLimits, RunResult, Runner, TrapKind};
use crate::dylink::{read_dylink, Dylink, SYMBOL_TLS};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::sync::Weak;
use wasmtime::{
    AsContextMut, Caller, Extern, ExternType, Func, Global, GlobalType, Instance, Linker, Memory, MemoryType, Module,
    Mutability, Ref, RefType, Store, StoreContextMut, Table, TableType, Val, ValType,
};

mod dlopen;

/// The main module's `__memory_base` when its memory has room (L2):
/// Emscripten's default `GLOBAL_BASE`, so that address 0 is no object's.
pub const MAIN_MEMORY_BASE: u32 = 1024;
/// The stack the loader gives `__stack_pointer`, in bytes (L2).
pub const STACK_BYTES: u32 = 64 * 1024;
const PAGE: u64 = 65536;

/// Exports the loader calls itself or that are no symbols (E `isInternalSym`).
const INTERNAL: [&str; 6] =
    ["__wasm_call_ctors", "__wasm_apply_data_relocs", "__wasm_apply_global_relocs", "__dso_handle", "_initialize", "__tls_size"];

/// What becomes of a call of an `env` function no loaded module defines
/// (L5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MissingFunction {
    /// The recording host answers, as it answers a static link's import
    /// (the embedder's function: Emscripten's JS library).
    #[default]
    Host,
    /// The call traps `missing function` naming it (E: the lazy stub's
    /// `resolveSymbol` finds nothing).
    Trap,
}

/// The error a [`MissingFunction::Trap`] call ends with.
#[derive(Debug)]
pub struct MissingFunctionCalled(pub String);

impl std::fmt::Display for MissingFunctionCalled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "missing function: {} (no loaded module defines it)", self.0)
    }
}

impl std::error::Error for MissingFunctionCalled {}

/// A shared library offered to the loader by name.
#[derive(Debug, Clone, Copy)]
pub struct Library<'a> {
    /// The name NEEDED entries use (the `-o` file name of its link).
    pub name: &'a str,
    /// The module's bytes.
    pub bytes: &'a [u8],
    /// Loaded at start even when no NEEDED entry names it (L3); `false`:
    /// only when needed.
    pub preload: bool,
}

/// A resolved symbol: an exported function, or data at an address.
#[derive(Clone)]
enum Symbol {
    Func(Func),
    Data(i32),
}

#[derive(Default)]
struct Symbols {
    /// Name -> first definition in load order (L4, L5).
    defined: HashMap<String, Symbol>,
}

struct GotEntry {
    global: Global,
    /// The first module that imports it non-weak.
    required_by: Option<String>,
}

struct Loaded {
    name: String,
    instance: Instance,
    memory_base: u64,
}

/// A library offered to the loader, compiled.
struct Lib {
    name: String,
    /// The module and its dylink.0 section, or why it cannot be loaded.
    compiled: Result<(Module, Dylink), String>,
    preload: bool,
}

/// The loader's state during one run.
struct Loader {
    wasi_linker: Linker<Host>,
    libraries: Vec<Lib>,
    /// The loader itself, for the dlopen host functions (L8).
    this: Weak<Mutex<Loader>>,
    /// Set once the start-time modules are loaded: later regions go at the
    /// memory's end, past the heap (L8).
    started: bool,
    missing: MissingFunction,
    memory: Option<Memory>,
    table: Option<Table>,
    stack_pointer: Global,
    got: BTreeMap<String, GotEntry>,
    symbols: Arc<Mutex<Symbols>>,
    loaded: Vec<Loaded>,
    loading: Vec<String>,
    /// A function's identity (`Func::to_raw`) -> its first table slot.
    slots: HashMap<usize, u64>,
    /// The first byte no module's region holds yet.
    next_free: u64,
    stack: (u64, u64),
}

type Load<T> = Result<T, Ended>;

fn load_error(message: impl Into<String>) -> Ended {
    Ended::Trap(TrapKind::Load, message.into())
}

impl Runner {
    /// Loads `main` and the `libraries` it needs or that are preloaded (L1
    /// to L6) and runs it (L7). Never fails: a load error is the trap
    /// `load failed` with its message.
    pub fn run_dynamic(&self, main: &[u8], libraries: &[Library<'_>], limits: &RunLimits) -> RunResult {
        self.run_dynamic_with(main, libraries, None, MissingFunction::Host, limits)
    }

    /// [`Runner::run_dynamic`] with calls of functions no module defines
    /// answered as `missing` says (L5).
    pub fn run_dynamic_missing(&self, main: &[u8], libraries: &[Library<'_>], missing: MissingFunction, limits: &RunLimits) -> RunResult {
        self.run_dynamic_with(main, libraries, None, missing, limits)
    }

    /// [`Runner::run_dynamic`], but instead of the main module's entry the
    /// functions `names` are called, each the first definition of that
    /// name in load order, in the given order and with the arguments a
    /// static reactor's i-th export gets ([`super::reactor::argument`]): how
    /// a static link's exports (sorted by name) and a dynamic link of the
    /// same program are called alike. A name no module defines as a
    /// function gives the call result `missing`.
    pub fn run_dynamic_calling(&self, main: &[u8], libraries: &[Library<'_>], names: &[String], limits: &RunLimits) -> RunResult {
        self.run_dynamic_with(main, libraries, Some(names), MissingFunction::Host, limits)
    }

    fn run_dynamic_with(
        &self,
        main: &[u8],
        libraries: &[Library<'_>],
        names: Option<&[String]>,
        missing: MissingFunction,
        limits: &RunLimits,
    ) -> RunResult {
        self.run_with(limits, |store, calls| {
            let compile = |name: &str, bytes: &[u8]| -> Result<(Module, Dylink), String> {
                let module = self.module(bytes).map_err(|e| format!("{name}: {}", short(&e)))?;
                let info = match read_dylink(bytes) {
                    Ok(Some(d)) => d,
                    Ok(None) => return Err(format!("{name} has no dylink.0 section: it is not a -pie or -shared module")),
                    Err(e) => return Err(format!("{name}: {e}")),
                };
                Ok((module, info))
            };
            let (main_module, main_info) = compile("the main module", main).map_err(load_error)?;
            let libs = libraries
                .iter()
                .map(|l| Lib { name: l.name.to_string(), compiled: compile(l.name, l.bytes), preload: l.preload })
                .collect();
            let stack_pointer = Global::new(&mut *store, GlobalType::new(ValType::I32, Mutability::Var), Val::I32(0))
                .map_err(|e| load_error(short(&e)))?;
            let loader = Arc::new_cyclic(|this| {
                Mutex::new(Loader {
                    wasi_linker: self.wasi_linker.clone(),
                    libraries: libs,
                    this: this.clone(),
                    started: false,
                    missing,
                    memory: None,
                    table: None,
                    stack_pointer,
                    got: BTreeMap::new(),
                    symbols: Arc::default(),
                    loaded: Vec::new(),
                    loading: Vec::new(),
                    slots: HashMap::new(),
                    next_free: 0,
                    stack: (0, 0),
                })
            });
            start(&loader, store, &main_module, &main_info, names, calls)
        })
    }
}

fn lock(loader: &Mutex<Loader>) -> std::sync::MutexGuard<'_, Loader> {
    loader.lock().unwrap_or_else(|e| e.into_inner())
}

/// L1 to L7 for the main module and the start-time libraries. The lock is
/// not held while module code runs (a constructor may call dlopen, L8).
fn start(
    loader: &Mutex<Loader>,
    store: &mut Store<Host>,
    main: &Module,
    info: &Dylink,
    names: Option<&[String]>,
    calls: &mut Vec<ExportCall>,
) -> Load<bool> {
    let (main_instance, instances, symbols) = {
        let mut l = lock(loader);
        let mut cx = store.as_context_mut();
        let main_instance = l.load_main(&mut cx, main, info)?;
        for needed in &info.needed {
            l.load_library(&mut cx, needed, "the main module")?;
        }
        let preload: Vec<String> = l.libraries.iter().filter(|l| l.preload).map(|l| l.name.clone()).collect();
        for name in preload {
            l.load_library(&mut cx, &name, "the preload list")?;
        }
        l.define_linker_symbols(&mut cx)?;
        l.set_got(&mut cx)?;
        l.started = true;
        l.next_free = l.memory.map_or(0, |m| m.size(&cx) * PAGE);
        let instances: Vec<Instance> = l.loaded.iter().map(|m| m.instance).collect();
        (main_instance, instances, Arc::clone(&l.symbols))
    };
    // L7: relocations of every module, then constructors.
    for instance in &instances {
        call_if_exported(&mut *store, instance, "__wasm_apply_data_relocs")?;
    }
    for instance in instances.iter().skip(1) {
        call_if_exported(&mut *store, instance, "__wasm_call_ctors")?;
    }
    if let Some(names) = names {
        let defined = symbols.lock().unwrap_or_else(|e| e.into_inner()).defined.clone();
        let mut funcs = Vec::new();
        for (i, name) in names.iter().enumerate() {
            match defined.get(name) {
                Some(Symbol::Func(f)) => funcs.push((i, name.clone(), *f)),
                _ => calls.push(ExportCall { name: name.clone(), args: Vec::new(), result: "missing".into() }),
            }
        }
        calls.extend(call_funcs(store, funcs));
        calls.sort_by(|a, b| names.iter().position(|n| *n == a.name).cmp(&names.iter().position(|n| *n == b.name)));
        return Ok(true);
    }
    match main_instance.get_func(&mut *store, "_start") {
        Some(start) => {
            let start = start
                .typed::<(), ()>(&*store)
                .map_err(|e| Ended::Trap(TrapKind::NoStart, format!("_start has the wrong type: {}", short(&e))))?;
            start.call(&mut *store, ()).map_err(|e| classify(e, TrapKind::Other))?;
            Ok(false)
        }
        None => {
            *calls = call_exports(store, &main_instance, &INTERNAL)?;
            Ok(true)
        }
    }
}

impl Loader {
    fn load_main(&mut self, store: &mut StoreContextMut<'_, Host>, module: &Module, info: &Dylink) -> Load<Instance> {
        let size = u64::from(info.memory_size);
        let align = 1u64 << info.memory_align.min(31);
        let base_at = |room: u64| {
            let preferred = align_up(u64::from(MAIN_MEMORY_BASE), align);
            if preferred + size <= room {
                preferred
            } else {
                0
            }
        };
        let base = match import_of(module, "env", "memory") {
            Some(ExternType::Memory(ty)) => {
                let base = align_up(u64::from(MAIN_MEMORY_BASE), align);
                let pages = ty.minimum().max((base + size).div_ceil(PAGE));
                let ty = MemoryType::new(to_u32(pages)?, ty.maximum().map(to_u32).transpose()?);
                self.memory = Some(Memory::new(&mut *store, ty).map_err(|e| load_error(format!("memory: {}", short(&e))))?);
                base
            }
            _ => match module.exports().find_map(|e| match e.ty() {
                ExternType::Memory(ty) => Some(ty),
                _ => None,
            }) {
                Some(ty) => base_at(ty.minimum() * PAGE),
                None => return Err(load_error("the main module neither imports env.memory nor exports a memory")),
            },
        };
        let instance = self.instantiate(store, "the main module", module, info, base)?;
        if self.memory.is_none() {
            self.memory = instance.exports(&mut *store).find_map(|e| e.into_memory());
        }
        self.next_free = base + size;
        let low = align_up(self.next_free, 16);
        let high = self.reserve(store, low, u64::from(STACK_BYTES))?;
        self.stack = (low, high);
        self.next_free = high;
        self.stack_pointer.set(&mut *store, Val::I32(high as i32)).map_err(|e| load_error(short(&e)))?;
        Ok(instance)
    }

    fn load_library(&mut self, store: &mut StoreContextMut<'_, Host>, name: &str, by: &str) -> Load<()> {
        if self.loaded.iter().any(|l| l.name == name) || self.loading.iter().any(|l| l == name) {
            return Ok(());
        }
        let Some(lib) = self.libraries.iter().find(|l| l.name == name) else {
            return Err(load_error(format!("{by} needs the shared library {name}, which was not given")));
        };
        let (module, info) = lib.compiled.clone().map_err(load_error)?;
        self.loading.push(name.to_string());
        for needed in &info.needed {
            self.load_library(store, needed, name)?;
        }
        let base = if info.memory_size == 0 {
            0
        } else {
            let base = align_up(self.next_free, 1u64 << info.memory_align.min(31));
            self.next_free = self.reserve(store, base, u64::from(info.memory_size))?;
            base
        };
        self.instantiate(store, name, &module, &info, base)?;
        self.loading.retain(|l| l != name);
        Ok(())
    }

    /// Makes sure memory holds `[start, start + len)`; returns the end.
    fn reserve(&mut self, store: &mut StoreContextMut<'_, Host>, start: u64, len: u64) -> Load<u64> {
        let end = start + len;
        let memory = self.memory.ok_or_else(|| load_error("no memory to place data in"))?;
        let have = memory.size(&*store) * PAGE;
        if end > have {
            memory
                .grow(&mut *store, (end - have).div_ceil(PAGE))
                .map_err(|e| load_error(format!("memory cannot grow to {end} bytes: {}", short(&e))))?;
        }
        Ok(end)
    }

    /// Defines `module`'s imports (L2, L4, L5), instantiates it at
    /// `memory_base` and merges its exports into the symbols.
    fn instantiate(&mut self, store: &mut StoreContextMut<'_, Host>, name: &str, module: &Module, info: &Dylink, memory_base: u64) -> Load<Instance> {
        let setup = |e: wasmtime::Error| load_error(format!("{name}: {}", short(&e)));
        let table_base = if info.table_size > 0 || import_of(module, "env", "__indirect_function_table").is_some() {
            let table = self.table(store)?;
            let base = table.size(&*store);
            table.grow(&mut *store, u64::from(info.table_size), Ref::Func(None)).map_err(setup)?;
            base
        } else {
            0
        };
        let mut linker: Linker<Host> = self.wasi_linker.clone();
        for import in module.imports() {
            let (m, n) = (import.module(), import.name());
            let item: Option<Extern> = match (m, n, import.ty()) {
                ("env", "memory", ExternType::Memory(_)) => self.memory.map(Extern::from),
                ("env", "__indirect_function_table", ExternType::Table(_)) => self.table.map(Extern::from),
                ("env", "__stack_pointer", ExternType::Global(_)) => Some(self.stack_pointer.into()),
                ("env", "__memory_base" | "__table_base", ExternType::Global(_)) => {
                    let value = if n == "__memory_base" { memory_base } else { table_base };
                    let ty = GlobalType::new(ValType::I32, Mutability::Const);
                    Some(Global::new(&mut *store, ty, Val::I32(value as i32)).map_err(setup)?.into())
                }
                ("GOT.mem" | "GOT.func", _, ExternType::Global(_)) => {
                    let global = self.got_entry(store, n)?;
                    let entry = self.got.get_mut(n).expect("just made");
                    // By name alone (E `currentModuleWeakSymbols`): IMPORT_INFO lists
                    // a weak symbol under its own import, not its GOT entry.
                    if entry.required_by.is_none() && !info.is_weak_symbol(n) {
                        entry.required_by = Some(name.to_string());
                    }
                    Some(global.into())
                }
                ("env", _, ExternType::Func(ty)) => Some(self.env_function(store, name, n, ty)?.into()),
                ("linkcheck", _, ExternType::Func(ty)) => dlopen::host_function(&self.this, store, n, ty).map(Extern::from),
                _ => None,
            };
            if let Some(item) = item {
                linker.define(&mut *store, m, n, item).map_err(setup)?;
            }
        }
        define_missing_imports(&mut linker, &mut *store, module).map_err(setup)?;
        let instance = linker.instantiate(&mut *store, module).map_err(|e| classify(e, TrapKind::Instantiation))?;
        self.merge_exports(store, &instance, info, memory_base);
        self.note_slots(store, table_base, info.table_size);
        self.loaded.push(Loaded { name: name.to_string(), instance, memory_base });
        Ok(instance)
    }

    /// Records the functions a module placed in its table region, so a
    /// GOT.func entry of one of them gets that slot (E `updateTableMap`).
    fn note_slots(&mut self, store: &mut StoreContextMut<'_, Host>, base: u64, size: u32) {
        let Some(table) = self.table else { return };
        for slot in base..base + u64::from(size) {
            if let Some(Ref::Func(Some(f))) = table.get(&mut *store, slot) {
                let key = f.to_raw(&mut *store) as usize;
                self.slots.entry(key).or_insert(slot);
            }
        }
    }

    /// The slot of `f`: the one it has, else a new one at the table's end.
    fn slot_of(&mut self, store: &mut StoreContextMut<'_, Host>, f: Func) -> Load<u64> {
        let key = f.to_raw(&mut *store) as usize;
        if let Some(&slot) = self.slots.get(&key) {
            return Ok(slot);
        }
        let table = self.table(store)?;
        let slot = table.grow(&mut *store, 1, Ref::Func(Some(f))).map_err(|e| load_error(short(&e)))?;
        self.slots.insert(key, slot);
        Ok(slot)
    }

    fn table(&mut self, store: &mut StoreContextMut<'_, Host>) -> Load<Table> {
        if let Some(t) = self.table {
            return Ok(t);
        }
        // Slot 0 stays null: a null function pointer traps when called.
        let t = Table::new(&mut *store, TableType::new(RefType::FUNCREF, 1, None), Ref::Func(None))
            .map_err(|e| load_error(format!("table: {}", short(&e))))?;
        self.table = Some(t);
        Ok(t)
    }

    fn got_entry(&mut self, store: &mut StoreContextMut<'_, Host>, symbol: &str) -> Load<Global> {
        if let Some(e) = self.got.get(symbol) {
            return Ok(e.global);
        }
        let global = Global::new(&mut *store, GlobalType::new(ValType::I32, Mutability::Var), Val::I32(0))
            .map_err(|e| load_error(short(&e)))?;
        self.got.insert(symbol.to_string(), GotEntry { global, required_by: None });
        Ok(global)
    }

    /// L5: the definition loaded so far, else a stub that looks the name
    /// up when called and falls back to the recording host.
    fn env_function(&mut self, store: &mut StoreContextMut<'_, Host>, importer: &str, field: &str, ty: wasmtime::FuncType) -> Load<Func> {
        let defined = self.symbols.lock().unwrap_or_else(|e| e.into_inner()).defined.get(field).cloned();
        if let Some(Symbol::Func(f)) = defined {
            let have = f.ty(&*store);
            if !have.matches(&ty) {
                return Err(Ended::Trap(
                    TrapKind::Instantiation,
                    format!("{importer} imports env.{field} as {ty:?}, but the definition loaded has type {have:?}"),
                ));
            }
            return Ok(f);
        }
        let symbols = Arc::clone(&self.symbols);
        let (name, results): (String, Vec<ValType>) = (field.to_string(), ty.results().collect());
        let expected = ty.clone();
        let missing = self.missing;
        Ok(Func::new(&mut *store, ty, move |mut caller: Caller<'_, Host>, params: &[Val], out: &mut [Val]| {
            let found = symbols.lock().unwrap_or_else(|e| e.into_inner()).defined.get(&name).cloned();
            match found {
                Some(Symbol::Func(f)) => {
                    if !f.ty(&caller).matches(&expected) {
                        return Err(wasmtime::Error::msg(format!("env.{name} is defined with another type than it is called with")));
                    }
                    f.call(&mut caller, params, out)
                }
                _ if missing == MissingFunction::Trap => Err(wasmtime::Error::new(MissingFunctionCalled(name.clone()))),
                _ => {
                    record_call(&mut caller, "env", &name, params, out, &results);
                    Ok(())
                }
            }
        }))
    }

    /// L4/L5: exports become symbols unless an earlier module defined them.
    fn merge_exports(&mut self, store: &mut StoreContextMut<'_, Host>, instance: &Instance, info: &Dylink, memory_base: u64) {
        let exports: Vec<(String, Extern)> =
            instance.exports(&mut *store).map(|e| (e.name().to_string(), e.into_extern())).collect();
        let mut symbols = self.symbols.lock().unwrap_or_else(|e| e.into_inner());
        for (name, ext) in exports {
            if INTERNAL.contains(&name.as_str()) || symbols.defined.contains_key(&name) {
                continue;
            }
            let symbol = match ext {
                Extern::Func(f) => Symbol::Func(f),
                Extern::Global(g) => match g.get(&mut *store) {
                    Val::I32(v) => {
                        let tls = info.export_info.iter().any(|(n, flags)| *n == name && flags & SYMBOL_TLS != 0);
                        Symbol::Data(if tls { v } else { v.wrapping_add(memory_base as i32) })
                    }
                    _ => continue,
                },
                _ => continue,
            };
            symbols.defined.insert(name, symbol);
        }
    }

    /// L6: the linker-defined data symbols no module defines.
    fn define_linker_symbols(&mut self, store: &mut StoreContextMut<'_, Host>) -> Load<()> {
        let heap_base = align_up(self.next_free.max(self.stack.1), 16);
        let heap_end = self.memory.map_or(0, |m| m.size(&*store) * PAGE).max(heap_base);
        let mut symbols = self.symbols.lock().unwrap_or_else(|e| e.into_inner());
        for (name, value) in
            [("__heap_base", heap_base), ("__heap_end", heap_end), ("__stack_low", self.stack.0), ("__stack_high", self.stack.1)]
        {
            symbols.defined.entry(name.to_string()).or_insert(Symbol::Data(value as i32));
        }
        Ok(())
    }

    /// L4: every GOT entry from its first definition; unresolved required
    /// entries are the load error.
    fn set_got(&mut self, store: &mut StoreContextMut<'_, Host>) -> Load<()> {
        let defined: HashMap<String, Symbol> = self.symbols.lock().unwrap_or_else(|e| e.into_inner()).defined.clone();
        let mut missing = Vec::new();
        let entries: Vec<(String, Global, Option<String>)> =
            self.got.iter().map(|(n, e)| (n.clone(), e.global, e.required_by.clone())).collect();
        for (name, global, required_by) in entries {
            let value = match defined.get(&name) {
                Some(Symbol::Data(v)) => *v,
                Some(Symbol::Func(f)) => self.slot_of(store, *f)? as i32,
                None => match required_by {
                    Some(by) => {
                        missing.push(format!("undefined symbol `{name}` (imported by {by})"));
                        continue;
                    }
                    None => continue,
                },
            };
            global.set(&mut *store, Val::I32(value)).map_err(|e| load_error(short(&e)))?;
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(load_error(missing.join("; ")))
        }
    }
}

fn import_of(module: &Module, m: &str, n: &str) -> Option<ExternType> {
    module.imports().find(|i| i.module() == m && i.name() == n).map(|i| i.ty())
}

fn call_if_exported(mut store: impl AsContextMut<Data = Host>, instance: &Instance, name: &str) -> Load<()> {
    if let Some(f) = instance.get_func(&mut store, name) {
        let mut none: Vec<Val> = Vec::new();
        f.call(&mut store, &[], &mut none).map_err(|e| classify(e, TrapKind::Other))?;
    }
    Ok(())
}

fn align_up(x: u64, align: u64) -> u64 {
    x.div_ceil(align.max(1)) * align.max(1)
}

fn to_u32(x: u64) -> Load<u32> {
    u32::try_from(x).map_err(|_| load_error(format!("{x} pages do not fit a 32-bit memory")))
}
