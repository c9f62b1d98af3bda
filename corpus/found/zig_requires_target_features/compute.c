int compute(void) { return 33; }
