__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

// helper() comes from libh.a(helper.o), which calls the undefined missing().
int helper(void);

void _start(void) { proc_exit(helper()); }
