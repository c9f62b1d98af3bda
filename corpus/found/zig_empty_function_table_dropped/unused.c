extern int flag;

__attribute__((constructor)) static void init_unused(void) { flag += 100; }

int unused(void) { return 2; }
