int value(void) { return 7; }
