// Which weak definition each reference reaches.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit"))) void proc_exit(int);
extern int wfn(void);
extern int a_direct(void);
extern int b_direct(void);
extern int b_data(void);
extern int b_ptr_call(void);
// 1 + 1*4 + 10 + 1*16 + 1*32 = 63 (every reference reaches liba's definitions)
void _start(void) { proc_exit(a_direct() + b_direct() * 4 + b_data() + b_ptr_call() * 16 + wfn() * 32); }
