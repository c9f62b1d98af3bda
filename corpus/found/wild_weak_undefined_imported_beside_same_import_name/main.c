__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

// Two undefined functions, both imported under the name `shared`: f0
// strongly from env, f2 weakly from other.
__attribute__((import_name("shared"))) int f0(int);
__attribute__((weak, import_module("other"), import_name("shared"))) int f2(int);

void _start(void) { proc_exit(f0(1) + f2(2)); }
