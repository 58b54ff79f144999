#!/usr/bin/env bash
# The ceiling on reading np.savez_compressed bodies: the fastest DEFLATE decoders at hand (zlib, libdeflate, Intel
# ISA-L) inflating the entry that RequestFormatsBenchmark's b64-t512 npzCompressed body holds for input_1 (64 × 512 × 4
# float32, normal around 100 with std 12, as numpy's zipfile deflates it: zlib level 6), each in its best case. Put
# beside `bench/jmh.sh 'RequestFormatsBenchmark.npzCompressed'` (the JDK's Inflater behind java.util.zip).
#
#   bench/inflate-ceiling.sh        (installs Debian's libdeflate-dev, libisal-dev, zlib1g-dev and gcc if missing)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
missing=()
for package in gcc zlib1g-dev libdeflate-dev libisal-dev; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq "${missing[@]}" >/dev/null; else sudo apt-get install -y -qq "${missing[@]}" >/dev/null; fi
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/ceiling" "$here/inflate/ceiling.c" -lz -ldeflate -lisal
/usr/bin/python3 - "$work" <<'PY'
import sys, zlib, numpy as np
rng = np.random.default_rng(1)
array = (100 + 12 * rng.standard_normal((64, 512, 4))).astype('<f4')
raw = array.tobytes()
deflater = zlib.compressobj(6, zlib.DEFLATED, -15)  # zipfile.ZIP_DEFLATED's default
open(f"{sys.argv[1]}/raw", "wb").write(raw)
open(f"{sys.argv[1]}/deflated", "wb").write(deflater.compress(raw) + deflater.flush())
PY
grep -m1 'model name' /proc/cpuinfo
"$work/ceiling" "$work/raw" "$work/deflated"
