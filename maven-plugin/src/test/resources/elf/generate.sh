#!/usr/bin/env bash
# Writes libsample.so, the fixture of ElfSymbolTableTest: a shared library with a static symbol table larger than
# a page (1,000 local functions) and one exported function, sample(x) = sum of f_i(x). Needs gcc.
#
#   maven-plugin/src/test/resources/elf/generate.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="$(mktemp --suffix=.c)"
trap 'rm -f "$src"' EXIT
{
  for i in $(seq 1 1000); do
    echo "__attribute__((noinline)) static int local_function_with_a_long_name_$i(int x) { return x * $i + 1; }"
  done
  echo "int sample(int x) { int sum = 0;"
  for i in $(seq 1 1000); do echo "  sum += local_function_with_a_long_name_$i(x);"; done
  echo "  return sum; }"
} > "$src"
gcc -shared -fPIC -O1 -o "$here/libsample.so" "$src"
echo "wrote $here/libsample.so ($(stat -c %s "$here/libsample.so") bytes)"
