// part.o (-r of main.o) keeps helper() undefined; the final link extracts
// it from libh.a (AR-2 on a -r output's undefined symbol): 40 + 2 = 42.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);
int helper(int);
void _start(void) { proc_exit(helper(40)); }
