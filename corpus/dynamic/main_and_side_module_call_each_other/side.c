// A side module: data the main module reads, a pointer to its own data in
// data (a load-time relocation), the main module's data and function used
// directly and through a function pointer stored in data (GOT.func).
int side_counter = 10;
int *side_ptr = &side_counter;
extern int main_value;
extern int main_fn(int);
int (*side_fp)(int) = main_fn;
int side_fn(int x) { return x + *side_ptr + main_value + main_fn(x); }
int call_through(int x) { return side_fp(x); }
