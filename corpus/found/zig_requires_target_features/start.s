# _start in assembly: calls compute() (compute.c) and exits with its result.
	.functype	compute () -> (i32)
	.functype	proc_exit (i32) -> ()
	.import_module	proc_exit, wasi_snapshot_preview1
	.import_name	proc_exit, proc_exit

	.section	.text._start,"",@
	.globl	_start
	.type	_start,@function
_start:
	.functype	_start () -> ()
	call	compute
	call	proc_exit
	end_function
