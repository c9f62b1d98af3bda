// A second definition of f0: never extracted, f0 being defined by main.o.
int f0(void) { return 9; }
