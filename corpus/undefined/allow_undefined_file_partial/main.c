__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

// foo() and bar() are defined nowhere; allow.txt lists which may be.
int foo(void);
int bar(void);

void _start(void) { proc_exit(foo() + bar()); }
