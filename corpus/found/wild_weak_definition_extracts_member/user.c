extern int var;

int get(void) { return var; }
