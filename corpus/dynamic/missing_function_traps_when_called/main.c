__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit"))) void proc_exit(int);
extern int side_call(void);
// side_call() traps in nowhere_fn: no exit code.
void _start(void) { proc_exit(side_call()); }
