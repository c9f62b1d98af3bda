// A strong f0: never extracted, f0 being defined (weakly) by main.o.
int f0(void) { return 2; }
