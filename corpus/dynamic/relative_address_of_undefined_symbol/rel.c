// A hidden undefined symbol is addressed relative to __memory_base.
extern __attribute__((visibility("hidden"))) int hid;
__attribute__((visibility("default"))) int get(void) { return hid; }
