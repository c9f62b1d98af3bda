// Constructors append a base-4 digit to order (order.o) as they run:
//   b.o priority 101 -> 1, a.o priority 300 -> 2, b.o priority 300 -> 3,
//   main.o default priority (65535) -> 0.
// Lower priorities run first; equal priorities in command-line order (a.o
// before b.o): 1, 2, 3, 0 = 0b01_10_11_00 = 108.
// order lives in a file of its own: a constructor in the file that defines
// it would be evaluated by the compiler and disappear. main calls a function
// of a.o and of b.o so that every object has a live symbol (see
// constructor_in_unreferenced_object for objects without one).
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

void __wasm_call_ctors(void);

extern int order;
int from_a(void);
int from_b(void);

__attribute__((constructor)) static void last(void) { order = order * 4 + 0; }

void _start(void) {
  __wasm_call_ctors();
  proc_exit(order + from_a() + from_b());
}
