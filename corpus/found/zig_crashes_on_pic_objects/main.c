// -fPIC code linked into a plain executable (DYN-STATIC): data and
// function addresses through internal GOT constants, relative addresses
// from __memory_base (0 here), function pointers in data.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

extern int counter;
extern int add(int);
static int local_table[3] = {1, 2, 3};
int (*op)(int) = add;
int *where = &counter;

void _start(void) { proc_exit(op(local_table[2]) + *where); }
