/* Data-only archive member, extracted by main.c's reference. */
const int ext_primes[8] = {2, 3, 5, 7, 11, 13, 17, 19};
