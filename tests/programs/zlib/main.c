/* zlib round trip: compress a generated buffer at two levels, uncompress
 * it, compare, and print sizes and checksums. Deterministic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zlib.h"

#define N 100000

static unsigned char input[N], packed[N + N / 10 + 64], unpacked[N];

/* Text-like data: words picked by a fixed LCG, so it compresses well but
 * not trivially. */
static void generate(void) {
    static const char *words[] = {"alpha ", "beta ", "gamma ", "delta ", "wasm ", "linker ",
                                  "reloc ", "symbol\n"};
    unsigned state = 12345;
    size_t at = 0;
    while (at < N) {
        state = state * 1103515245u + 12345u;
        const char *w = words[(state >> 16) % 8];
        size_t len = strlen(w);
        if (len > N - at) len = N - at;
        memcpy(input + at, w, len);
        at += len;
    }
}

static int round_trip(int level) {
    uLongf packed_len = sizeof packed;
    int rc = compress2(packed, &packed_len, input, N, level);
    if (rc != Z_OK) {
        printf("compress2(level %d) failed: %d\n", level, rc);
        return 1;
    }
    uLongf unpacked_len = sizeof unpacked;
    rc = uncompress(unpacked, &unpacked_len, packed, packed_len);
    if (rc != Z_OK || unpacked_len != N || memcmp(input, unpacked, N) != 0) {
        printf("uncompress(level %d) failed: %d\n", level, rc);
        return 1;
    }
    printf("level %d: %d -> %lu bytes, round trip ok, crc32(packed)=%08lx\n", level, N,
           (unsigned long)packed_len, crc32(0L, packed, (uInt)packed_len));
    return 0;
}

int main(void) {
    generate();
    printf("zlib version %s\n", zlibVersion());
    printf("input: %d bytes adler32=%08lx crc32=%08lx\n", N, adler32(1L, input, N),
           crc32(0L, input, N));
    if (round_trip(1) || round_trip(6) || round_trip(9)) return 1;
    printf("zlib done\n");
    return 0;
}
