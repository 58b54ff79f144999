#!/usr/bin/env bash
# Where each of a serving image's threads spends its CPU, native code and system calls included (JFR's own samples
# skip a thread while it runs native code, so libtorch, the socket writes and the scheduler calls go missing there):
# async-profiler (tools.profiler:async-profiler from Maven Central, fetched into the local Maven repository) loaded
# into the image's JVM, sampling on CPU time (itimer) into a JFR file; the samples after the warm-up are read back
# with the JDK's `jfr print` and each thread's share and its top frames by self time are printed.
#
#   bench/cpu-profile.sh IMAGE [BODY] [CONNECTIONS]   BODY b1 or b4 (bench/make_bodies.py), default b4 at c=8
#
# Environment: WARMUP (s of load before the samples counted, default 30: the JIT compiles for 20-30 s), DURATION (s
# counted, default 20), INTERVAL (CPU time between samples, default 5ms), TOP (frames per thread, default 20),
# PROFILE_DIR (where the JFR file stays, default a new temporary folder).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/kernels.sh
source "$here/lib/kernels.sh"
# shellcheck source=lib/bridge.sh
source "$here/lib/bridge.sh"
image="$1"; body="${2:-b4}"; connections="${3:-8}"
warmup="${WARMUP:-30}"; duration="${DURATION:-20}"
version=4.0
jar="$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version-linux-x64.jar"
if [[ ! -f "$jar" ]]; then
  mvn -q dependency:get "-Dartifact=tools.profiler:async-profiler:$version:jar:linux-x64" -Dtransitive=false
fi
out="${PROFILE_DIR:-$(mktemp -d)}"
mkdir -p "$out/agent"
unzip -o -q -j "$jar" 'linux-x64/libasyncProfiler.so' -d "$out/agent"
chmod 777 "$out"  # the image's user writes the profile there
bodies="$(mktemp -d)"
/usr/bin/python3 "$here/make_bodies.py" "$bodies" >/dev/null
agent="/agent/libasyncProfiler.so=start,event=itimer,interval=${INTERVAL:-5ms},jfr,file=/profile/cpu.jfr"
container="$(docker run -d -v "$out/agent:/agent:ro" -v "$out:/profile" -e JAVA_OPTS="-agentpath:$agent" \
  "$image" serve)"
trap 'docker rm -f "$container" >/dev/null 2>&1; rm -rf "$bodies"' EXIT
url="$(bridge_url "$container")"
echo "kernels $(await_serving "$url")"
threads=$(( connections > 1 ? 2 : 1 ))
BODY_FILE="$bodies/$body.json" wrk "-t$threads" "-c$connections" "-d${warmup}s" -s "$here/post.lua" \
  "$url/invocations" >/dev/null
counted_from="$(date -u +%s.%N)"
BODY_FILE="$bodies/$body.json" wrk "-t$threads" "-c$connections" "-d${duration}s" --latency -s "$here/post.lua" \
  "$url/invocations" | grep -E 'Requests/sec|^ +99%'
counted_to="$(date -u +%s.%N)"
docker stop -t 30 "$container" >/dev/null  # the profile is written as the JVM exits
echo "profile: $out/cpu.jfr ($image, $body at c=$connections, samples from $counted_from to $counted_to)"
jfr print --json --events jdk.ExecutionSample "$out/cpu.jfr" >"$out/samples.json"
/usr/bin/python3 - "$out/samples.json" "$counted_from" "$counted_to" "${TOP:-20}" <<'PY'
import collections, datetime, json, sys
samples, start, end, top = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
threads = collections.Counter()
frames = collections.defaultdict(collections.Counter)
for event in json.load(open(samples))["recording"]["events"]:
    values = event["values"]
    at = datetime.datetime.fromisoformat(values["startTime"].replace("Z", "+00:00")).timestamp()
    if not start <= at <= end or not values.get("stackTrace"):
        continue
    thread = values["sampledThread"]
    name = (thread.get("javaName") or thread.get("osName") or "?") if thread else "?"
    method = values["stackTrace"]["frames"][0]["method"]
    threads[name] += 1
    frames[name][(method["type"]["name"] + "." if method["type"]["name"] else "") + method["name"]] += 1
total = sum(threads.values())
print(f"{total} samples")
for name, count in threads.most_common():
    if count < total / 100:
        break
    print(f"\n{name}: {100 * count / total:.1f} % of the samples; its top frames by self time:")
    for frame, n in frames[name].most_common(top):
        print(f"  {100 * n / count:5.1f} %  {frame}")
PY
