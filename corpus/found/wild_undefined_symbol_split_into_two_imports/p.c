// A plain reference to sym: no import name.
int sym(void);

int fp(void) { return sym(); }
