extern __attribute__((visibility("hidden"))) int hidden_data;
extern __attribute__((visibility("hidden"))) int hidden_fn(int);
int *hp = &hidden_data;   // a pointer in data: __memory_base + address
// 6 * 7 + 1 * 7 + 6 = 55
int side_api(void) {
  int (*volatile fp)(int) = hidden_fn;
  return hidden_fn(hidden_data) + fp(1) + *hp;
}
