# _start reads the global g, which nothing defines; under
# --warn-unresolved-symbols refld imports it (env.g), wasm-ld writes
# global index 0xFFFFFFFF: an invalid module (QUIRK-UND-INDEX).
.globaltype g, i32
.globl _start
_start:
  .functype _start () -> ()
  global.get g
  drop
  end_function
