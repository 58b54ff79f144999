#!/usr/bin/env bash
# Serving image vs. the hand-written Python handler it replaces, under the same load, in one run.
#
# What it measures: throughput (req/s) and latency (p50, p99) of POST /invocations for the example
# examples/lstm-two-inputs, served two ways side by side on this machine:
#   python  bench/python-handler/app.py: the seed-style Flask handler (json -> numpy -> standardize ->
#           concatenate -> TorchScript -> de-standardize -> json) under `gunicorn -w 2`, torch 1.13 from
#           Debian with torch.set_num_threads(1), on 127.0.0.1;
#   image   the Model Contract serving image, `docker run IMAGE serve`, reached at the container's bridge address
#           (VIA=bridge, the default) or through a port published on 127.0.0.1 (VIA=proxy: every byte then also
#           passes through dockerd's userland proxy process, a cost of this machine's Docker setup, not the image).
#
# How: start both and wait for GET /ping 200; check that both give the golden responses
# (examples/lstm-two-inputs/golden/*.json, 1e-5 relative; the Python handler must pass) and agree on the
# benchmark bodies; write two bodies (B=1: one sequence of 20 steps; B=4: four sequences of 20 steps; values
# drawn like the golden files); warm both up; then for each load c=1, 8, 32 and each body run
# `wrk -t2 -cC -d$DURATION --latency -s bench/post.lua` (-t1 at c=1, as wrk needs threads <= connections)
# against one server and then the other, swapping which goes first each time, so both see the same machine
# state. wrk, both servers and anything else running share this machine's cores: numbers are relative, and
# the ratios are the result. Prints a markdown table (bench/report.py) with the ratios
# image req/s / python req/s, python p99 / image p99, python p50 / image p50 (> 1: the image is better),
# and fails if any response was non-2xx or a socket error happened.
#
# wrk's p99 is corrected for coordinated omission (wrk 4.x): a stall of the server counts as the latencies the
# requests it held back would have had, so it measures how much of the time the server stands still rather than how
# slow its requests are. With PER_REQUEST=1 (the default) every wrk run is followed by the same load from `hey`
# (closed loop, the same connections and body, -o csv: each request's own time, to 0.1 ms), and GET /ping is
# measured at c=1 on both servers the same two ways; the report then gives per-request p50/p99/p99.9 beside wrk's.
#
#   bench/compare.sh
#
# Environment (all optional):
#   IMAGE=lstm-two-inputs:1.0.0   serving image (must exist locally; nothing is pulled)
#   VIA=bridge                    bridge (container address) or proxy (published port, through docker-proxy)
#   DOCKER_RUN_ARGS=""            extra `docker run` arguments, e.g. "--cpus 1 -e JAVA_OPTS=-Xmx256m"
#   DURATION=10s                  wrk duration of each measured run (12 runs)
#   WARMUP=3s                     wrk duration of each warm-up run (one per server, body and load: 12 runs)
#   LOADS="1 8 32"                wrk connection counts
#   ROUNDS=1                      measured rounds after the one warm-up; each round runs every load against both
#                                 servers (the order of each pair swapped from round to round) and then GET /ping,
#                                 into RESULTS_DIR/round-N; the report then gives each round's ratios and their median
#   RESULTS_DIR=/tmp/bench-results   raw wrk outputs, server logs, bodies, table.md
#   PER_REQUEST=1                 also measure each request's own latency with hey (apt-get install -y hey)
#   PYTHON=/usr/bin/python3       interpreter with torch, numpy, flask and gunicorn (Debian packages:
#                                 apt-get install -y python3-torch python3-numpy python3-flask gunicorn wrk)
# Default run: about 6 minutes (ROUNDS=3: about 16). The large example (examples/large-lstm, 2 x 256 LSTM units) is
# measured by bench/large-model.sh instead, against its own forward pass: this handler is written for lstm-two-inputs,
# and Debian's torch 1.13 (generic BLAS, 7.7 ms per sample at every batch size) is no peer for a model that size.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/kernels.sh
source "$here/lib/kernels.sh"
# shellcheck source=lib/bridge.sh
source "$here/lib/bridge.sh"
root="$(cd "$here/.." && pwd)"
image="${IMAGE:-lstm-two-inputs:1.0.0}"
read -r -a docker_run_args <<< "${DOCKER_RUN_ARGS:-}"
duration="${DURATION:-10s}"
warmup="${WARMUP:-3s}"
read -r -a loads <<< "${LOADS:-1 8 32}"
results="${RESULTS_DIR:-/tmp/bench-results}"
python="${PYTHON:-/usr/bin/python3}"
golden="$root/examples/lstm-two-inputs/golden"

per_request="${PER_REQUEST:-1}"
rounds="${ROUNDS:-1}"
tools=(wrk curl docker)
if [[ "$per_request" == 1 ]]; then tools+=(hey); fi
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk curl docker.io hey)" >&2; exit 1; }
done
"$python" -c 'import torch, numpy, flask, gunicorn' 2>/dev/null \
  || { echo "$python lacks torch/numpy/flask/gunicorn (apt-get install -y python3-torch python3-numpy python3-flask gunicorn)" >&2; exit 1; }
docker image inspect "$image" >/dev/null 2>&1 || { echo "image $image not found in the local Docker engine" >&2; exit 1; }

mkdir -p "$results/bodies"
rm -rf "$results"/wrk-*.txt "$results"/hey-*.csv "$results"/ping-*.* "$results"/round-* "$results/table.md"
bodies="$(mktemp -d)"
container=""
gunicorn_pid=""
cleanup() {
  if [[ -n "$container" ]]; then docker stop -t 2 "$container" >/dev/null 2>&1 || true; fi
  if [[ -n "$gunicorn_pid" ]]; then kill "$gunicorn_pid" 2>/dev/null || true; wait "$gunicorn_pid" 2>/dev/null || true; fi
  rm -rf "$bodies"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_for_ping() {  # NAME URL: until GET /ping is 200, at most 120 s
  local started=$SECONDS
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$2/ping" || true)" == 200 ]]; do
    if (( SECONDS - started > 120 )); then echo "$1: no 200 on $2/ping after 120 s" >&2; return 1; fi
    sleep 0.1
  done
  echo "  $1 answers /ping at $2 (after $(( SECONDS - started )) s)"
}

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
echo "   image $image ($(docker image inspect --format '{{.Id}}' "$image" | cut -c1-19)), torch $("$python" -c 'import torch; print(torch.__version__)') for the handler"

echo "== starting both servers"
python_port="$(free_port)"
python_url="http://127.0.0.1:$python_port"
"$python" -m gunicorn -w 2 -b "127.0.0.1:$python_port" --chdir "$here/python-handler" app:app \
  >"$results/python-handler.log" 2>&1 &
gunicorn_pid=$!
image_port="$(free_port)"
container="$(docker run -d --rm -p "127.0.0.1:$image_port:8080" "${docker_run_args[@]}" "$image" serve)"
if [[ "${VIA:-bridge}" == proxy ]]; then
  image_url="http://127.0.0.1:$image_port"
else
  image_url="$(bridge_url "$container")"
fi
wait_for_ping python "$python_url"
wait_for_ping image "$image_url"
echo "  image kernels: $(await_kernels "$image_url")"

echo "== golden check: python handler vs examples/lstm-two-inputs/golden"
"$python" "$here/check.py" golden "$python_url" "$golden" 1e-5
echo "== golden check: image vs examples/lstm-two-inputs/golden (reported, not required here)"
"$python" "$here/check.py" golden "$image_url" "$golden" 1e-5 || echo "  (the image does not match the golden responses: see above)"

echo "== request bodies (in $bodies, copied to $results/bodies)"
"$python" "$here/make_bodies.py" "$bodies"
cp "$bodies"/*.json "$results/bodies/"
"$python" "$here/check.py" agree "$python_url" "$image_url" "$bodies/b1.json" "$bodies/b4.json"

run_wrk() {  # SERVER URL CONNECTIONS BODY DURATION OUT
  local threads=$(( $3 < 2 ? $3 : 2 ))
  BODY_FILE="$bodies/$4.json" wrk "-t$threads" "-c$3" "-d$5" --latency -s "$here/post.lua" "$2/invocations" >"$6"
}

run_hey() {  # URL CONNECTIONS BODY DURATION OUT: each request's own latency, as CSV
  hey -z "$4" -c "$2" -m POST -T application/json -D "$bodies/$3.json" -o csv "$1/invocations" >"$5"
}

# Each load gets its own warm-up: the image's first seconds at c=1 after a run at c=8 had a p99 twice its later one.
echo "== warm-up ($warmup per server, body and load)"
for c in "${loads[@]}"; do
  for body in b1 b4; do
    run_wrk python "$python_url" "$c" "$body" "$warmup" "$results/warmup-c$c-$body-python.txt"
    run_wrk image "$image_url" "$c" "$body" "$warmup" "$results/warmup-c$c-$body-image.txt"
  done
done

measure() {  # ROUND OUT_DIR: every load and body against both servers, then GET /ping at c=1
  local flip=$(( ($1 - 1) % 2 )) c body server url out order
  for c in "${loads[@]}"; do
    for body in b1 b4; do
      if (( flip )); then order=(image python); else order=(python image); fi
      flip=$(( 1 - flip ))
      for server in "${order[@]}"; do
        if [[ "$server" == python ]]; then url="$python_url"; else url="$image_url"; fi
        out="$2/wrk-c$c-$body-$server.txt"
        run_wrk "$server" "$url" "$c" "$body" "$duration" "$out"
        printf '  c=%-3s %s %-6s %10s req/s\n' "$c" "$body" "$server" "$(awk '/^Requests\/sec:/ {print $2}' "$out")"
        if [[ "$per_request" == 1 ]]; then
          run_hey "$url" "$c" "$body" "$duration" "$2/hey-c$c-$body-$server.csv"
        fi
      done
    done
  done
  if [[ "$per_request" == 1 ]]; then
    echo "  GET /ping at c=1 ($duration per run and tool)"
    for server in image python; do
      if [[ "$server" == python ]]; then url="$python_url"; else url="$image_url"; fi
      wrk -t1 -c1 "-d$duration" --latency "$url/ping" >"$2/ping-$server.txt"
      hey -z "$duration" -c 1 -o csv "$url/ping" >"$2/ping-$server.csv"
    done
  fi
}

echo "== measuring ($duration per run; wrk -t2 -cC, -t1 at c=1)"
if (( rounds == 1 )); then
  measure 1 "$results"
else
  for round in $(seq "$rounds"); do
    echo "== round $round of $rounds"
    mkdir -p "$results/round-$round"
    measure "$round" "$results/round-$round"
  done
fi

docker stats --no-stream --format '{{.MemUsage}}' "$container" >"$results/image-memory.txt" || true
docker logs "$container" >"$results/image.log" 2>&1 || true
echo "== after the runs: load average $(cut -d' ' -f1-3 /proc/loadavg); image container memory $(cat "$results/image-memory.txt")"
echo
echo "## Serving image vs. hand-written Python handler ($duration per run, $rounds round(s), $(nproc) cores shared by wrk"\
  "and both servers)"
echo
"$python" "$here/report.py" "$results"
echo
echo "raw wrk outputs, logs and the table: $results"
