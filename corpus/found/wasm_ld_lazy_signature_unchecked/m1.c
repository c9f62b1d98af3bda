// Archive member 1: defines f0 as int f0(int, int), type (i32, i32) -> i32.
int f0(int a, int b) { return a + b; }
