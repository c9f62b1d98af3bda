//! The recording host (non-WASI imports), export calls of modules without
//! `_start`, their diff keys, and the module cache.

use linkcheck_core::diff::compare_runs;
use linkcheck_core::run::{RunLimits, Runner};
use wasm_encoder::{
    CodeSection, EntityType, ExportKind, ExportSection, Function, FunctionSection, ImportSection, Instruction as I,
    Module, TypeSection, ValType,
};

/// A command importing `MODULE.close: [i32] -> [i32]` whose `_start` calls
/// it with 5 and drops the result.
fn command_calling_close(module: &str) -> Vec<u8> {
    let mut m = Module::new();
    let mut types = TypeSection::new();
    types.ty().function([ValType::I32], [ValType::I32]);
    types.ty().function([], []);
    m.section(&types);
    let mut imports = ImportSection::new();
    imports.import(module, "close", EntityType::Function(0));
    m.section(&imports);
    let mut funcs = FunctionSection::new();
    funcs.function(1);
    m.section(&funcs);
    let mut exports = ExportSection::new();
    exports.export("_start", ExportKind::Func, 1);
    m.section(&exports);
    let mut code = CodeSection::new();
    let mut f = Function::new([]);
    for i in [I::I32Const(5), I::Call(0), I::Drop, I::End] {
        f.instruction(&i);
    }
    code.function(&f);
    m.section(&code);
    m.finish()
}

/// A `--no-entry`-like module: `add: [i32, i64] -> [i64]` (sum), `boom:
/// [] -> []` (unreachable), `half: [f64] -> [f64]`, `host: [i32] -> [i32]`
/// (re-exported import `env.h`), `_initialize` (calls `env.h(100)`).
fn reactor() -> Vec<u8> {
    let mut m = Module::new();
    let mut types = TypeSection::new();
    types.ty().function([ValType::I32, ValType::I64], [ValType::I64]);
    types.ty().function([], []);
    types.ty().function([ValType::F64], [ValType::F64]);
    types.ty().function([ValType::I32], [ValType::I32]);
    m.section(&types);
    let mut imports = ImportSection::new();
    imports.import("env", "h", EntityType::Function(3));
    m.section(&imports);
    let mut funcs = FunctionSection::new();
    for t in [0, 1, 2, 1] {
        funcs.function(t);
    }
    m.section(&funcs);
    let mut exports = ExportSection::new();
    exports.export("add", ExportKind::Func, 1);
    exports.export("boom", ExportKind::Func, 2);
    exports.export("half", ExportKind::Func, 3);
    exports.export("host", ExportKind::Func, 0);
    exports.export("_initialize", ExportKind::Func, 4);
    m.section(&exports);
    let mut code = CodeSection::new();
    let bodies: [&[I]; 4] = [
        &[I::LocalGet(0), I::I64ExtendI32U, I::LocalGet(1), I::I64Add, I::End],
        &[I::Unreachable, I::End],
        &[I::LocalGet(0), I::F64Const(0.5.into()), I::F64Mul, I::End],
        &[I::I32Const(100), I::Call(0), I::Drop, I::End],
    ];
    for body in bodies {
        let mut f = Function::new([]);
        for i in body {
            f.instruction(i);
        }
        code.function(&f);
    }
    m.section(&code);
    m.finish()
}

#[test]
fn host_calls_are_recorded_with_their_arguments() {
    let runner = Runner::new().unwrap();
    let r = runner.run(&command_calling_close("env"), &RunLimits::default());
    assert_eq!((r.exit_code, r.trap.as_deref()), (Some(0), None), "{r:?}");
    assert_eq!(r.host_calls.len(), 1);
    let call = &r.host_calls[0];
    assert_eq!((call.module.as_str(), call.field.as_str(), call.args.clone()), ("env", "close", vec!["5".to_string()]));
    assert_eq!(call.describe(), "env.close(5)");
}

#[test]
fn import_module_difference_shows_although_the_result_is_dropped() {
    let runner = Runner::new().unwrap();
    let env = runner.run(&command_calling_close("env"), &RunLimits::default());
    let test = runner.run(&command_calling_close("test"), &RunLimits::default());
    // Same exit, same output: only the trace tells them apart.
    assert_eq!((env.exit_code, &env.stdout), (test.exit_code, &test.stdout));
    let mut diffs = Vec::new();
    compare_runs(&env, &test, &mut diffs);
    let triples: Vec<(String, &str, &str)> = diffs.iter().map(|d| (d.key.to_string(), d.left.as_str(), d.right.as_str())).collect();
    assert_eq!(triples, [("hostcall.0".to_string(), "env.close(5)", "test.close(5)")]);
    assert!(diffs[0].explanation.starts_with("the 1st non-WASI host call differs"), "{}", diffs[0].explanation);
    let mut same = Vec::new();
    compare_runs(&env, &runner.run(&command_calling_close("env"), &RunLimits::default()), &mut same);
    assert_eq!(same, []);
}

#[test]
fn exports_of_a_module_without_start_are_called_deterministically() {
    let runner = Runner::new().unwrap();
    let r = runner.run(&reactor(), &RunLimits::default());
    assert_eq!((r.exit_code, r.trap.as_deref()), (None, None), "{r:?}");
    let got: Vec<(&str, Vec<String>, &str)> =
        r.calls.iter().map(|c| (c.name.as_str(), c.args.clone(), c.result.as_str())).collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    // Sorted by name; argument j of the i-th function is 1 + 8i + j.
    assert_eq!(got[0], ("add", s(&["1", "2"]), "(3)"));
    assert_eq!(got[1], ("boom", s(&[]), "trap: unreachable"));
    assert_eq!(got[2], ("half", s(&["17.0"]), "(8.5)"));
    assert_eq!((got[3].0, got[3].1.clone()), ("host", s(&["25"])));
    assert_eq!(got.len(), 4, "_initialize is not called again");
    // `_initialize` ran first: its host call precedes the export's.
    let trace: Vec<String> = r.host_calls.iter().map(|c| c.describe()).collect();
    assert_eq!(trace, ["env.h(100)", "env.h(25)"]);

    let again = runner.run(&reactor(), &RunLimits::default());
    assert_eq!(r, again, "two runs are identical");
    let mut diffs = Vec::new();
    compare_runs(&r, &again, &mut diffs);
    assert_eq!(diffs, []);
}

#[test]
fn export_call_differences_are_keyed_by_name() {
    let runner = Runner::new().unwrap();
    let r = runner.run(&reactor(), &RunLimits::default());
    let mut other = r.clone();
    other.calls[0].result = "(4)".into();
    other.calls.remove(1);
    let mut diffs = Vec::new();
    compare_runs(&r, &other, &mut diffs);
    let triples: Vec<(String, &str, &str)> = diffs.iter().map(|d| (d.key.to_string(), d.left.as_str(), d.right.as_str())).collect();
    assert_eq!(triples, [("call.add".to_string(), "(3)", "(4)"), ("call.boom".to_string(), "trap: unreachable", "(absent)")]);
    assert!(diffs.iter().all(|d| d.explanation.contains(d.key.to_string().trim_start_matches("call."))), "{diffs:?}");
}

#[test]
fn out_of_fuel_bounds_all_export_calls() {
    let runner = Runner::new().unwrap();
    let r = runner.run(&reactor(), &RunLimits { fuel: 3, ..RunLimits::default() });
    assert!(r.calls.iter().any(|c| c.result == "trap: out of fuel") || r.trap.as_deref() == Some("out of fuel"), "{r:?}");
}

#[test]
fn compiled_modules_are_cached_by_content() {
    let runner = Runner::new().unwrap();
    let bytes = command_calling_close("env");
    assert_eq!(runner.compilations(), 0);
    let a = runner.run(&bytes, &RunLimits::default());
    let b = runner.run(&bytes.clone(), &RunLimits::default());
    assert_eq!(a, b);
    assert_eq!(runner.compilations(), 1, "the second run reuses the compiled module");
    runner.run(&command_calling_close("test"), &RunLimits::default());
    assert_eq!(runner.compilations(), 2);
    runner.run(&bytes, &RunLimits::default());
    assert_eq!(runner.compilations(), 2);
}
