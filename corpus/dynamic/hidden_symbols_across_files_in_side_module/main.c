__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit"))) void proc_exit(int);
int hidden_data = 50;   // the same name, exported: not the side module's
extern int side_api(void);
// 55 + 50 = 105
void _start(void) { proc_exit(side_api() + hidden_data); }
