__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

__attribute__((import_module("host"), import_name("real"))) int local_fn(void);

void _start(void) { proc_exit(local_fn()); }
