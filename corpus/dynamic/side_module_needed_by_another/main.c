__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit"))) void proc_exit(int);
extern int b_fn(int);
// (2 + 40) + 5 = 47
void _start(void) { proc_exit(b_fn(2)); }
