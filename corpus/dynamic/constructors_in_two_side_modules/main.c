// log_val records the constructors' order (its own file, so that no
// constructor is evaluated at compile time).
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit"))) void proc_exit(int);
void __wasm_call_ctors(void);
int log_val = 0;
// liba's (1), libb's (2), then main's (3): 123
void _start(void) { __wasm_call_ctors(); proc_exit(log_val); }
