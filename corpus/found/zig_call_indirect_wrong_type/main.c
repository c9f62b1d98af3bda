// An indirect call through a `void (*)(int)` pointer (null here, so the
// call never runs): the module needs the type (i32) -> () for it.
typedef void (*cb)(int);
cb volatile hook;
void _start(void) {
  if (hook) hook(1);
}
