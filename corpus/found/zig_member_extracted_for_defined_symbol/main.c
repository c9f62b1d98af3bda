// f0 is defined here; lib.a(m.o) defines it too and must stay in the archive.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit"))) void proc_exit(int);
int f0(void) { return 5; }
void _start(void) { proc_exit(f0()); }
