// f2, defined first, calls f0; both are named by --export. wasm-ld exports
// both; Zig 0.17.1 exports f2 alone.
__attribute__((noinline)) int f0(int x);
int f2(int x) { return f0(x) * 2; }
__attribute__((noinline)) int f0(int x) { return x + 1; }
