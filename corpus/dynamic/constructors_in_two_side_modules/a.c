extern int log_val;
__attribute__((constructor)) static void a_init(void) { log_val = log_val * 10 + 1; }
int a_marker(void) { return 1; }
