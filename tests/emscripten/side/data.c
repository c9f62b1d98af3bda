/* Data the side module exports, read by the host: the host's `side_value`
 * (a GOT.mem import of the main module) must be the address the side module
 * writes through. */
int side_value = 1000;
static int step = 5;

int side_main(void) {
  side_value += step; /* 1005 */
  step++;
  side_value += step; /* 1011 */
  return 2;
}
