int five = 5;

int ten(void) { return 10; }
