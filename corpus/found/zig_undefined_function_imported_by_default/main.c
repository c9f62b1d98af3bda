// missing() is defined nowhere. Never called at run time: exit 5.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

int missing(void);
volatile int never;

void _start(void) {
  if (never) proc_exit(missing());
  proc_exit(5);
}
