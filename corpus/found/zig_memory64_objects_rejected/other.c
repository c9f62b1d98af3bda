int bval = 7;
int other(int x) { return x + bval; }
