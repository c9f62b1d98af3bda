// The archive's symbol index holds one name, "f1": 4 + 4 + 3 = 11 bytes,
// an odd size, padded with one byte before the next member.
int f1(void) { return 21; }
