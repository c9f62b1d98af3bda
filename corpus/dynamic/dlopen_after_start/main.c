// Loads a plugin after start through the loader's dlopen/dlsym (L8), calls
// its function through the table slot dlsym gives and reads its data.
__attribute__((import_module("linkcheck"), import_name("dlopen"))) int dlopen_lib(const char *name);
__attribute__((import_module("linkcheck"), import_name("dlsym"))) int dlsym_lib(int handle, const char *name);
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit"))) void proc_exit(int);
int main_base = 7;
void _start(void) {
  int h = dlopen_lib("libplugin.so");
  int again = dlopen_lib("libplugin.so");
  int (*fn)(int) = (int (*)(int))dlsym_lib(h, "plugin_fn");
  int *data = (int *)dlsym_lib(h, "plugin_data");
  int missing = dlsym_lib(h, "nothing");
  int none = dlopen_lib("libnone.so");
  // fn(3) = 3 * 2 + main_base = 13; *data = 20 (set by the plugin's
  // constructor through a relocated pointer); same handle: 1; no such
  // symbol: 1; no such library: 2. 13 + 20 + 1 + 1 + 2 = 37.
  proc_exit(fn(3) + *data + (h == again) + (missing == 0) + (none == 0) * 2);
}
