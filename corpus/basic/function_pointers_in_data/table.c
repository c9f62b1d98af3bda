extern int five;
int ten(void);
static int twenty(void) { return 20; }

int (*const ops[3])(void) = {ten, twenty, ten};
int *const answer = &five;
