// A plugin: its constructor writes through a pointer that
// __wasm_apply_data_relocs relocated; its function reads the main
// module's data (GOT.mem).
extern int main_base;
int plugin_data = 0;
static int *ptr = &plugin_data;
__attribute__((constructor)) static void init(void) { *ptr = 20; }
int plugin_fn(int x) { return x * 2 + main_base; }
