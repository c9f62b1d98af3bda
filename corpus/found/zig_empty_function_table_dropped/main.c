// used() comes from libx.a(used.o), whose constructor adds 10 to flag.
// libx.a(unused.o) defines unused(), which nothing references: it must not
// be extracted, so its constructor (adding 100) must not run. Exit 11; 111
// would mean the unreferenced member was linked in.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

void __wasm_call_ctors(void);

int flag;
int used(void);

void _start(void) {
  __wasm_call_ctors();
  proc_exit(flag + used());
}
