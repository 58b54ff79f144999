#!/usr/bin/env bash
# Measures the example's serving image: size, `docker run` → first 200 on /ping, and /invocations round-trips.
# Needs the image (bin/demo or bin/test builds it). Traffic stays on 127.0.0.1.
#
#   bench/serving.sh [IMAGE] [PORT]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/kernels.sh
source "$here/lib/kernels.sh"
image="${1:-lstm-two-inputs:1.0.0}"
port="${2:-18080}"
golden="$here/../examples/lstm-two-inputs/golden"

echo "image $image: $(( $(docker image inspect --format '{{.Size}}' "$image") / 1000000 )) MB"

startups=()
for run in 1 2 3 4 5; do
  started=$(date +%s%N)
  container=$(docker run -d --rm -p "127.0.0.1:$port:8080" "$image" serve)
  until curl -fs "http://127.0.0.1:$port/ping" >/dev/null 2>&1; do
    sleep 0.01
    if (( ($(date +%s%N) - started) > 120000000000 )); then docker logs "$container"; exit 1; fi
  done
  startups+=($(( ($(date +%s%N) - started) / 1000000 )))
  if (( run < 5 )); then docker stop -t 2 "$container" >/dev/null; fi
done
sorted=($(printf '%s\n' "${startups[@]}" | sort -n))
echo "docker run -> first 200 on /ping (5 runs): min ${sorted[0]} ms, median ${sorted[2]} ms, max ${sorted[4]} ms"

trap 'docker stop -t 2 "$container" >/dev/null 2>&1 || true' EXIT
echo "kernels: $(await_kernels "http://127.0.0.1:$port")"
for case in unbatched batched; do
  python3 "$here/roundtrip.py" "$port" "$golden/$case.json" 2000
done
docker stats --no-stream --format 'container memory after the runs: {{.MemUsage}}' "$container"
