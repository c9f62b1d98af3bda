extern int log_val;
__attribute__((constructor)) static void main_init(void) { log_val = log_val * 10 + 3; }
