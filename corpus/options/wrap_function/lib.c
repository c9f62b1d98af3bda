int compute(int x) { return x + 1; }
int __real_compute(int);
int __wrap_compute(int x) { return __real_compute(x) * 2; }
