#!/usr/bin/env bash
# `docker run IMAGE serve` -> first 200 on GET /ping (at the container's bridge address), with the kernel check
# (MODEL_CONTRACT_KERNELS=checked, the default: the image serves capped at once and checks the uncapped kernels in the
# background) and without it (capped), alternating, for each image. For the checked starts also: when the check
# settled (/metrics: modelcontract_cpu_kernels_info no longer "checking"; where it kept the uncapped kernels, once the
# process they restarted in took the port over) and the slowest request meanwhile — GET /ping and GET /metrics sent in turn without pause, each
# on a new connection, from the first 200 on: where the port is handed over, the pause a client sees.
#
#   bench/start.sh [IMAGE ...]     default: every example's image that exists locally
#
# Environment: RUNS=5 (starts per image and mode).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/kernels.sh
source "$here/lib/kernels.sh"
# shellcheck source=lib/bridge.sh
source "$here/lib/bridge.sh"
runs="${RUNS:-5}"
images=("$@")
if (( ${#images[@]} == 0 )); then
  for example in "$here"/../examples/*/; do
    image="$(basename "$example"):1.0.0"
    if docker image inspect "$image" >/dev/null 2>&1; then images+=("$image"); fi
  done
fi

get() {  # URL FILE: the body into FILE; prints "STATUS MILLISECONDS" (000 where no answer came)
  curl -s -o "$2" --max-time 30 -w '%{http_code} %{time_total}\n' "$1" \
    | awk '{printf "%s %d\n", $1, $2 * 1000}' || echo "000 0"
}

start() {  # IMAGE MODE: prints "PING_MS SETTLED_MS SLOWEST_MS FAILED BASIS/ISA"
  local container url started ping settled slowest=0 failed=0 kernels="" code ms path body
  body="$(mktemp)"
  container="$(docker run -d -e MODEL_CONTRACT_KERNELS="$2" "$1" serve)"
  url="$(bridge_url "$container")"
  started=$(date +%s%N)
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/ping" || true)" == 200 ]]; do sleep 0.01; done
  ping=$(( ($(date +%s%N) - started) / 1000000 ))
  while [[ -z "$kernels" || "$kernels" == checking/* ]]; do
    # either request may be the one that waits through the hand-over
    for path in /ping /metrics; do
      read -r code ms < <(get "$url$path" "$body")
      if [[ "$code" != 200 ]]; then failed=$(( failed + 1 )); fi
      if (( ms > slowest )); then slowest=$ms; fi
    done
    kernels="$(kernels_in < "$body")"
    if (( ($(date +%s%N) - started) > 120000000000 )); then kernels="unsettled"; fi
  done
  settled=$(( ($(date +%s%N) - started) / 1000000 ))
  docker rm -f "$container" >/dev/null
  rm -f "$body"
  echo "$ping $settled $slowest $failed $kernels"
}

summary() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {printf "%d ms (%d–%d)", a[int((NR + 1) / 2)], a[1], a[NR]}'; }

echo "== $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
echo "| image | kernels (checked) | /ping 200, checked: median (min–max) | capped: median (min–max) | checked: settled | slowest request meanwhile | requests failed |"
echo "|---|---|---:|---:|---:|---:|---:|"
for image in "${images[@]}"; do
  checked=(); capped=(); settled=(); slowest=(); failures=0; basis=""
  for (( run = 0; run < runs; run++ )); do
    for mode in checked capped; do
      read -r ping settle slow failed kernels < <(start "$image" "$mode")
      if [[ "$mode" == checked ]]; then
        checked+=("$ping"); settled+=("$settle"); slowest+=("$slow"); failures=$(( failures + failed )); basis="$kernels"
      else
        capped+=("$ping"); failures=$(( failures + failed ))
      fi
    done
  done
  echo "| $image | $basis | $(summary "${checked[@]}") | $(summary "${capped[@]}") | $(summary "${settled[@]}") | $(summary "${slowest[@]}") | $failures |"
done
