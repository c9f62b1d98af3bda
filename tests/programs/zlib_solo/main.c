// zlib without libc (Z_SOLO, -ffreestanding): the real program of the
// `zlib64` (-m wasm64) and `zlib_threads` (--shared-memory, TLS) builds,
// for which this machine has no libc. A bump allocator, memcpy and memset
// of its own, a thread-local allocation counter; the result is the exit
// code (no WASI output: a wasm64 module cannot pass 64-bit pointers to
// WASI preview 1):
//   60 + (adler32 ^ crc32) % 40 + 20 if the round trip did not compress
//   below half, or 1..6 for a failed step.
#include "zlib.h"

__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
void proc_exit(int);

void *memcpy(void *d, const void *s, unsigned long n) {
  unsigned char *a = d;
  const unsigned char *b = s;
  while (n--) *a++ = *b++;
  return d;
}

void *memset(void *d, int c, unsigned long n) {
  unsigned char *a = d;
  while (n--) *a++ = (unsigned char)c;
  return d;
}

static unsigned char heap[1 << 20];
static unsigned long used;
// Thread-local: TLS relocations and, with --shared-memory, __tls_base set
// by __wasm_init_memory.
static _Thread_local unsigned allocations;

static voidpf zalloc(voidpf opaque, uInt items, uInt size) {
  (void)opaque;
  unsigned long n = ((unsigned long)items * size + 15) & ~15ul;
  if (used + n > sizeof heap) return Z_NULL;
  void *p = heap + used;
  used += n;
  allocations++;
  return p;
}

static void zfree(voidpf opaque, voidpf p) {
  (void)opaque;
  (void)p;
}

enum { SIZE = 16384 };
static unsigned char input[SIZE], packed[SIZE + 1024], unpacked[SIZE];

void _start(void) {
  // 32-bit arithmetic in both builds, so both make the same input.
  unsigned int seed = 12345;
  for (int i = 0; i < SIZE; i++) {
    seed = seed * 1103515245u + 12345u;
    input[i] = "aab\n"[(seed >> 16) % 4];
  }
  z_stream s = {0};
  s.zalloc = zalloc;
  s.zfree = zfree;
  if (deflateInit(&s, 9) != Z_OK) proc_exit(1);
  s.next_in = input;
  s.avail_in = SIZE;
  s.next_out = packed;
  s.avail_out = sizeof packed;
  if (deflate(&s, Z_FINISH) != Z_STREAM_END) proc_exit(2);
  unsigned long packed_len = s.total_out;
  deflateEnd(&s);
  z_stream t = {0};
  t.zalloc = zalloc;
  t.zfree = zfree;
  if (inflateInit(&t) != Z_OK) proc_exit(3);
  t.next_in = packed;
  t.avail_in = (uInt)packed_len;
  t.next_out = unpacked;
  t.avail_out = SIZE;
  if (inflate(&t, Z_FINISH) != Z_STREAM_END) proc_exit(4);
  inflateEnd(&t);
  for (int i = 0; i < SIZE; i++)
    if (input[i] != unpacked[i]) proc_exit(5);
  if (allocations < 2) proc_exit(6);
  uLong a = adler32(1, input, SIZE), c = crc32(0, input, SIZE);
  proc_exit(60 + (int)((a ^ c) % 40) + (packed_len < SIZE / 2 ? 0 : 20));
}
