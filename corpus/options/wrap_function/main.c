// --wrap=compute (WRAP-1): main's call of compute reaches __wrap_compute,
// whose call of __real_compute reaches compute: (20 + 1) * 2 = 42.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);
int compute(int);
void _start(void) { proc_exit(compute(20)); }
