// liba.so, loaded first: its weak definitions win for the GOT.
__attribute__((weak)) int wval = 10;
__attribute__((weak)) int wfn(void) { return 1; }
int a_direct(void) { return wfn(); }
