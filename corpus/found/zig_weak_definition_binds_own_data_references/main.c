// The pattern of wasi-libc's __stdio_exit.o and stdout.o, reduced: weak.o
// defines `used` (data) and `value` (a function) weakly and reads them itself;
// strong.o defines both strongly. Every reference, weak.o's own included,
// must see the strong definitions: exit 1 + 2 = 3. A linker that binds
// weak.o's own references to weak.o's definitions gives 20 + 40 = 60
// (20 + 2 or 1 + 40 when only one of the two is wrong).
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

int read_used(void);
int call_value(void);

void _start(void) { proc_exit(read_used() + call_value()); }
