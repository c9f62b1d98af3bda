__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

// missing() is defined nowhere and called from the live _start.
int missing(void);

void _start(void) { proc_exit(missing()); }
