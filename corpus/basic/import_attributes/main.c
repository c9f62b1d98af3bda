// Undefined functions with import attributes. import_name makes the symbol
// importable without --allow-undefined: host.get_value is imported under
// its import name (not local_get). Never called at run time: exit 9.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

__attribute__((import_module("host"), import_name("get_value"))) int local_get(void);
volatile int never;

void _start(void) {
  if (never) proc_exit(local_get());
  proc_exit(9);
}
