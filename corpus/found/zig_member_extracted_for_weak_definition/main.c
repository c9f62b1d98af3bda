// f0 is defined weakly here and called; lib.a(m.o) defines it strongly and
// must stay in the archive (f0 is defined).
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit"))) void proc_exit(int);
__attribute__((weak)) int f0(void) { return 1; }
void _start(void) { proc_exit(f0()); }
