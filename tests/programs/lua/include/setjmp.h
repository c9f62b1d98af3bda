/* Empty on purpose: wasi-libc has no setjmp, and the Lua build replaces
 * LUAI_THROW/LUAI_TRY (see tests/src/real/programs.rs), so ldo.c's
 * #include <setjmp.h> must find nothing to declare. */
