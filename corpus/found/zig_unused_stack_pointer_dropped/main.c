// _start never touches the stack: no function references __stack_pointer.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

void _start(void) { proc_exit(3); }
