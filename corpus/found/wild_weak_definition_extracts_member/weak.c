__attribute__((weak)) int var = 3;

void ensure(void) {}
