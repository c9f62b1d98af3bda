// A table of data and a function; the command line exports both.
int table[4] = {9, 8, 7, 6};
int run(void) { return 1; }
