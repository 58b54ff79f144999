/*
 * How fast the fastest DEFLATE decoders at hand inflate one np.savez_compressed entry, on one core: zlib (what the
 * JDK's Inflater calls), libdeflate and Intel ISA-L's igzip, each given the whole entry and an output buffer of its
 * size (their best case). Prints MB/s of the compressed body, the unit of the request-format benchmark.
 *
 *   ceiling RAW_FILE DEFLATED_FILE      (bench/inflate-ceiling.sh writes both)
 */
#include <isa-l/igzip_lib.h>
#include <libdeflate.h>
#include <zlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned char *slurp(const char *path, size_t *size) {
  FILE *file = fopen(path, "rb");
  if (!file) { perror(path); exit(2); }
  fseek(file, 0, SEEK_END);
  *size = (size_t) ftell(file);
  rewind(file);
  unsigned char *bytes = malloc(*size);
  if (fread(bytes, 1, *size, file) != *size) { perror(path); exit(2); }
  fclose(file);
  return bytes;
}

static double seconds(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec + now.tv_nsec * 1e-9;
}

enum { ROUNDS = 300 };

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: %s RAW DEFLATED\n", argv[0]); return 2; }
  size_t raw_size, deflated_size;
  unsigned char *raw = slurp(argv[1], &raw_size), *deflated = slurp(argv[2], &deflated_size);
  unsigned char *out = malloc(raw_size);
  struct inflate_state *isal = malloc(sizeof *isal);
  struct libdeflate_decompressor *libdeflate = libdeflate_alloc_decompressor();
  const char *names[] = {"zlib " ZLIB_VERSION, "libdeflate " LIBDEFLATE_VERSION_STRING, "ISA-L igzip"};
  for (int decoder = 0; decoder < 3; decoder++) {
    double best = 1e9;
    for (int repeat = 0; repeat < 3; repeat++) {
      double start = seconds();
      for (int round = 0; round < ROUNDS; round++) {
        memset(out, 0, 64);
        int failed;
        if (decoder == 0) {
          z_stream zs = {0};
          inflateInit2(&zs, -15);
          zs.next_in = deflated; zs.avail_in = (uInt) deflated_size;
          zs.next_out = out; zs.avail_out = (uInt) raw_size;
          failed = inflate(&zs, Z_FINISH) != Z_STREAM_END;
          inflateEnd(&zs);
        } else if (decoder == 1) {
          failed = libdeflate_deflate_decompress(libdeflate, deflated, deflated_size, out, raw_size, NULL) != 0;
        } else {
          isal_inflate_init(isal);
          isal->next_in = deflated; isal->avail_in = (uint32_t) deflated_size;
          isal->next_out = out; isal->avail_out = (uint32_t) raw_size;
          isal->crc_flag = ISAL_DEFLATE;
          failed = isal_inflate_stateless(isal) != ISAL_DECOMP_OK;
        }
        if (failed || memcmp(out, raw, raw_size) != 0) { fprintf(stderr, "%s: wrong output\n", names[decoder]); return 1; }
      }
      double elapsed = (seconds() - start) / ROUNDS;
      if (elapsed < best) best = elapsed;
    }
    printf("%-18s %6.0f MB/s of the deflated body (%zu bytes), %6.0f MB/s of the array (%zu bytes)\n", names[decoder],
        deflated_size / best / 1e6, deflated_size, raw_size / best / 1e6, raw_size);
  }
  return 0;
}
