// musl's weak_alias shape: one function, a strong name and a weak alias.
int fputs_impl(int x) { return x + 1; }
extern int fputs_alias(int) __attribute__((weak, alias("fputs_impl")));
