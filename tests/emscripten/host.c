/*
 * The fixed Emscripten main module (-sMAIN_MODULE=1) that runs side modules
 * linked by the linker under test. The side modules come from the command
 * line (pre.js): node --no-experimental-fetch host.js side.wasm
 *
 * Every side module defines `side_main` and the data `side_value`; the host
 * calls the one, prints both and exits with side_main's result. The other
 * functions here are what the side modules call back into. Output goes
 * through printf only, so a run is deterministic.
 */
#include <stdio.h>

/* Data a side module reads (and points to from its own data). */
int host_data = 77;

/* Called by side modules: plain callbacks. */
int host_add(int a, int b) { return a + b; }

void host_note(const char *what, int value) { printf("%s=%d\n", what, value); }

/* i64 across the module boundary (the host is built with -sWASM_BIGINT). */
long long host_mul64(long long a, long long b) { return a * b; }

/* Function pointers crossing modules: a host function whose address a side
 * module stores in its data, and a host function that calls a pointer the
 * side module passes in. */
int host_twice(int x) { return 2 * x; }

int host_call(int (*f)(int), int x) { return f(x); }

/* Defined by the side module, resolved by the loader at start-up. */
extern int side_main(void);
extern int side_value;

int main(void) {
  int r = side_main();
  printf("side_value=%d\n", side_value);
  printf("side_main=%d\n", r);
  return r;
}
