__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

// value() has a weak definition here (1): a defined symbol extracts nothing.
// Only -u helper brings libh.a(helper.o) in, and its strong value() (21)
// replaces the weak one.
__attribute__((weak)) int value(void) { return 1; }

void _start(void) { proc_exit(value()); }
