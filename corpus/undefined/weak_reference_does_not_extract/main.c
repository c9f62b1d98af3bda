__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

// libm.a(maybe.o) defines maybe() and a constructor adding 100 to flag
// (flag.c); only a weak reference names maybe: exit 10, not 110 or 2.
__attribute__((weak)) int maybe(void);
void __wasm_call_ctors(void);
extern int flag;
int (*volatile p)(void);

void _start(void) {
  __wasm_call_ctors();
  p = maybe;
  proc_exit(flag + (p ? p() : 10));
}
