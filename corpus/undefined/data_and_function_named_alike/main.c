void f0(void);

void _start(void) { f0(); }
