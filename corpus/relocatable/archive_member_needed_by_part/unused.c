int unused(void) { return 99; }
