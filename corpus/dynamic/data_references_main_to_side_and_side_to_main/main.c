// The main module's own data (main_val), which the side module reads and
// writes, and the side module's data (side_val), read here.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit"))) void proc_exit(int);
int main_val = 7;
extern int side_val;
extern void side_bump(void);
extern int side_read_main(void);
// After side_bump: main_val = 12; 3 * 10 + (12 + 1) + 12 = 55.
void _start(void) {
  side_bump();
  proc_exit(side_val * 10 + side_read_main() + main_val);
}
