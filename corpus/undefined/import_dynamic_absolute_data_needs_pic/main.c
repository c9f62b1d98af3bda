__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

// value is undefined data read with an absolute address in code.
extern int value;

void _start(void) { proc_exit(value); }
