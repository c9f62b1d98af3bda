/* "multi": a multi-file C program with its own static archive. Exercises
 * weak definitions and references, archive extraction (and non-extraction),
 * function/string pointers in data across files, same-named statics and
 * prioritized constructors. */
#include <stdio.h>

#include "multi.h"

/* Weak references to symbols that only ext_optional.o (an archive member
 * nothing else pulls in) defines: weak references extract nothing, so both
 * must resolve to null. */
__attribute__((weak)) int optional_feature(void);
extern int optional_counter __attribute__((weak));

static const char *describe(void) { return "main.c"; }

__attribute__((constructor(101))) static void ctor_main(void) { printf("ctor main:101\n"); }

__attribute__((destructor)) static void dtor_main(void) { printf("dtor main\n"); }

int main(void) {
    printf("main start, describe() = %s\n", describe());
    for (int i = 0; i < op_count; i++) {
        shared_counter++;
        printf("op %s(7, 5) = %d\n", op_table[i].name, op_table[i].fn(7, 5));
    }
    for (int i = 0; messages[i]; i++) printf("message %d: %s\n", i, messages[i]);
    printf("counter via pointer: %d\n", *counter_ptr);
    printf("statics: %s %s %s\n", describe(), ops_origin(), table_origin());
    printf("tuning() = %d, default_level = %d, build_flavor() = %s\n", tuning(), default_level,
           build_flavor());
    if (optional_feature)
        printf("optional_feature: present (%d)\n", optional_feature());
    else
        printf("optional_feature: absent\n");
    printf("optional_counter: %s\n", &optional_counter ? "present" : "absent");
    printf("ext_checksum(\"wasm\") = %d\n", ext_checksum("wasm"));
    int sum = 0;
    for (int i = 0; i < 8; i++) sum += ext_primes[i];
    printf("ext_primes sum = %d\n", sum);
    printf("multi done\n");
    return 0;
}
