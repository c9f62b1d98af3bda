__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

// unused() calls the undefined missing(), but nothing reaches unused(): with
// --gc-sections (the default) its reference does not count.
int missing(void);

int unused(void) { return missing(); }

void _start(void) { proc_exit(6); }
