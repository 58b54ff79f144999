#!/usr/bin/env bash
# Serving images side by side, alternating, for a change measured against its baseline in one run: all containers
# up (at their bridge addresses), warmed up, then for each round and load wrk against each image in turn.
#
#   bench/ab.sh IMAGE_A IMAGE_B [IMAGE...]   e.g. after `docker tag lstm-two-inputs:1.0.0 lstm-two-inputs:before`
#
# Loads: c=1 with the B=1 body, c=8 with B=1, c=32 with B=4 (bench/make_bodies.py; LOADS, e.g. "1:b1 8:b4"), 8 s
# each, two rounds (ROUNDS, DURATION), after a warm-up of each image (WARMUP, 4 s at c=16 with B=4; the JIT still
# compiles for about 20–30 s of load, so round 1 of a short warm-up measures it). Prints one line per run: the image's
# tag, round, load, req/s, p50, p99. wrk and every image share the cores; an image not being measured is idle.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/kernels.sh
source "$here/lib/kernels.sh"
# shellcheck source=lib/bridge.sh
source "$here/lib/bridge.sh"
# shellcheck source=lib/rounds.sh
source "$here/lib/rounds.sh"
if [ "$#" -lt 2 ]; then echo "usage: bench/ab.sh IMAGE_A IMAGE_B [IMAGE...]" >&2; exit 2; fi
rounds="${ROUNDS:-2}"
duration="${DURATION:-8s}"
bodies="$(mktemp -d)"
/usr/bin/python3 "$here/make_bodies.py" "$bodies" >/dev/null
containers=()
trap 'docker rm -f "${containers[@]}" >/dev/null 2>&1; rm -rf "$bodies"' EXIT
for image in "$@"; do containers+=("$(docker run -d --rm "$image" serve)"); done
sides=()
for i in "${!containers[@]}"; do
  url="$(bridge_url "${containers[$i]}")"
  image="${*:$((i + 1)):1}"
  echo "$image: kernels $(await_serving "$url")"
  BODY_FILE="$bodies/b4.json" wrk -t2 -c16 "-d${WARMUP:-4s}" -s "$here/post.lua" "$url/invocations" >/dev/null
  sides+=("${image##*:}=$url/invocations")
done
rounds "$rounds" "$duration" "$bodies" "$here/post.lua" "${sides[@]}"
