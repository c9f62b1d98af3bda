__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

__attribute__((import_name("real"))) int local_fn(void);
volatile int never;

void _start(void) {
  if (never) proc_exit(local_fn());
  proc_exit(13);
}
