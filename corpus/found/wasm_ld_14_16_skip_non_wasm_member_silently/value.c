int value(void) { return 42; }
