// Calls f as int f(int, int): a direct call with type (i32, i32) -> i32.
int f(int, int);

int g(void) { return f(1, 2); }
