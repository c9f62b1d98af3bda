__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

int g(void);
int h(void);
volatile int never;

void _start(void) {
  if (never) proc_exit(g());
  proc_exit(h());
}
