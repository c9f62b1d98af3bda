// maybe() is only weakly referenced. libmaybe.a defines it, but a weak
// reference extracts no archive member: maybe stays undefined, its address
// is null, and the program exits 7 (3 would mean the member was extracted).
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

__attribute__((weak)) int maybe(void);

void _start(void) { proc_exit(maybe ? maybe() : 7); }
