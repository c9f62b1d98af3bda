__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit"))) void proc_exit(int);
extern int side_fn(int);
extern int side_data;
int *p = &side_data;          // GOT.mem.side_data at load time
int (*fp)(int) = side_fn;     // GOT.func.side_fn at load time
// 3 * 5 + 9 + 1 * 5 = 29
void _start(void) { proc_exit(side_fn(3) + *p + fp(1)); }
