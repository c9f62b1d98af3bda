int twice(int x) { return 2 * x; }
const char *label(void) { return "ok"; }
