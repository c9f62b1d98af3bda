// Hidden code only: addresses relative to __memory_base, function
// pointers relative to __table_base, pointers in data rewritten at load.
__attribute__((visibility("hidden"))) int arr[4] = {1, 2, 3, 4};
__attribute__((visibility("hidden"))) int *p = &arr[2];
__attribute__((visibility("hidden"))) int hf(void) { return 9; }
__attribute__((visibility("hidden"))) int (*fps[2])(void) = {hf, hf};
__attribute__((visibility("default"))) int get(void) { return *p + fps[1](); }
