// Pointers in the main module's data: to its own data, to the side module's.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit"))) void proc_exit(int);
int main_arr[3] = {1, 2, 3};
int *main_p_own = &main_arr[2];
extern int side_arr[];
int *main_p_side = &side_arr[1];
extern int side_sum(void);
// 3 + 20 + (30 + 2) = 55
void _start(void) { proc_exit(*main_p_own + *main_p_side + side_sum()); }
