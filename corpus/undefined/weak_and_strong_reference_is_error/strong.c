int maybe(void);

int strong_user(void) { return maybe(); }
