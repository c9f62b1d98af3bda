// --initial-heap=131072 (OPT-INITIAL-HEAP): two pages of heap after
// __heap_base in the initial memory. The stack comes first (64 KiB, page
// 0), the data after it (page 1, __heap_base a little past 65536), then
// 131072 bytes of heap: the initial memory ends past 196608, in page 3, so
// memory.size is 4; data[0] - 1 adds 0.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);
int data[10] = {1};
void _start(void) { proc_exit(__builtin_wasm_memory_size(0) + data[0] - 1); }
