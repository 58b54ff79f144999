#!/usr/bin/env bash
# The serving image of a model big enough to be bound by its forward pass (examples/large-lstm: 2 LSTM layers x 256
# units, T = 100 here) against that forward pass alone, in one run: does the server keep the model busy?
#
# What it measures, for each kernel choice (MODEL_CONTRACT_KERNELS=capped: oneDNN at AVX2; checked, the default:
# the kernels the image's start-up check keeps on this host, logged and on /metrics):
#   server    samples/s of POST /invocations at c=32 (wrk, one sequence of T=100 per request, at the container's
#             bridge address), and the batch size the server formed (requests per forward pass, from /metrics'
#             modelcontract_batch_requests over the measured run);
#   forward   samples/s of the TorchScript forward pass alone at that batch size, on one libtorch thread with the
#             same cap (JMH LargeModelBenchmark.forward, after the containers stopped);
# and the ratio server / forward (the goal: >= 0.85). wrk, the server and JMH share this machine's cores.
#
#   bench/large-model.sh
#
# Environment (all optional): IMAGE=large-lstm:1.0.0, DURATION=20s, WARMUP=5s, CONNECTIONS=32,
# RESULTS_DIR=/tmp/bench-large. Needs the image (mvn package in examples/large-lstm), wrk, curl, python3.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/kernels.sh
source "$here/lib/kernels.sh"
# shellcheck source=lib/bridge.sh
source "$here/lib/bridge.sh"
root="$(cd "$here/.." && pwd)"
image="${IMAGE:-large-lstm:1.0.0}"
duration="${DURATION:-20s}"
warmup="${WARMUP:-5s}"
connections="${CONNECTIONS:-32}"
results="${RESULTS_DIR:-/tmp/bench-large}"
mkdir -p "$results"
rm -f "$results"/*.txt "$results"/*.json
container=""
cleanup() { if [[ -n "$container" ]]; then docker rm -f "$container" >/dev/null 2>&1 || true; fi; }
trap cleanup EXIT

# One turbine, 100 minutes: the first sequence of the golden batched pair, without the batch axis.
python3 - "$root/examples/large-lstm/golden/batched.json" "$results/body.json" <<'PY'
import json, sys
request = json.load(open(sys.argv[1]))["request"]
json.dump({name: value[0] for name, value in request.items()}, open(sys.argv[2], "w"))
PY

metric() {  # URL NAME: the value of an unlabelled series
  curl -s "$1/metrics" | awk -v name="$2" '$1 == name {print $2}'
}

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
declare -A samples batch isa
for mode in capped checked; do
  container="$(docker run -d -e MODEL_CONTRACT_KERNELS="$mode" "$image" serve)"
  url="$(bridge_url "$container")"
  started=$(date +%s%N)
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/ping" || true)" == 200 ]]; do
    if ! docker inspect -f '{{.State.Running}}' "$container" | grep -q true; then docker logs "$container"; exit 1; fi
    sleep 0.05
  done
  echo "== $mode: /ping 200 after $(( ($(date +%s%N) - started) / 1000000 )) ms"
  await_kernels "$url" >/dev/null
  kernels="$(curl -s "$url/metrics" | grep '^modelcontract_cpu_kernels_info')"
  isa[$mode]="$(sed -E 's/.*onednn_max_isa="([A-Z0-9_]+)".*/\1/' <<< "$kernels")"
  echo "== $mode: kernels settled after $(( ($(date +%s%N) - started) / 1000000 )) ms; $kernels"
  docker logs "$container" 2>&1 | grep -E "oneDNN kernels (up to|capped at) .*(checked on|differed|MODEL_CONTRACT)" | sed 's/^/   /' | cut -c1-300 || true
  BODY_FILE="$results/body.json" wrk -t2 "-c$connections" "-d$warmup" -s "$here/post.lua" "$url/invocations" >/dev/null
  sum_before="$(metric "$url" modelcontract_batch_requests_sum)"; count_before="$(metric "$url" modelcontract_batch_requests_count)"
  BODY_FILE="$results/body.json" wrk -t2 "-c$connections" "-d$duration" --latency -s "$here/post.lua" "$url/invocations" \
    >"$results/wrk-$mode.txt"
  sum_after="$(metric "$url" modelcontract_batch_requests_sum)"; count_after="$(metric "$url" modelcontract_batch_requests_count)"
  samples[$mode]="$(awk '/^Requests\/sec:/ {print $2}' "$results/wrk-$mode.txt")"
  batch[$mode]="$(python3 -c "print(round(($sum_after - $sum_before) / ($count_after - $count_before), 1))")"
  if grep -q "Non-2xx\|Socket errors" "$results/wrk-$mode.txt"; then grep "Non-2xx\|Socket errors" "$results/wrk-$mode.txt"; exit 1; fi
  echo "   c=$connections: ${samples[$mode]} samples/s, ${batch[$mode]} requests per forward pass, p50 $(awk '$1 == "50%" {print $2}' "$results/wrk-$mode.txt"), p99 $(awk '$1 == "99%" {print $2}' "$results/wrk-$mode.txt")"
  docker rm -f "$container" >/dev/null
  container=""
done

rows="$(python3 -c "print(max(1, round(${batch[capped]})), max(1, round(${batch[checked]})))")"
read -r rows_capped rows_checked <<< "$rows"
echo "== forward pass alone (JMH LargeModelBenchmark.forward, T=100, one libtorch thread)"
"$here/jmh.sh" 'LargeModelBenchmark.forward' -f 1 -wi 3 -w 2s -i 5 -r 2s -p steps=100 \
  -p "batch=$(printf '%s\n' "$rows_capped" "$rows_checked" | sort -un | paste -sd, -)" -p onednnMaxIsa=AVX2,ALL \
  -rf json -rff "$results/forward.json" >"$results/jmh.txt"
python3 - "$results/forward.json" "${isa[capped]}" "$rows_capped" "${samples[capped]}" "${isa[checked]}" \
  "$rows_checked" "${samples[checked]}" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))
def forward(isa, rows):
    for run in runs:
        if run["params"]["onednnMaxIsa"] == isa and int(run["params"]["batch"]) == rows:
            ms = run["primaryMetric"]["score"] / 1e3 if run["primaryMetric"]["scoreUnit"] == "us/op" else run["primaryMetric"]["score"]
            return rows / ms * 1e3, ms
    raise SystemExit(f"no JMH result for isa={isa} batch={rows}")
print("| kernels | oneDNN cap | server samples/s (c=32) | batch formed | forward alone at that batch | forward samples/s | server / forward |")
print("|---|---|---:|---:|---:|---:|---:|")
for label, isa, rows, served in (("capped", sys.argv[2], int(sys.argv[3]), float(sys.argv[4])),
                                 ("checked (default)", sys.argv[5], int(sys.argv[6]), float(sys.argv[7]))):
    per_second, ms = forward("ALL" if isa == "ALL" else "AVX2", rows)
    print(f"| {label} | {isa} | {served:,.0f} | {rows} | {ms:.2f} ms | {per_second:,.0f} | {served / per_second:.2f} |")
PY
