// d1 is defined nowhere; with --allow-undefined its address is 0
// (UND-DATA-ZERO), so run() reads address 0 and returns what is there (0).
extern int d1;
int run(void) { return d1; }
