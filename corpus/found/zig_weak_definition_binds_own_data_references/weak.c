// Weak definitions, as musl's `weak_alias(dummy_file, __stdout_used)`, and
// references to them from this same object.
static int *volatile dummy = 0;
extern int *volatile used __attribute__((weak, alias("dummy")));

__attribute__((weak, noinline)) int value(void) { return 40; }

int read_used(void) { return used ? *used : 20; }
int call_value(void) { return value(); }
