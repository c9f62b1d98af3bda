// A call of an import whose symbol (test_close) is not its field (close),
// as rustc makes every #[link(wasm_import_module)] item, and of close,
// defined in def.c: exit with test.close(1) + close(2).
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);
__attribute__((import_module("test"), import_name("close"))) int test_close(int);
int close(int);

void _start(void) { proc_exit(test_close(1) + close(2)); }
