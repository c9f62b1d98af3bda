/* Archive member pulled in by main.c's call; it pulls in ext_chain.o. */
#include <stdio.h>

int ext_helper(int x);

int ext_checksum(const char *s) {
    int h = 0;
    while (*s) h = ext_helper(h) + *s++;
    return h;
}

__attribute__((constructor(103))) static void ctor_ext_used(void) { printf("ctor ext_used:103\n"); }
