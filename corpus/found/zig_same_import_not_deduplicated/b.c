__attribute__((import_module("host"), import_name("get"))) int get_b(void);

int from_b(void) { return get_b(); }
