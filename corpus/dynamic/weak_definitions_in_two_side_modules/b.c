// libb.so, loaded second: its direct call goes through the import env.wfn
// wasm-ld makes for its weak definition, its data and function pointer
// through the GOT: all three reach liba's definitions.
__attribute__((weak)) int wval = 20;
__attribute__((weak)) int wfn(void) { return 2; }
int b_direct(void) { return wfn(); }
int b_data(void) { return wval; }
int b_ptr_call(void) { int (*volatile p)(void) = wfn; return p(); }
