// A C destructor: clang-19 registers it in a constructor with
// __cxa_atexit(bye, 0, &__dso_handle), a reference to __dso_handle,
// which the linker defines.
__attribute__((destructor)) static void bye(void) {}
void _start(void) {}
