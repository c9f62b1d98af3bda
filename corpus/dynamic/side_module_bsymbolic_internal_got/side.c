// Exported and hidden data and functions, an undefined function and
// undefined data, pointers to data and functions in data, .bss, the stack.
extern int ext_data;
extern int ext_fn(int);
int zero_bss[4];
int counter = 5;
static int hidden_static = 7;
__attribute__((visibility("hidden"))) int hidden_fn(int a) { return a + hidden_static; }
int use_stack(int n) { volatile int buf[8]; buf[n & 7] = n; return buf[(n + 1) & 7] + zero_bss[n & 3]; }
int (*table_entry)(int) = hidden_fn;
int *data_ptr = &counter;
int *ext_ptr = &ext_data;
int api(int n) { return ext_fn(n) + ext_data + counter + table_entry(n) + use_stack(n) + *data_ptr; }
