#!/usr/bin/env bash
# Where a serving image's CPU goes under load: user and system time of each of its threads during one wrk run,
# from /proc (utime, stime), with the machine's busy share and the requests per forward pass (/metrics).
#
#   bench/threads.sh IMAGE [BODY] [CONNECTIONS]      BODY b1 or b4 (bench/make_bodies.py), default b4 at c=32
#
# Environment: DOCKER_ARGS (extra `docker run` arguments, e.g. "-e MODEL_CONTRACT_BATCH_DELAY_MICROS=100"),
# DURATION (seconds, default 15). Divide a thread's share of a core by req/s for its CPU time per request.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/kernels.sh
source "$here/lib/kernels.sh"
# shellcheck source=lib/bridge.sh
source "$here/lib/bridge.sh"
image="$1"; body="${2:-b4}"; connections="${3:-32}"; duration="${DURATION:-15}"
bodies="$(mktemp -d)"
/usr/bin/python3 "$here/make_bodies.py" "$bodies" >/dev/null
# shellcheck disable=SC2086
container="$(docker run -d --rm ${DOCKER_ARGS:-} "$image" serve)"
trap 'docker rm -f "$container" >/dev/null 2>&1; rm -rf "$bodies"' EXIT
url="$(bridge_url "$container")"
echo "kernels: $(await_serving "$url")"
load() { BODY_FILE="$bodies/$body.json" wrk -t2 "-c$connections" "-d$1s" --latency -s "$here/post.lua" "$url/invocations"; }
load 5 >/dev/null
pid="$(docker inspect -f '{{.State.Pid}}' "$container")"
ticks() {
  for task in /proc/"$pid"/task/*; do
    echo "$(tr ' ' _ < "$task/comm") $(awk '{print $14, $15}' "$task/stat")"
  done | awk '{u[$1] += $2; s[$1] += $3} END {for (name in u) print name, u[name], s[name]}' | sort
}
ticks > "$bodies/before"; head -n 1 /proc/stat > "$bodies/cpu-before"
load "$duration" > "$bodies/wrk"
ticks > "$bodies/after"; head -n 1 /proc/stat > "$bodies/cpu-after"
grep -E 'Requests/sec|^ +(50|99)%' "$bodies/wrk"
hz="$(getconf CLK_TCK)"
join "$bodies/before" "$bodies/after" | awk -v seconds="$duration" -v hz="$hz" '{
  u = ($4 - $2) / hz / seconds * 100; s = ($5 - $3) / hz / seconds * 100
  if (u + s >= 1) printf "  %-18s user %5.1f %%  system %5.1f %% of a core\n", $1, u, s }'
paste "$bodies/cpu-before" "$bodies/cpu-after" | awk '{
  busy = ($13 + $14 + $15 + $18 + $19) - ($2 + $3 + $4 + $7 + $8); idle = ($16 + $17) - ($5 + $6)
  printf "  machine busy %.0f %%\n", 100 * busy / (busy + idle) }'
curl -s "$url/metrics" | awk '/^modelcontract_batch_requests_sum/ {sum = $2} /^modelcontract_batch_requests_count/ {count = $2}
  END {if (count > 0) printf "  requests per forward pass: %.2f (since start)\n", sum / count}'
