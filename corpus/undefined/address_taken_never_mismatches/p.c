// Only takes the address of f, declared here with another type.
int f(int, int);

void *address_of_f(void) { return (void *)f; }
