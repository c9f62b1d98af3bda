// ops (in table.o) holds pointers to functions of two other files; answer
// (in table.o) points at a variable of numbers.o. Exit 46: 10 + 20 + 10 from
// the calls, 5 through the data pointer, 1 for the address equalities.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

int ten(void);
extern int (*const ops[3])(void);
extern int *const answer;

void _start(void) {
  int total = 0;
  for (int i = 0; i < 3; i++) total += ops[i]();
  total += *answer;
  total += (ops[0] == ten && ops[0] == ops[2] && ops[1] != ten);
  proc_exit(total);
}
