// --export-memory=heap (EXP-MEMORY-NAME): the memory is exported as `heap`,
// not `memory` (so the module is no WASI command: it exports `get`).
int counter = 7;
int get(void) { return counter; }
