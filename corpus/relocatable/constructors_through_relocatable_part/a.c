extern int order;

__attribute__((constructor(300))) static void second(void) { order = order * 4 + 2; }

int from_a(void) { return 0; }
