// Function pointers in both directions and compared across modules.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit"))) void proc_exit(int);
typedef int (*fn)(int);
int main_add(int x) { return x + 3; }
extern int side_mul(int);
extern int side_apply(fn, int);
extern fn side_get_mul(void);
extern fn side_get_main_add(void);
// 8 + 24 + 10 + 20 = 62
void _start(void) {
  int r = side_apply(main_add, 5);           // main_add(5) = 8
  fn m = side_get_mul();
  r += m(6);                                  // side_mul(6) = 24
  if (m == side_mul) r += 10;                 // the same GOT.func.side_mul
  if (side_get_main_add() == main_add) r += 20;   // one function, one address
  proc_exit(r);
}
