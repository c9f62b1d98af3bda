extern int flag;

__attribute__((constructor)) static void init(void) { flag += 100; }

int maybe(void) { return 2; }
