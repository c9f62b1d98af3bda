/* Function pointers crossing modules: a host function's address stored in
 * the side module's data and called through, and the side module's own
 * function passed to the host, which calls it. */
extern int host_twice(int x);
extern int host_call(int (*f)(int), int x);

static int side_inc(int x) { return x + 1; }

int (*fp)(int) = host_twice;
int (*own)(int) = side_inc;

int side_value = 0;

int side_main(void) {
  side_value = fp(21);                          /* 42 */
  return host_call(own, 9) + host_call(fp, 1);  /* 10 + 2 = 12 */
}
