// A shared-memory program: every data segment is passive and written by
// __wasm_init_memory, the start function (LAY-INIT-MEMORY); .bss is zeroed
// by it; thread-local variables live in the TLS block at __tls_base, which
// __wasm_init_memory sets to the block's static address (LAY-TLS-BASE).
// The exit code adds them up: 5 + 'e' (101) + zeros[3] (0) + tv (7)
// + tz (0) + 1 when &tv is __tls_base = 114.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

extern int counter;
extern const char msg[];
extern int zeros[100];
extern _Thread_local int tv;
extern _Thread_local int tz;

void _start(void) {
    int at_base = (char *)&tv == (char *)__builtin_wasm_tls_base();
    proc_exit(counter + msg[1] + zeros[3] + tv + tz + at_base);
}
