__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

// A weak reference here, a strong one in strong.c.
__attribute__((weak)) int maybe(void);
int strong_user(void);

void _start(void) { proc_exit((maybe ? maybe() : 0) + strong_user()); }
