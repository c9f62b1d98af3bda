__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

// missing() is called twice here and once in b.c: three live references,
// three `FILE: undefined symbol: missing` errors.
int missing(int);
int from_b(void);

void _start(void) { proc_exit(missing(1) + missing(2) + from_b()); }
