// --noinhibit-exec (OPT-NOINHIBIT-EXEC): value is defined twice; the
// duplicate is a warning and the output is written; main.o's definition
// (the first) is the one called: 5.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);
int value(void) { return 5; }
void _start(void) { proc_exit(value()); }
