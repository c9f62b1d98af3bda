extern int f0;

int get(void) { return f0; }
