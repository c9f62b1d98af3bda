# ga calls f, defined in the COMDAT group f (as clang writes an inline
# C++ function); this copy returns 1.
	.functype	ga () -> (i32)
	.functype	f () -> (i32)

	.section	.text.ga,"",@
	.globl	ga
	.type	ga,@function
ga:
	.functype	ga () -> (i32)
	call	f
	end_function

	.section	.text.f,"G",@,f,comdat
	.hidden	f
	.weak	f
	.type	f,@function
f:
	.functype	f () -> (i32)
	i32.const	1
	end_function
