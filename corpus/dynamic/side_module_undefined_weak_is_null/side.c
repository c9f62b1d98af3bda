// Undefined weak function and data: null addresses at load time.
__attribute__((weak)) extern int wfn(int);
__attribute__((weak)) extern int wdata;
int side_check(void) {
  int r = 0;
  if (&wfn) r += 100 + wfn(1); else r += 5;
  if (&wdata) r += 50 + wdata; else r += 7;
  return r;
}
