__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

int g(int);

// g is only in lib.a: the call extracts m2.o, whose call of f0 extracts m1.o.
void _start(void) { proc_exit(g(7)); }
