// Calls a function pointer from the main module; hands out its own
// function's address and the main module's.
typedef int (*fn)(int);
extern int main_add(int);
int side_mul(int x) { return x * 4; }
int side_apply(fn f, int x) { return f(x); }
fn side_get_mul(void) { return side_mul; }
fn side_get_main_add(void) { return main_add; }
