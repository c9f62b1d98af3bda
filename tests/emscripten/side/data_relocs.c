/* Pointers in data: load-time data relocations (__wasm_apply_data_relocs),
 * against the module's own data, its read-only strings and the host's
 * data. */
extern void host_note(const char *what, int value);
extern int host_data;

int x = 5;
int *p = &x;
static int arr[3] = {10, 20, 30};
int *q = &arr[2];
const char *msg = "relocs";
int *hp = &host_data;

int side_value = 3;

int side_main(void) {
  host_note(msg, *p + *q);      /* relocs=35 */
  host_note("host_data", *hp);  /* host_data=77 */
  return *p;                    /* 5 */
}
