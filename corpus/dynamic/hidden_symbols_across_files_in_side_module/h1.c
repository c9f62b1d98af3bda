// Hidden definitions, used from h2.c.
__attribute__((visibility("hidden"))) int hidden_data = 6;
__attribute__((visibility("hidden"))) int hidden_fn(int x) { return x * 7; }
