extern int flag;

__attribute__((constructor)) static void init_used(void) { flag += 10; }

int used(void) { return 1; }
