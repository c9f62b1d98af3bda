int counter = 30;
int add(int n) { return n + 4; }
