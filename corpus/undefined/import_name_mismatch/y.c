// sym imported under the name two.
__attribute__((import_name("two"))) int sym(void);

int fy(void) { return sym(); }
