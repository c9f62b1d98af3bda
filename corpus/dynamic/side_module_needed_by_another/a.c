// liba.so: loaded only because libb.so needs it.
int a_data = 5;
int a_fn(int x) { return x + 40; }
