// Archive member 2: calls f0 as int f0(int), a direct call with type
// (i32) -> i32. Loading this member makes f0 a lazy reference that extracts
// m1.o, whose definition has the other type.
int f0(int);

int g(int x) { return f0(x); }
