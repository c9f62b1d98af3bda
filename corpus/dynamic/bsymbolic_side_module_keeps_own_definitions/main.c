__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit"))) void proc_exit(int);
int shared_name(void) { return 1; }
int shared_data = 10;
extern int side_get(void);
// 30 + 1 * 32 + 10 = 72
void _start(void) { proc_exit(side_get() + shared_name() * 32 + shared_data); }
