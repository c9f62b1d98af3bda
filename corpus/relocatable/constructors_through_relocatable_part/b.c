extern int order;

__attribute__((constructor(300))) static void third(void) { order = order * 4 + 3; }
__attribute__((constructor(101))) static void first(void) { order = order * 4 + 1; }

int from_b(void) { return 0; }
