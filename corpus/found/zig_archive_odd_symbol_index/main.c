// f1 is defined only in lib.a's m.o.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

int f1(void);

void _start(void) { proc_exit(f1()); }
