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
runs="${RUNS:-5}"
images=("$@")
if (( ${#images[@]} == 0 )); then
  for example in "$here"/../examples/*/; do
    image="$(basename "$example"):1.0.0"
    if docker image inspect "$image" >/dev/null 2>&1; then images+=("$image"); fi
  done
fi

start() {  # IMAGE MODE: prints "PING_MS SETTLED_MS SLOWEST_PING_MS FAILED_PINGS BASIS/ISA"
  local container url started ping settled slowest=0 failed=0 kernels code seconds
  container="$(docker run -d -e MODEL_CONTRACT_KERNELS="$2" "$1" serve)"
  url="http://$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$container"):8080"
  started=$(date +%s%N)
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/ping" || true)" == 200 ]]; do sleep 0.01; done
  ping=$(( ($(date +%s%N) - started) / 1000000 ))
  while :; do
    read -r code seconds < <(curl -s -o /dev/null --max-time 30 -w '%{http_code} %{time_total}\n' "$url/ping" || echo "000 0")
    if [[ "$code" != 200 ]]; then failed=$(( failed + 1 )); fi
    slowest="$(awk -v a="$slowest" -v b="$seconds" 'BEGIN {print (b * 1000 > a) ? int(b * 1000) : a}')"
    local metrics_started=$(date +%s%N)
    kernels="$(curl -s --max-time 30 "$url/metrics" \
      | sed -nE 's/^modelcontract_cpu_kernels_info\{basis="([a-z-]+)",onednn_max_isa="([A-Z0-9_]+)"\}.*/\1\/\2/p' || true)"
    # GET /metrics may be the request that waits through the hand-over
    if [[ -z "$kernels" ]]; then failed=$(( failed + 1 )); fi
    slowest=$(( ($(date +%s%N) - metrics_started) / 1000000 > slowest ? ($(date +%s%N) - metrics_started) / 1000000 : slowest ))
    if [[ -n "$kernels" && "$kernels" != checking/* ]]; then break; fi
    if (( ($(date +%s%N) - started) > 120000000000 )); then kernels="unsettled"; break; fi
  done
  settled=$(( ($(date +%s%N) - started) / 1000000 ))
  docker rm -f "$container" >/dev/null
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
