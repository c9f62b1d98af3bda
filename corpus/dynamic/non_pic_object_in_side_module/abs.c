// Compiled without -fPIC: x's address is an absolute MEMORY_ADDR_LEB.
int x = 3;
int get(void) { return x; }
