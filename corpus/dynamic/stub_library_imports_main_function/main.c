__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit"))) void proc_exit(int);
extern int js_fn(int);        // provided by the stub library: an import
extern int side_val(void);    // from libside.so
__attribute__((visibility("hidden"))) int helper(int x) { return x + 1; }
// env.js_fn(4) = 53 (recording host); 53 + 3 = 56
void _start(void) { proc_exit(js_fn(4) + side_val()); }
