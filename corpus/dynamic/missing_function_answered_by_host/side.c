// nowhere_fn is defined by no module: the host answers.
extern int nowhere_fn(int);
int side_call(void) { return nowhere_fn(5) + 10; }
