__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

// warr is a weak reference to data defined nowhere. Its address plus 8
// is stored in data here (R_WASM_MEMORY_ADDR_I32, addend 8) and computed in
// code by addr.s (R_WASM_MEMORY_ADDR_SLEB, addend 8). Both are 0: the
// addend is dropped. Exit 30; 38 or 46 would mean an addend was kept.
extern int warr[] __attribute__((weak));
int *in_data = &warr[2];
int code_address(void);

void _start(void) { proc_exit(30 + (int)in_data + code_address()); }
