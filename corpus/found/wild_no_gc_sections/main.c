// `unused` is reachable from no root (not from `_start`, not exported, not an
// init function), so --gc-sections (wasm-ld's default) drops it, the data
// `table` only it reads and the import `env.host_unused` only it calls. The
// output imports wasi_snapshot_preview1.proc_exit alone; exit 3. A linker
// that keeps dead code keeps the import too: the module then needs a host
// function the program never calls.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);
__attribute__((import_module("env"), import_name("host_unused")))
int host_unused(void);

int table[4] = {1, 2, 3, 4};

int unused(void) { return host_unused() + table[1]; }

void _start(void) { proc_exit(3); }
