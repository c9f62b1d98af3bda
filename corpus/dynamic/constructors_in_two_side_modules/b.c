extern int log_val;
__attribute__((constructor)) static void b_init(void) { log_val = log_val * 10 + 2; }
int b_marker(void) { return 2; }
