// Initialized data in a module with shared memory: wasm-ld makes the
// segment passive and copies it once, from __wasm_init_memory (the start
// function); Zig 0.17.1 writes an active segment.
int counter = 5;
int get(void) { return counter; }
