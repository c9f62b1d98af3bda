/* Initialized data pointing into other files: functions of ops.c, strings,
 * a variable of ops.c. */
#include <stdio.h>

#include "multi.h"

static const char *describe(void) { return "table.c"; }
const char *(*const table_origin)(void) = describe;

const struct op op_table[] = {
    {"add", op_add},
    {"sub", op_sub},
    {"mul", op_mul},
};
const int op_count = sizeof op_table / sizeof op_table[0];

const char *const messages[] = {"first", "second (from table.c)", "third", 0};

int *const counter_ptr = &shared_counter;

__attribute__((weak)) int default_level = 1;

__attribute__((constructor(102))) static void ctor_table_102(void) { printf("ctor table:102\n"); }
__attribute__((constructor)) static void ctor_table(void) { printf("ctor table:default\n"); }
