// The same names as the main module's; -Bsymbolic binds them here.
int shared_name(void) { return 2; }
int shared_data = 20;
int side_get(void) {
  int (*volatile p)(void) = shared_name;
  return shared_name() + shared_data + p() * 4;
}
