// Calls value(): a weak definition in weak.o and a strong one in strong.o.
// The strong one must win whatever the order: exit 2 (the weak one gives 1).
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

int value(void);

void _start(void) { proc_exit(value()); }
