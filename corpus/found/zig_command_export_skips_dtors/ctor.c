// An init function, so that the command needs constructors at all.
int phase;

__attribute__((constructor)) static void init(void) { phase = 5; }
