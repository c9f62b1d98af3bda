use testkit::inputs::*;
use linkcheck_core::run::{run_wasi_command, RunLimits, Runner};
use wasm_encoder::{BlockType, Instruction as I};

#[test]
fn exit_code_and_stdout() {
    let mut body = write_hi();
    body.extend([I::I32Const(7), I::Call(PROC_EXIT)]);
    let r = run_wasi_command(&wasi_command(&body), &RunLimits::default());
    assert_eq!(r.exit_code, Some(7), "{r:?}");
    assert_eq!(r.trap, None);
    assert_eq!(r.stdout, b"hi\n");
    assert_eq!(r.stderr, b"");
    assert!(r.fuel_consumed > 0);
}

#[test]
fn return_from_start_is_exit_zero() {
    let r = run_wasi_command(&wasi_command(&[]), &RunLimits::default());
    assert_eq!((r.exit_code, r.trap), (Some(0), None));
}

#[test]
fn unreachable_is_classified() {
    let mut body = write_hi();
    body.push(I::Unreachable);
    let r = run_wasi_command(&wasi_command(&body), &RunLimits::default());
    assert_eq!(r.exit_code, None);
    assert_eq!(r.trap.as_deref(), Some("unreachable"), "{r:?}");
    assert_eq!(r.stdout, b"hi\n", "output before the trap is kept");
}

#[test]
fn out_of_fuel_is_classified() {
    let body = [I::Loop(BlockType::Empty), I::Br(0), I::End];
    let limits = RunLimits { fuel: 10_000, ..RunLimits::default() };
    let r = run_wasi_command(&wasi_command(&body), &limits);
    assert_eq!(r.trap.as_deref(), Some("out of fuel"), "{r:?}");
    assert_eq!(r.fuel_consumed, 10_000);
}

#[test]
fn out_of_bounds_and_divide_by_zero() {
    let oob = [I::I32Const(-1), I::I32Load(wasm_encoder::MemArg { offset: 0, align: 2, target: wasm_encoder::MemArgTarget::Memory(0), ordering: None }), I::Drop];
    let r = run_wasi_command(&wasi_command(&oob), &RunLimits::default());
    assert_eq!(r.trap.as_deref(), Some("out-of-bounds memory access"), "{r:?}");
    let div = [I::I32Const(1), I::I32Const(0), I::I32DivU, I::Drop];
    let r = run_wasi_command(&wasi_command(&div), &RunLimits::default());
    assert_eq!(r.trap.as_deref(), Some("integer divide by zero"), "{r:?}");
}

#[test]
fn non_wasi_imports_are_recorded_when_called() {
    // Instantiation succeeds although env.missing is no WASI function...
    let r = run_wasi_command(&wasi_command(&[]), &RunLimits::default());
    assert_eq!(r.exit_code, Some(0));
    assert!(r.host_calls.is_empty());
    // ...and calling it is recorded by the host, the run goes on.
    let r = run_wasi_command(&wasi_command(&[I::Call(MISSING)]), &RunLimits::default());
    assert_eq!((r.exit_code, r.trap.as_deref()), (Some(0), None), "{r:?}");
    assert_eq!(r.host_calls.iter().map(|c| c.describe()).collect::<Vec<_>>(), ["env.missing()"]);
    assert_eq!(r.host_call_count, 1);
}

#[test]
fn output_limit_and_bad_modules() {
    let runner = Runner::new().unwrap();
    let mut body = write_hi();
    body.extend(write_hi());
    let r = runner.run(&wasi_command(&body), &RunLimits { output_bytes: 4, ..RunLimits::default() });
    assert_eq!(r.stdout, b"hi\nh");
    assert_eq!((r.exit_code, r.trap.as_deref()), (None, Some("output limit")), "{r:?}");

    let r = runner.run(b"\0asm\x01\0\0\0\x05", &RunLimits::default());
    assert_eq!(r.trap.as_deref(), Some("invalid module"), "{r:?}");

    // Without `_start`: a reactor with nothing to call.
    let no_start = wasm_encoder::Module::new().finish();
    let r = runner.run(&no_start, &RunLimits::default());
    assert_eq!((r.exit_code, r.trap.as_deref(), r.calls.len()), (None, None, 0), "{r:?}");
}

#[test]
fn stack_overflow_is_classified() {
    // `_start` (function 3) calls itself forever.
    let r = run_wasi_command(&wasi_command(&[I::Call(3)]), &RunLimits::default());
    assert_eq!(r.trap.as_deref(), Some("stack overflow"), "{r:?}");
}
