__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

// get_a (here) and get_b (b.c) are both host.get of type () -> i32.
__attribute__((import_module("host"), import_name("get"))) int get_a(void);
int from_b(void);
volatile int never;

void _start(void) {
  if (never) proc_exit(get_a() + from_b());
  proc_exit(14);
}
