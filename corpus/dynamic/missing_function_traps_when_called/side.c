// nowhere_fn is defined by no module: under missing_functions = "trap" its
// call traps (the link itself succeeds: the import stays for the loader).
extern int nowhere_fn(int);
int side_call(void) { return nowhere_fn(5) + 10; }
