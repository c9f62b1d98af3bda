/* Runs a fixed Lua script: tables, strings, closures, string.format of
 * floats, print. The Lua build aborts on any Lua error (no setjmp in WASI),
 * so the script must not raise one. */
#include <stdio.h>
#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

static const char script[] =
    "local function counter(start)\n"
    "  local n = start\n"
    "  return function(step) n = n + step; return n end\n"
    "end\n"
    "local c = counter(10)\n"
    "c(1); c(2)\n"
    "print('closure: ' .. c(3))\n"
    "local t = {}\n"
    "for i = 1, 10 do t[#t + 1] = i * i end\n"
    "print('squares: ' .. table.concat(t, ','))\n"
    "local sum = 0\n"
    "for _, v in ipairs(t) do sum = sum + v end\n"
    "print('sum: ' .. sum)\n"
    "local words = {}\n"
    "for w in string.gmatch('the quick brown fox jumps over the lazy dog', '%a+') do\n"
    "  words[#words + 1] = w:upper()\n"
    "end\n"
    "table.sort(words)\n"
    "print('sorted: ' .. table.concat(words, ' '))\n"
    "local freq = {}\n"
    "for _, w in ipairs(words) do freq[w] = (freq[w] or 0) + 1 end\n"
    "print('THE count: ' .. freq.THE)\n"
    "print(string.format('floats: %.3f %g %5.1f %e', math.pi, 1/3, 2.25, 12345.678))\n"
    "print(string.format('int/float: %d %s %s', 7 // 2, 7 / 2, math.type(2^53)))\n"
    "local fib = setmetatable({}, {__index = function(self, n)\n"
    "  local v = n < 2 and n or self[n - 1] + self[n - 2]\n"
    "  rawset(self, n, v); return v\n"
    "end})\n"
    "print('fib(40): ' .. fib[40])\n"
    /* LUA_USE_C89 makes lua_Integer a 32-bit long on wasm32. */
    "print('maxinteger: ' .. math.maxinteger)\n"
    "print(('rep'):rep(3, '-'), ('%q'):format('a\\nb'), tostring(nil), 0x10)\n";

int main(void) {
    lua_State *L = luaL_newstate();
    if (!L) {
        printf("cannot create Lua state\n");
        return 1;
    }
    luaL_openlibs(L);
    if (luaL_dostring(L, script) != LUA_OK) {
        printf("lua error: %s\n", lua_tostring(L, -1));
        lua_close(L);
        return 1;
    }
    lua_close(L);
    printf("lua done\n");
    return 0;
}
