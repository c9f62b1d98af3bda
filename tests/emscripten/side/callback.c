/* A side module calling back into the host: functions the main module
 * exports, resolved by the loader (env imports), one with i64 parameters. */
extern int host_add(int a, int b);
extern void host_note(const char *what, int value);
extern long long host_mul64(long long a, long long b);

int side_value = 11;

int side_main(void) {
  host_note("callback.add", host_add(20, 22));
  /* 3000000000 * 3 = 9000000000 does not fit 32 bits; minus 8999999000
   * leaves 1000. */
  host_note("callback.mul64", (int)(host_mul64(3000000000LL, 3) - 8999999000LL));
  return host_add(side_value, 1);
}
