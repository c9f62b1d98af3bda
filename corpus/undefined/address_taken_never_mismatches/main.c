__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

void *address_of_f(void);

void _start(void) {
  int (*fp)(void) = (int (*)(void))address_of_f();
  proc_exit(fp());
}
