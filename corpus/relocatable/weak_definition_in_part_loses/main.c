// part.o (-r of weak.o and user.o) holds a weak value() and a pointer to
// it in data; strong.o, linked after part.o, defines value() strongly.
// Every reference, the data pointer too, reaches the strong one: 7 + 7 = 14.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);
int value(void);
int via_pointer(void);
void _start(void) { proc_exit(value() + via_pointer()); }
