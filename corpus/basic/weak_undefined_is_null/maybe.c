int maybe(void) { return 3; }
