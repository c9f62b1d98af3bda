int missing(int);

int from_b(void) { return missing(3); }
