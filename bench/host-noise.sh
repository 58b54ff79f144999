#!/usr/bin/env bash
# What this host's memory monitor adds to the c=1 tail: a serving image under GET /ping and POST /invocations (B=1 and
# B=4 bodies) at c=1, ROUNDS rounds with the kernel's DAMON monitors as the host left them, then ROUNDS rounds with
# them stopped. Some VMs (this one's kernel is a Firecracker guest) run a DAMON "pageout" scheme (kdamond) that samples
# pages' accessed bits twice a second and reclaims cold page cache; its stalls, not the server, set /ping's p99 there.
# The phases are not alternated: a monitor started again begins with fresh regions and costs little for a while, so
# "on" after "off" is not the host as found. Each run also gives the CPU time the kdamond threads took during it.
#
#   sudo bench/host-noise.sh [IMAGE]      default IMAGE: lstm-two-inputs:1.0.0
#
# Needs root (it writes /sys/kernel/mm/damon/admin/kdamonds/*/state) and starts every monitor it stopped again on
# exit. ROUNDS (3), DURATION (10s). Prints one line per run: round, monitors, target, req/s, wrk's p50, p90, p99,
# kdamond's CPU ms; then per phase the medians over rounds, the goal's ratio /invocations p99 / /ping p99 (issue 24:
# <= 2), /invocations p50 / /ping p99 (R: meeting the goal needs a p99/p50 of at most 2/R), and each one's p99/p50.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/kernels.sh
source "$here/lib/kernels.sh"
# shellcheck source=lib/bridge.sh
source "$here/lib/bridge.sh"
image="${1:-lstm-two-inputs:1.0.0}"
rounds="${ROUNDS:-3}"
duration="${DURATION:-10s}"

monitors=()
for state in /sys/kernel/mm/damon/admin/kdamonds/*/state; do
  if [ -f "$state" ] && [ "$(cat "$state")" = on ]; then monitors+=("$state"); fi
done
if [ "${#monitors[@]}" -eq 0 ]; then echo "no running DAMON monitor on this host: nothing to compare" >&2; exit 2; fi
kdamond_ticks() { # CPU clock ticks (1/100 s) of the monitors' threads so far
  local state total=0 pid
  for state in "${monitors[@]}"; do
    pid="$(cat "${state%/state}/pid")"
    if [ "$pid" -gt 0 ] 2>/dev/null; then total=$(( total + $(awk '{print $14 + $15}' "/proc/$pid/stat") )); fi
  done
  echo "$total"
}
set_monitors() { # the kernel refuses "on" for a running monitor
  local state
  for state in "${monitors[@]}"; do if [ "$(cat "$state")" != "$1" ]; then echo "$1" > "$state"; fi; done
}

work="$(mktemp -d)"
/usr/bin/python3 "$here/make_bodies.py" "$work" >/dev/null
container="$(docker run -d "$image" serve)"
trap 'docker rm -f "$container" >/dev/null 2>&1; rm -rf "$work"; set_monitors on' EXIT
url="$(bridge_url "$container")"
echo "$image: kernels $(await_serving "$url"), DAMON monitors: ${monitors[*]}"
for load in "2 16 b4" "2 8 b1" "1 1 b4" "1 1 b1"; do
  read -r threads connections body <<< "$load"
  BODY_FILE="$work/$body.json" wrk "-t$threads" "-c$connections" -d10s -s "$here/post.lua" "$url/invocations" >/dev/null
done
wrk -t1 -c1 -d5s "$url/ping" >/dev/null

mkdir "$work/runs"
run() { # ROUND STATE TARGET, then wrk's arguments after the load's; keeps wrk's output and kdamond's CPU ms in runs/
  local label="$1 $2 $3" file="$work/runs/$1-$2-$3" out ticks
  shift 3
  ticks="$(kdamond_ticks)"
  out="$(wrk -t1 -c1 "-d$duration" --latency "$@")"
  ticks=$(( $(kdamond_ticks) - ticks ))
  if grep -qE 'Non-2xx|Socket errors' <<< "$out"; then echo "errors for $label:"; echo "$out"; exit 1; fi
  echo "$out" > "$file.txt"
  echo "$(( ticks * 10 ))" > "$file.kdamond"
  printf '%s %s %s %s %s %sms\n' "$label" "$(awk '/Requests\/sec/ {print $2}' <<< "$out")" \
    "$(awk '$1 == "50%" {print $2}' <<< "$out")" "$(awk '$1 == "90%" {print $2}' <<< "$out")" \
    "$(awk '$1 == "99%" {print $2}' <<< "$out")" "$(( ticks * 10 ))"
}
for state in on off; do
  set_monitors "$state"
  for round in $(seq "$rounds"); do
    run "$round" "$state" ping "$url/ping"
    for body in b1 b4; do
      BODY_FILE="$work/$body.json" run "$round" "$state" "$body" -s "$here/post.lua" "$url/invocations"
    done
  done
done
set_monitors on
/usr/bin/python3 - "$here" "$work/runs" <<'PY'
import pathlib, statistics, sys
sys.path.insert(0, sys.argv[1])
from report import parse  # wrk's output, latencies in ms
runs = {}
for path in pathlib.Path(sys.argv[2]).glob("*.txt"):
    _, state, target = path.stem.split("-")
    wrk = parse(path.read_text())
    kdamond = int(path.with_suffix(".kdamond").read_text())
    runs.setdefault((state, target), []).append(
        (wrk["rps"], *(wrk[p] / 1e3 for p in ("p50", "p90", "p99")), kdamond / 1e3))
print("\nmedians over rounds (latencies in µs):")
for state in ("on", "off"):
    median = {target: [statistics.median(column) for column in zip(*runs[(state, target)])]
              for target in ("ping", "b1", "b4")}
    for target, (rate, p50, p90, p99, kdamond) in median.items():
        print(f"  DAMON {state:3s} {target:4s} {rate:8.0f} req/s  p50 {p50 * 1e6:6.0f}  p90 {p90 * 1e6:6.0f}"
              f"  p99 {p99 * 1e6:6.0f}  kdamond {kdamond * 1e3:4.0f} ms")
    ping = median["ping"][3]
    for target in ("b1", "b4"):
        print(f"  DAMON {state:3s} {target}: p99 / /ping p99 {median[target][3] / ping:.2f}x,"
              f" p50 / /ping p99 {median[target][1] / ping:.2f}x; p99/p50 {median[target][3] / median[target][1]:.2f}"
              f" against /ping's {ping / median['ping'][1]:.2f}")
PY
