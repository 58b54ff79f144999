#!/usr/bin/env bash
# What the request path leaves to the collector: an image under c=1 then c=8 (B=1 body, 15 s each, after a 5 s
# warm-up) with -Xlog:gc, and for each load the young collections during it, the bytes they freed per request, and
# their pauses.
#
#   bench/young-gc.sh IMAGE [JAVA_OPTS]      e.g. bench/young-gc.sh lstm-two-inputs:1.0.0 -Xmn120m
#
# Prints one line per load: req/s, wrk's p99, young collections, KB freed per request, median and longest pause.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/kernels.sh
source "$here/lib/kernels.sh"
# shellcheck source=lib/bridge.sh
source "$here/lib/bridge.sh"
image="$1"
options="${2:-}"
work="$(mktemp -d)"
/usr/bin/python3 "$here/make_bodies.py" "$work" >/dev/null
container="$(docker run -d -e JAVA_OPTS="-Xlog:gc:file=/tmp/gc.log $options" "$image" serve)"
trap 'docker rm -f "$container" >/dev/null 2>&1; rm -rf "$work"' EXIT
url="$(bridge_url "$container")"
await_serving "$url" >/dev/null
BODY_FILE="$work/b1.json" wrk -t1 -c1 -d5s -s "$here/post.lua" "$url/invocations" >/dev/null
for connections in 1 8; do
  docker cp -q "$container:/tmp/gc.log" "$work/before.log"
  out="$(BODY_FILE="$work/b1.json" wrk "-t$(( connections > 1 ? 2 : 1 ))" "-c$connections" -d15s --latency \
    -s "$here/post.lua" "$url/invocations")"
  docker cp -q "$container:/tmp/gc.log" "$work/after.log"
  /usr/bin/python3 - "$image $options" "$connections" "$out" "$work" <<'PY'
import re, statistics, sys
label, connections, out, work = sys.argv[1:]
before = open(work + "/before.log").read().splitlines()
after = open(work + "/after.log").read().splitlines()[len(before):]
pauses = [(int(m[1]) - int(m[2]), float(m[3])) for line in after
          for m in [re.search(r"Pause Young .*?(\d+)M->(\d+)M\(\d+M\) ([\d.]+)ms", line)] if m]
requests = int(re.search(r"(\d+) requests in", out)[1])
rate = re.search(r"Requests/sec:\s+([\d.]+)", out)[1]
p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)[1]
freed = sum(p[0] for p in pauses) * 1024 / requests
times = [p[1] for p in pauses] or [0]
print(f"{label:40s} c={connections:<2s} {float(rate):8.0f} req/s  p99 {p99:>7s}  young collections {len(pauses):3d}"
      f"  {freed:5.1f} KB/request  pause median {statistics.median(times):.2f} max {max(times):.2f} ms")
PY
done
