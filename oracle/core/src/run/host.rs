//! The recording host: every function import that WASI preview 1 does not
//! provide is defined by a host function that appends a [`HostCall`] to the
//! run's trace and returns values derived from (module, field, arguments),
//! so a different import module or field shows in the trace (and usually in
//! what the program computes) even when the program drops the result.

use super::Host;
use serde::Serialize;
use wasmtime::{AsContextMut, Caller, Extern, ExternType, Global, Linker, Memory, Module, Ref, SharedMemory, Table, Val, ValType};

/// Host calls kept in [`super::RunResult::host_calls`]; later ones are only
/// counted ([`super::RunResult::host_call_count`]).
pub const MAX_HOST_CALLS: usize = 4096;

/// One call of a non-WASI import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostCall {
    /// The import's module name.
    pub module: String,
    /// The import's field name.
    pub field: String,
    /// The arguments, rendered by [`render_val`] (`7`, `-1`, `1.5`, `null`).
    pub args: Vec<String>,
}

impl HostCall {
    /// `module.field(a, b)`: the value compared under `hostcall.N`.
    pub fn describe(&self) -> String {
        format!("{}.{}({})", self.module, self.field, self.args.join(", "))
    }
}

/// A value as the traces show it: integers in decimal, floats by value
/// (`1.5`, `NaN`), references `null` / `ref`, v128 in hex.
pub fn render_val(v: &Val) -> String {
    match v {
        Val::I32(x) => x.to_string(),
        Val::I64(x) => x.to_string(),
        Val::F32(bits) => format!("{:?}", f32::from_bits(*bits)),
        Val::F64(bits) => format!("{:?}", f64::from_bits(*bits)),
        Val::V128(x) => format!("{:#034x}", x.as_u128()),
        Val::FuncRef(None) | Val::ExternRef(None) | Val::AnyRef(None) => "null".into(),
        _ => "ref".into(),
    }
}

/// FNV-1a, 64 bits: stable across Rust releases (unlike `DefaultHasher`).
pub fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.iter().chain(&[0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The `k`-th result of a host call whose (module, field, arguments) hash
/// to `h`: a small non-negative number (0..64, so that programs passing it
/// on, e.g. to `proc_exit`, stay within ordinary values) of the result type;
/// null references, zero v128.
fn derived_result(h: u64, k: usize, ty: &ValType) -> Val {
    let n = (h.rotate_left(7 * k as u32) ^ (k as u64)) % 64;
    match ty {
        ValType::I32 => Val::I32(n as i32),
        ValType::I64 => Val::I64(n as i64),
        ValType::F32 => Val::F32((n as f32).to_bits()),
        ValType::F64 => Val::F64((n as f64).to_bits()),
        other => Val::default_for_ty(other).unwrap_or(Val::I32(0)),
    }
}

/// The recording host's answer to a call of `module`.`field`: the call is
/// logged in the store's trace and `out` gets the values derived from
/// (module, field, arguments), one per result type of `results`.
pub fn record_call(caller: &mut Caller<'_, Host>, module: &str, field: &str, params: &[Val], out: &mut [Val], results: &[ValType]) {
    let args: Vec<String> = params.iter().map(render_val).collect();
    let joined = args.join(",");
    let h = fnv1a(&[module.as_bytes(), field.as_bytes(), joined.as_bytes()]);
    for (k, (slot, ty)) in out.iter_mut().zip(results).enumerate() {
        *slot = derived_result(h, k, ty);
    }
    let host = caller.data_mut();
    host.host_call_count += 1;
    if host.host_calls.len() < MAX_HOST_CALLS {
        host.host_calls.push(HostCall { module: module.to_string(), field: field.to_string(), args });
    }
}

/// Defines every import of `module` that `linker` lacks: functions by the
/// recording host, memories/tables/globals as fresh ones of the imported
/// type (minimum size, zero/null contents). Tags and newer kinds stay
/// undefined (instantiation fails).
pub fn define_missing_imports(linker: &mut Linker<Host>, mut store: impl AsContextMut<Data = Host>, module: &Module) -> wasmtime::Result<()> {
    for import in module.imports() {
        let (m, n) = (import.module(), import.name());
        if linker.get(&mut store, m, n).is_ok() {
            continue;
        }
        let item: Extern = match import.ty() {
            ExternType::Func(ty) => {
                let (module_name, field) = (m.to_string(), n.to_string());
                let results: Vec<ValType> = ty.results().collect();
                linker.func_new(m, n, ty, move |mut caller: Caller<'_, Host>, params: &[Val], out: &mut [Val]| {
                    record_call(&mut caller, &module_name, &field, params, out, &results);
                    Ok(())
                })?;
                continue;
            }
            ExternType::Memory(ty) if ty.is_shared() => {
                let shared = SharedMemory::new(store.as_context().engine(), ty)?;
                linker.define(&mut store, m, n, shared)?;
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
            _ => continue,
        };
        linker.define(&mut store, m, n, item)?;
    }
    Ok(())
}
