__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

// Three undefined functions, two of one signature: trapping stubs shared
// per signature, no import and no table slot, so each address is 0. The
// addresses go through volatile pointers so the compiler cannot fold the
// comparisons: exit 1 + 2 + 4 = 7.
int a(void);
int b(void);
int c(int);
volatile int never;
int (*volatile pa)(void);
int (*volatile pb)(void);
int (*volatile pc)(int);

void _start(void) {
  if (never) proc_exit(a() + b() + c(1));
  pa = a;
  pb = b;
  pc = c;
  proc_exit((pa == 0) + 2 * (pb == 0) + 4 * (pc == 0));
}
