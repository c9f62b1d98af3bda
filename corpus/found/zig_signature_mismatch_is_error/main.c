__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

int g(void);
int h(void);

void _start(void) { proc_exit(h() + g()); }
