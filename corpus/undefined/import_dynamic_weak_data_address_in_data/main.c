__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

// The address of undefined weak data in data is the import
// GOT.mem.weak_data (listed weak in dylink.0 IMPORT_INFO); that of an
// undefined weak function is its stub's table index 0, no import.
__attribute__((weak)) extern int weak_data;
__attribute__((weak)) extern int weak_fn(void);
int *wdp = &weak_data;
int (*wfp)(void) = weak_fn;
int local = 5;
int *lp = &local;

void _start(void) { proc_exit((wdp == 0) + 2 * (wfp == 0) + 4 * *lp); }
