# thrower throws __cpp_exception, a tag user.o only references (the
# definition is tags.o's); _start calls it: the exception is uncaught.
.tagtype __cpp_exception i32
.globl thrower
thrower:
  .functype thrower (i32) -> ()
  local.get 0
  throw __cpp_exception
  unreachable
  end_function
.globl _start
_start:
  .functype _start () -> ()
  i32.const 7
  call thrower
  end_function
