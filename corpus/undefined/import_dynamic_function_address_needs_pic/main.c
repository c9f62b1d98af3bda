__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

int missing(void);
int (*volatile p)(void);

void _start(void) {
  p = missing;
  proc_exit(p());
}
