/* Archive member extracted only because ext_used.o needs it. */
int ext_helper(int x) { return x * 31 + 7; }
