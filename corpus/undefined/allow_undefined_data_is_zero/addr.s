# code_address() returns arr + 8 through one relocation with an addend
# (R_WASM_MEMORY_ADDR_SLEB, addend 8).
	.section	.text.code_address,"",@
	.globl	code_address
	.type	code_address,@function
code_address:
	.functype	code_address () -> (i32)
	i32.const	arr+8
	end_function
