// Built with -g: part.o (-r of main.o and util.o) merges their .debug_str
// strings and keeps the relocations into it (MERGE-STRINGS, REL-OUT-RELOC);
// the program: twice(3) + label()[0] = 6 + 'o' (111) = 117.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);
int twice(int x);
const char *label(void);
void _start(void) { proc_exit(twice(3) + label()[0]); }
