__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit"))) void proc_exit(int);
extern int missing_fn(int);   // defined nowhere: an import
extern int counter;           // defined in lib.c: an internal GOT constant
// env.missing_fn(4) = 4 (recording host); 4 + 30 = 34
void _start(void) { proc_exit(missing_fn(4) + counter); }
