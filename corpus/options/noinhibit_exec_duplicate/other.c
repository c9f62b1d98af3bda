int value(void) { return 9; }
int other_entry(void) { return value(); }
