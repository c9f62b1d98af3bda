__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

// foo() is defined nowhere; libq.imports (beside libq.a) names it.
int foo(void);
volatile int never;

void _start(void) {
  if (never) proc_exit(foo());
  proc_exit(12);
}
