// A definition of close, as libc has one.
int close(int fd) { return fd + 40; }
