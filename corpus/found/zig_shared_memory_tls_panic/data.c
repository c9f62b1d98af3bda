// The data: .data, .rodata, .bss and two TLS variables (.tdata, .tbss).
int counter = 5;
const char msg[] = "hello";
int zeros[100];
_Thread_local int tv = 7;
_Thread_local int tz;
