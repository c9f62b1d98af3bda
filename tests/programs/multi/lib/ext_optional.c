/* Archive member that only weak references name: it must stay out, so its
 * constructor must never run. */
#include <stdio.h>

int optional_counter = 5;

int optional_feature(void) { return 99; }

__attribute__((constructor(104))) static void ctor_optional(void) {
    printf("ctor ext_optional: MUST NOT RUN\n");
}
