// A wasm64 program (-m wasm64): 64-bit data addresses in code and data
// (MEMORY_ADDR_LEB64, MEMORY_ADDR_I64), a function address in data
// (TABLE_INDEX_I64) called through the table64. Exit code by hand:
// call(add, *pg) = 5 + 1 = 6, arr[2] = 3, other(1) = 1 + 7 = 8: 17.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

int g = 5;
int arr[4] = {1, 2, 3, 4};
int *pg = &g;
static int add(int x) { return x + 1; }
int (*fp)(int) = add;
extern int other(int);
__attribute__((noinline)) int call(int (*f)(int), int v) { return f(v); }

void _start(void) { proc_exit(call(fp, *pg) + arr[2] + other(1)); }
