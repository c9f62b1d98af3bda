// Calls value(): weak definitions in first.o (1) and second.o (2).
// The first on the command line wins: exit 1.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

int value(void);

void _start(void) { proc_exit(value()); }
