__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit"))) void proc_exit(int);
extern int side_call(void);
// env.nowhere_fn(5) = 3 (recording host); 3 + 10 = 13
void _start(void) { proc_exit(side_call()); }
