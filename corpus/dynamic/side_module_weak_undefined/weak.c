// Undefined weak function and data in a side module.
__attribute__((weak)) extern int wfn(int);
__attribute__((weak)) extern int wdata;
__attribute__((weak)) extern int wdata2;
int api(int n) { return (wfn ? wfn(n) : 1) + wdata2 + (int)&wdata; }
