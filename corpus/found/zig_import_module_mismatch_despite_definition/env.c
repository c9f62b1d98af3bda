// libc-style code: a plain declaration, import module env, no import name.
int close(int);

int env_close(int fd) { return close(fd); }
