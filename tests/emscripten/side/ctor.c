/* Constructors in a side module, in priority order, one reading a pointer
 * in data (so the data relocations must be applied before the
 * constructors run). */
extern void host_note(const char *what, int value);

int side_value = 1;
static int base = 20;
/* Not static, so that the compiler keeps the pointer in data. */
int *pb = &base;
static int ready;

__attribute__((constructor(200))) static void early(void) {
  side_value = *pb;                    /* 20 */
  host_note("ctor.early", side_value);
}

__attribute__((constructor)) static void late(void) {
  side_value += 30;                    /* 50 */
  ready = 1;
  host_note("ctor.late", side_value);
}

int side_main(void) { return ready ? side_value + 1 : 0; } /* 51 */
