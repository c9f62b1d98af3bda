// Gives the symbol index an even size (f0, unrelatedx: 26 bytes), which Zig
// needs (found/zig_archive_odd_symbol_index).
int unrelatedx(void) { return 7; }
