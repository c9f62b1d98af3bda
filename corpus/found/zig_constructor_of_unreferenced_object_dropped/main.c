// ctor.o, named on the command line, defines nothing main refers to; its
// constructor still runs (an object file given on the command line is
// linked whole, and with --gc-sections its init functions are roots):
// exit 42. Exit 0 would mean the constructor was dropped.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

void __wasm_call_ctors(void);

int flag;

void _start(void) {
  __wasm_call_ctors();
  proc_exit(flag);
}
