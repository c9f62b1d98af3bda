// --strip-all --keep-section=target_features (OUT-CUSTOM,
// OPT-KEEP-SECTION): no name or producers section, target_features kept;
// exit 11. --stack-first (wasm-ld 22's default) keeps wasm-ld 19's layout
// the same: with the names stripped, __stack_pointer's value is no
// longer known as layout.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);
void _start(void) { proc_exit(11); }
