extern int flag;

__attribute__((constructor)) static void set_flag(void) { flag = 42; }
