/* Declarations shared by the files of the "multi" real program. */
#pragma once

struct op {
    const char *name;
    int (*fn)(int, int);
};

/* table.c: function and string pointers in initialized data. */
extern const struct op op_table[];
extern const int op_count;
extern const char *const messages[];
extern int *const counter_ptr;
extern int default_level; /* weak in table.c, strong in strong.c */

/* ops.c */
int op_add(int a, int b);
int op_sub(int a, int b);
int op_mul(int a, int b);
extern int shared_counter;
extern const char *(*const ops_origin)(void); /* points at ops.c's static */
int tuning(void);                             /* weak in ops.c, strong in strong.c */
const char *build_flavor(void);               /* weak in ops.c only */

/* table.c */
extern const char *(*const table_origin)(void);

/* libextra.a members */
int ext_checksum(const char *s); /* ext_used.o, which pulls in ext_chain.o */
extern const int ext_primes[8];  /* ext_data.o: a data-only member */
