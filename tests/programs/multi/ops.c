/* Arithmetic for the op table, a weak definition that strong.c overrides,
 * and one that nothing overrides. */
#include <stdio.h>

#include "multi.h"

int shared_counter;

static const char *describe(void) { return "ops.c"; }
const char *(*const ops_origin)(void) = describe;

int op_add(int a, int b) { return a + b; }
int op_sub(int a, int b) { return a - b; }
int op_mul(int a, int b) { return a * b; }

__attribute__((weak)) int tuning(void) { return 1; }
__attribute__((weak)) const char *build_flavor(void) { return "weak-default"; }

__attribute__((constructor)) static void ctor_ops(void) { printf("ctor ops:default\n"); }
