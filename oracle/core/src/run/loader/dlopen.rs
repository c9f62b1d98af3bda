//! L8, loading after start: the host functions `linkcheck.dlopen` and
//! `linkcheck.dlsym` a main module (or a library) may import, after
//! libdylink.js's `dlopenInternal` and `_dlsym_js`:
//! - `dlopen(name: i32 address of a NUL-terminated name) -> i32 handle`:
//!   loads the named library given to the loader (and its NEEDED) as at
//!   start (L2 to L5, its memory region at the memory's end, past the
//!   heap), sets the GOT, runs its `__wasm_apply_data_relocs` then its
//!   `__wasm_call_ctors`; the handle is its place in load order + 1. A
//!   library loaded already gives its handle; one that cannot be loaded
//!   gives 0.
//! - `dlsym(handle: i32, name: i32) -> i32`: that module's export of the
//!   name: a function's table slot (its own, else a new one), a data
//!   symbol's address (+ its `__memory_base`); 0 when it has none.

use super::{lock, Loader, PAGE};
use crate::run::Host;
use std::sync::{Mutex, Weak};
use wasmtime::{AsContextMut, Caller, Extern, Func, FuncType, StoreContextMut, Val};

/// The longest library or symbol name read, in bytes.
const MAX_NAME: usize = 4096;

/// The host function `linkcheck.FIELD` of type `ty`, if the loader has one.
pub(super) fn host_function(this: &Weak<Mutex<Loader>>, store: &mut StoreContextMut<'_, Host>, field: &str, ty: FuncType) -> Option<Func> {
    let this = this.clone();
    match field {
        "dlopen" => Some(Func::new(&mut *store, ty, move |mut caller: Caller<'_, Host>, params: &[Val], out: &mut [Val]| {
            let loader = this.upgrade().ok_or_else(|| wasmtime::Error::msg("dlopen after the run"))?;
            let name = read_name(&loader, &mut caller, params.first())?;
            let handle = dlopen(&loader, &mut caller, &name)?;
            if let Some(slot) = out.first_mut() {
                *slot = Val::I32(handle);
            }
            Ok(())
        })),
        "dlsym" => Some(Func::new(&mut *store, ty, move |mut caller: Caller<'_, Host>, params: &[Val], out: &mut [Val]| {
            let loader = this.upgrade().ok_or_else(|| wasmtime::Error::msg("dlsym after the run"))?;
            let handle = params.first().and_then(Val::i32).unwrap_or(0);
            let name = read_name(&loader, &mut caller, params.get(1))?;
            let value = dlsym(&loader, &mut caller, handle, &name)?;
            if let Some(slot) = out.first_mut() {
                *slot = Val::I32(value);
            }
            Ok(())
        })),
        _ => None,
    }
}

fn read_name(loader: &Mutex<Loader>, caller: &mut Caller<'_, Host>, ptr: Option<&Val>) -> wasmtime::Result<String> {
    let ptr = ptr.and_then(Val::i32).ok_or_else(|| wasmtime::Error::msg("dlopen/dlsym: the name is not an i32 address"))? as u32 as usize;
    let memory = lock(loader).memory.ok_or_else(|| wasmtime::Error::msg("dlopen/dlsym: no memory"))?;
    let data = memory.data(&*caller);
    let bytes = data.get(ptr..).unwrap_or_default();
    let end = bytes.iter().take(MAX_NAME).position(|&b| b == 0).ok_or_else(|| wasmtime::Error::msg("dlopen/dlsym: the name is not NUL-terminated in memory"))?;
    Ok(String::from_utf8_lossy(&bytes[..end]).into_owned())
}

fn dlopen(loader: &Mutex<Loader>, caller: &mut Caller<'_, Host>, name: &str) -> wasmtime::Result<i32> {
    let new = {
        let mut l = lock(loader);
        if let Some(i) = l.loaded.iter().position(|m| m.name == name) {
            return Ok(i as i32 + 1);
        }
        let before = l.loaded.len();
        let mut cx = caller.as_context_mut();
        // Past the heap: malloc owns what lies between __heap_base and the
        // memory's end at start.
        l.next_free = l.next_free.max(l.memory.map_or(0, |m| m.size(&cx) * PAGE));
        if l.load_library(&mut cx, name, "dlopen").and_then(|()| l.set_got(&mut cx)).is_err() {
            return Ok(0);
        }
        l.loaded[before..].iter().map(|m| m.instance).collect::<Vec<_>>()
    };
    // Module code runs without the lock: a constructor may call dlopen.
    for name in ["__wasm_apply_data_relocs", "__wasm_call_ctors"] {
        for instance in &new {
            if let Some(f) = instance.get_func(&mut *caller, name) {
                f.call(&mut *caller, &[], &mut [])?;
            }
        }
    }
    let l = lock(loader);
    Ok(l.loaded.iter().position(|m| m.name == name).map_or(0, |i| i as i32 + 1))
}

fn dlsym(loader: &Mutex<Loader>, caller: &mut Caller<'_, Host>, handle: i32, name: &str) -> wasmtime::Result<i32> {
    let mut l = lock(loader);
    let Some(module) = usize::try_from(handle).ok().and_then(|h| h.checked_sub(1)).and_then(|i| l.loaded.get(i)) else {
        return Ok(0);
    };
    let (instance, base) = (module.instance, module.memory_base);
    let mut cx = caller.as_context_mut();
    let value = match instance.get_export(&mut cx, name) {
        Some(Extern::Func(f)) => l.slot_of(&mut cx, f).map_err(|_| wasmtime::Error::msg("dlsym: no table slot"))? as i32,
        Some(Extern::Global(g)) => match g.get(&mut cx) {
            Val::I32(v) => v.wrapping_add(base as i32),
            _ => 0,
        },
        _ => 0,
    };
    Ok(value)
}
