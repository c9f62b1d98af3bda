// The main module: calls into the side module and reads its data; its
// own data and function are what the side module imports.
extern int side_fn(int);
extern int side_counter;
extern int call_through(int);
int main_value = 100;
int main_fn(int x) { return x * 2; }
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit"))) void proc_exit(int);
// side_fn(1) = 1 + 10 + 100 + 2, side_counter = 10, call_through(1) = 2.
void _start(void) { proc_exit(side_fn(1) + side_counter + call_through(1)); }
