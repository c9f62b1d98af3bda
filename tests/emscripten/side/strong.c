/* The strong definitions overriding weak.c's weak ones. */
int pick(void) { return 2; }
int side_value = 300;
