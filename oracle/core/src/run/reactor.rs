//! Modules without `_start` (reactors, `--no-entry` outputs): `_initialize`
//! when exported, then every exported function, sorted by export name, with
//! deterministic arguments.

use super::host::render_val;
use super::{classify, Ended, Host};
use serde::Serialize;
use wasmtime::{Func, Instance, Store, Val, ValType};

/// One call of an exported function of a module without `_start`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportCall {
    /// The export's name.
    pub name: String,
    /// The arguments passed, rendered like host-call arguments.
    pub args: Vec<String>,
    /// What the call gave, compared under `call.NAME`: the results in
    /// parentheses (`(7)`, `()`, `(1, 2.5)`), `exit N` (the call ran
    /// `proc_exit(N)`), `trap: KIND` ([`super::TrapKind::describe`]), or
    /// `skipped: reference-type parameter`.
    pub result: String,
}

/// The argument `j` of the function at position `i` (in export-name order):
/// `1 + 8·i + j` in the parameter's type; `None` for reference and vector
/// types (the function is skipped).
pub fn argument(i: usize, j: usize, ty: &ValType) -> Option<Val> {
    let n = 1 + 8 * i as u64 + j as u64;
    Some(match ty {
        ValType::I32 => Val::I32(n as i32),
        ValType::I64 => Val::I64(n as i64),
        ValType::F32 => Val::F32((n as f32).to_bits()),
        ValType::F64 => Val::F64((n as f64).to_bits()),
        _ => return None,
    })
}

/// Calls `_initialize` (if exported; its trap or exit ends the run) and then
/// every other exported function but those named in `skip`. Fuel is shared
/// by all the calls.
pub fn call_exports(store: &mut Store<Host>, instance: &Instance, skip: &[&str]) -> Result<Vec<ExportCall>, Ended> {
    if let Some(init) = instance.get_func(&mut *store, "_initialize") {
        let mut none: Vec<Val> = Vec::new();
        init.call(&mut *store, &[], &mut none).map_err(|e| classify(e, super::TrapKind::Other))?;
    }
    let mut funcs: Vec<(String, Func)> = instance
        .exports(&mut *store)
        .filter_map(|e| {
            let name = e.name().to_string();
            e.into_func().map(|f| (name, f))
        })
        .filter(|(name, _)| name != "_initialize" && !skip.contains(&name.as_str()))
        .collect();
    funcs.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(call_funcs(store, funcs.into_iter().enumerate().map(|(i, (n, f))| (i, n, f)).collect()))
}

/// Calls `funcs` (position, name, function) in order, each with
/// [`argument`]`(position, j, ...)`, and records each call.
pub fn call_funcs(store: &mut Store<Host>, funcs: Vec<(usize, String, Func)>) -> Vec<ExportCall> {
    let mut calls = Vec::new();
    for (i, name, func) in funcs {
        let ty = func.ty(&*store);
        let args: Option<Vec<Val>> = ty.params().enumerate().map(|(j, p)| argument(i, j, &p)).collect();
        let Some(args) = args else {
            calls.push(ExportCall { name, args: Vec::new(), result: "skipped: reference-type parameter".into() });
            continue;
        };
        let mut results: Vec<Val> = ty.results().map(|t| Val::default_for_ty(&t).unwrap_or(Val::I32(0))).collect();
        let result = match func.call(&mut *store, &args, &mut results) {
            Ok(()) => format!("({})", results.iter().map(render_val).collect::<Vec<_>>().join(", ")),
            Err(e) => match classify(e, super::TrapKind::Other) {
                Ended::Exit(code) => format!("exit {code}"),
                Ended::Trap(kind, _) => format!("trap: {}", kind.describe()),
            },
        };
        calls.push(ExportCall { name, args: args.iter().map(render_val).collect(), result });
    }
    calls
}
