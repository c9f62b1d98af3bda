// --emit-relocs (EMIT-RELOCS): the linked program keeps its symbol table
// and relocations; it runs as without them: compute(20) = 21, plus the
// string's first byte 'h' (104) read through a pointer in data: 125.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);
int compute(int);
const char *greeting = "hello";
static int unused_in_gc(void) { return 3; }
void _start(void) { proc_exit(compute(20) + greeting[0]); }
