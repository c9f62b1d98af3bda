# code_address() returns warr + 8 through one relocation with an addend
# (R_WASM_MEMORY_ADDR_SLEB, addend 8).
	.weak	warr
	.section	.text.code_address,"",@
	.globl	code_address
	.type	code_address,@function
code_address:
	.functype	code_address () -> (i32)
	i32.const	warr+8
	end_function
