__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

int test_close(int);
int env_close(int);

void _start(void) { proc_exit(test_close(1) + env_close(2)); }
