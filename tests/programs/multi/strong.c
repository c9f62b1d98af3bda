/* Strong definitions that override weak ones of ops.c and table.c. */
int tuning(void) { return 42; }
int default_level = 7;
