// wasi-libc's environ in small: libx.a holds strong.o (a strong `var`, first
// in the archive index, like environ.o's __wasilibc_environ), weak.o
// (`ensure` and a weak `var`, like __wasilibc_initialize_environ.o) and
// user.o (`get` reading `var`, like getenv.o). main.o needs `ensure` and
// `get`: weak.o and user.o are extracted; `var` is then defined (weakly),
// so nothing extracts strong.o: exit 3. A linker that also extracts
// strong.o exits 7 (and runs whatever else strong.o brings, such as
// environ.o's constructor).
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

void ensure(void);
int get(void);

void _start(void) {
  ensure();
  proc_exit(get());
}
