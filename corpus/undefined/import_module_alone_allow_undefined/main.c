__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

// Only an import module, no import name: not an import by design.
__attribute__((import_module("host"))) int fn(void);

void _start(void) { proc_exit(fn()); }
