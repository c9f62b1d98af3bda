__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

// Weak and defined nowhere: wasm-ld gives it a trapping stub.
__attribute__((weak, import_module("other"))) void hook(void);

void _start(void) { proc_exit(hook ? 1 : 5); }
