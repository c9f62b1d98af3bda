// a.o and b.o both hold the COMDAT group `f` (as every C++ object using an
// inline function does); their copies differ here only so that the run
// shows which one is called. The group is linked once: the first object's
// copy, called by both ga and gb: exit 1 * 10 + 1 = 11. A linker that
// keeps b.o's copy for b.o's own call exits 12.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

int ga(void);
int gb(void);

void _start(void) { proc_exit(ga() * 10 + gb()); }
