#!/usr/bin/env bash
# Two serving images side by side, alternating, for a change measured against its baseline in one run: both
# containers up (at their bridge addresses), warmed up, then for each round and load wrk against A, then B.
#
#   bench/ab.sh IMAGE_A IMAGE_B        e.g. after `docker tag lstm-two-inputs:1.0.0 lstm-two-inputs:before`
#
# Loads: c=1 with the B=1 body, c=8 with B=1, c=32 with B=4 (bench/make_bodies.py), 8 s each, two rounds
# (ROUNDS, DURATION). Prints one line per run: image, load, req/s, p50, p99. wrk and both images share the cores.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/kernels.sh
source "$here/lib/kernels.sh"
# shellcheck source=lib/rounds.sh
source "$here/lib/rounds.sh"
rounds="${ROUNDS:-2}"
duration="${DURATION:-8s}"
bodies="$(mktemp -d)"
/usr/bin/python3 "$here/make_bodies.py" "$bodies" >/dev/null
a="$(docker run -d --rm "$1" serve)"
b="$(docker run -d --rm "$2" serve)"
trap 'docker rm -f "$a" "$b" >/dev/null 2>&1; rm -rf "$bodies"' EXIT
address() { docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$1"; }
declare -A url=([A]="http://$(address "$a"):8080" [B]="http://$(address "$b"):8080")
for side in A B; do
  until curl -sf "${url[$side]}/ping" >/dev/null; do sleep 0.2; done
  echo "$side: kernels $(await_kernels "${url[$side]}")"
  BODY_FILE="$bodies/b4.json" wrk -t2 -c16 -d4s -s "$here/post.lua" "${url[$side]}/invocations" >/dev/null
done
rounds "$rounds" "$duration" "$bodies" "$here/post.lua" "A=${url[A]}/invocations" "B=${url[B]}/invocations"
