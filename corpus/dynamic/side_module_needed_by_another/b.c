// libb.so: linked against liba.so (no --unresolved-symbols needed).
extern int a_data;
extern int a_fn(int);
int b_fn(int x) { return a_fn(x) + a_data; }
