// Calls value() from the archive's wasm member: exit 42.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);
int value(void);

void _start(void) { proc_exit(value()); }
