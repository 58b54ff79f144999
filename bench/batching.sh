#!/usr/bin/env bash
# How the serving image's dynamic batching settings play out under load: the default this image ships with is
# the one that measures best here. For each setting, start the image, warm it up, then run wrk at c=1/8/32
# with the B=1 body (one sequence of 20 steps) against the container's bridge address; print req/s, p50, p99.
#
#   bench/batching.sh                      after `bin/demo` or `bin/test` built lstm-two-inputs:1.0.0
#
# Environment: IMAGE (lstm-two-inputs:1.0.0), DURATION (8s), LOADS ("1 8 32"), PYTHON (/usr/bin/python3),
# SETTINGS: space-separated name=ENV,ENV... (default below; ENV as KEY:VALUE): the image's defaults, then one
# setting changed at a time. On a 2-core machine wrk shares the cores: run twice before trusting a difference.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/kernels.sh
source "$here/lib/kernels.sh"
# shellcheck source=lib/bridge.sh
source "$here/lib/bridge.sh"
image="${IMAGE:-lstm-two-inputs:1.0.0}"
duration="${DURATION:-8s}"
read -r -a loads <<< "${LOADS:-1 8 32}"
python="${PYTHON:-/usr/bin/python3}"
settings="${SETTINGS:-default=MODEL_CONTRACT_BATCH_DELAY_MICROS:0 batching-off=MODEL_CONTRACT_BATCH_MAX_ROWS:1 two-inference-threads=SAGEMAKER_MODEL_SERVER_WORKERS:2 delay-200us=MODEL_CONTRACT_BATCH_DELAY_MICROS:200 no-spin=MODEL_CONTRACT_SPIN_MICROS:0}"

bodies="$(mktemp -d)"
"$python" "$here/make_bodies.py" "$bodies" >/dev/null
container=""
trap '[[ -n "$container" ]] && docker rm -f "$container" >/dev/null 2>&1; rm -rf "$bodies"' EXIT

printf '| setting | load | req/s | p50 | p99 | mean requests per forward pass |\n|---|---|---:|---:|---:|---:|\n'
for setting in $settings; do
  name="${setting%%=*}"
  env_args=()
  IFS=',' read -r -a pairs <<< "${setting#*=}"
  for pair in "${pairs[@]}"; do env_args+=(-e "${pair%%:*}=${pair#*:}"); done
  container="$(docker run -d --rm "${env_args[@]}" "$image" serve)"
  url="$(bridge_url "$container")"
  await_serving "$url" >/dev/null
  BODY_FILE="$bodies/b1.json" wrk -t2 -c8 -d3s -s "$here/post.lua" "$url/invocations" >/dev/null
  for c in "${loads[@]}"; do
    before="$(curl -s "$url/metrics" | awk '/^modelcontract_batch_requests_(sum|count)/ {print $2}' | paste -sd' ')"
    out="$(BODY_FILE="$bodies/b1.json" wrk "-t$(( c < 2 ? 1 : 2 ))" "-c$c" "-d$duration" --latency \
      -s "$here/post.lua" "$url/invocations")"
    after="$(curl -s "$url/metrics" | awk '/^modelcontract_batch_requests_(sum|count)/ {print $2}' | paste -sd' ')"
    if grep -qE 'Non-2xx|Socket errors' <<< "$out"; then echo "errors in $name c=$c:"; echo "$out"; exit 1; fi
    rps="$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<< "$out")"
    p50="$(awk '$1 == "50%" {print $2}' <<< "$out")"
    p99="$(awk '$1 == "99%" {print $2}' <<< "$out")"
    per_pass="$(awk -v b="$before" -v a="$after" 'BEGIN {split(b, x, " "); split(a, y, " ");
      printf "%.2f", (y[2] - x[2]) / (y[1] - x[1])}')"
    printf '| %s | c=%s | %s | %s | %s | %s |\n' "$name" "$c" "$rps" "$p50" "$p99" "$per_pass"
  done
  docker rm -f "$container" >/dev/null
  container=""
done
