__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

// missing() becomes an import under --import-undefined; the data symbol
// value cannot be imported and stays an error.
int missing(void);
extern int value;

void _start(void) { proc_exit(missing() + value); }
