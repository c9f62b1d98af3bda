// wasi-libc's crt1-command.o (Debian's) in small: `_start` neither calls
// __wasm_call_ctors nor __wasm_call_dtors; it relies on the wrapper wasm-ld
// makes for every exported function of a command (`_start.command_export`:
// __wasm_call_ctors, _start, __wasm_call_dtors). Here the constructor sets
// `phase` to 5, `_start` adds 1 and returns, and __wasm_call_dtors (dtors.c,
// as wasi-libc defines it) exits with `phase`: exit 6. A wrapper that skips
// __wasm_call_dtors ends the run when `_start` returns: exit 0 — what a C
// program's unflushed stdout and atexit handlers go through.
extern int phase;

void _start(void) { phase += 1; }
