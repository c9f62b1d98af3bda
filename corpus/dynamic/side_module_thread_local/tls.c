// Thread-local data in a side module (needs -matomics -mbulk-memory;
// without them clang lowers _Thread_local to plain data).
_Thread_local int counter = 5;
_Thread_local int scratch[4];
int shared_total = 7;
int bump(void) { return ++counter + scratch[1] + shared_total; }
int *counter_addr(void) { return &counter; }
