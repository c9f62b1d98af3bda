__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

// Addresses of undefined symbols in data: the imports GOT.mem.ext_data and
// GOT.func.ext_fn (and env.ext_fn), stored by __wasm_apply_data_relocs.
extern int ext_data;
extern int ext_fn(void);
int *dp = &ext_data + 2;
int (*fp)(void) = ext_fn;

void _start(void) { proc_exit((dp == 0) + 2 * (fp == 0)); }
