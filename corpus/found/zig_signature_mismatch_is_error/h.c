// Calls f as int f(void).
int f(void);

int h(void) { return f(); }
