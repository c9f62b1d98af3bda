/* Archive member nothing references. */
#include <stdio.h>

int ext_unused(void) { return -1; }

__attribute__((constructor)) static void ctor_unused(void) { printf("ctor ext_unused: MUST NOT RUN\n"); }
