# gb calls f, defined in the COMDAT group f (as clang writes an inline
# C++ function); this copy returns 2.
	.functype	gb () -> (i32)
	.functype	f () -> (i32)

	.section	.text.gb,"",@
	.globl	gb
	.type	gb,@function
gb:
	.functype	gb () -> (i32)
	call	f
	end_function

	.section	.text.f,"G",@,f,comdat
	.hidden	f
	.weak	f
	.type	f,@function
f:
	.functype	f () -> (i32)
	i32.const	2
	end_function
