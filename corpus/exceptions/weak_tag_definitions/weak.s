# A weak definition of __cpp_exception: the strong one of strong.o wins.
.tagtype __cpp_exception i32
.weak __cpp_exception
__cpp_exception:
