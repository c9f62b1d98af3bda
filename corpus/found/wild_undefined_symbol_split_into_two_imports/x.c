// sym imported under the name one.
__attribute__((import_name("one"))) int sym(void);

int fx(void) { return sym(); }
