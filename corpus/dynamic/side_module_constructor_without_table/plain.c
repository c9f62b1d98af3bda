// Read-only data, .bss, a constructor; no function pointer, so no table.
const char msg[] = "hello";
int big[4];
int val = 3;
static void init(void) __attribute__((constructor));
static void init(void) { val += 1; }
int api(int n) { return msg[n] + big[n] + val; }
