#!/usr/bin/env bash
# `docker run IMAGE serve` -> first 200 on GET /ping (at the container's bridge address), with the start-up kernel
# check (MODEL_CONTRACT_KERNELS=checked, the default) and without it (capped), alternating, for each image; and the
# kernels each start ended on (/metrics: modelcontract_cpu_kernels_info).
#
#   bench/start.sh [IMAGE ...]     default: every example's image that exists locally
#
# Environment: RUNS=5 (starts per image and mode).
set -euo pipefail
runs="${RUNS:-5}"
images=("$@")
if (( ${#images[@]} == 0 )); then
  for example in "$(dirname "$0")"/../examples/*/; do
    image="$(basename "$example"):1.0.0"
    if docker image inspect "$image" >/dev/null 2>&1; then images+=("$image"); fi
  done
fi

start_ms() {  # IMAGE MODE: prints "MILLISECONDS BASIS/ISA"
  local container url started basis
  container="$(docker run -d -e MODEL_CONTRACT_KERNELS="$2" "$1" serve)"
  url="http://$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$container"):8080"
  started=$(date +%s%N)
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/ping" || true)" == 200 ]]; do sleep 0.01; done
  local elapsed=$(( ($(date +%s%N) - started) / 1000000 ))
  basis="$(curl -s "$url/metrics" | sed -nE 's/^modelcontract_cpu_kernels_info\{basis="([a-z-]+)",onednn_max_isa="([A-Z0-9_]+)"\}.*/\1\/\2/p')"
  docker rm -f "$container" >/dev/null
  echo "$elapsed $basis"
}

echo "== $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
echo "| image | kernels (checked) | /ping 200, checked: median (min–max) | capped: median (min–max) |"
echo "|---|---|---:|---:|"
for image in "${images[@]}"; do
  checked=(); capped=(); basis=""
  for (( run = 0; run < runs; run++ )); do
    for mode in checked capped; do
      read -r ms kernels < <(start_ms "$image" "$mode")
      if [[ "$mode" == checked ]]; then checked+=("$ms"); basis="$kernels"; else capped+=("$ms"); fi
    done
  done
  summary() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {printf "%d ms (%d–%d)", a[int((NR + 1) / 2)], a[1], a[NR]}'; }
  echo "| $image | $basis | $(summary "${checked[@]}") | $(summary "${capped[@]}") |"
done
