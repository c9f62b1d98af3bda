// The strong definitions, as wasi-libc's stdout.o (`__stdout_used = &f`).
static int f = 1;
int *const volatile used = &f;

int value(void) { return 2; }
