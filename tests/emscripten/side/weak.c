/* Weak definitions (linked first, with strong.c after it): strong.c's
 * strong definitions of pick and side_value win; weak_only and weak_data
 * have only these weak definitions and are used. */
__attribute__((weak)) int pick(void) { return 1; }
__attribute__((weak)) int weak_only(void) { return 10; }
__attribute__((weak)) int side_value = 100;
__attribute__((weak)) int weak_data = 4;

int side_main(void) {
  return pick() * 10 + weak_only() + weak_data; /* 2*10 + 10 + 4 = 34 */
}
