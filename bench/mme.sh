#!/usr/bin/env bash
# A multi-model endpoint measured as SageMaker drives it: the examples' model.tar.gz archives extracted under
# /opt/ml/models/NAME/model, an image started with SAGEMAKER_MULTI_MODEL=true and reached at its bridge address.
#
#   bench/mme.sh [IMAGE]        IMAGE: a serving image (default lstm-two-inputs:1.0.0); the examples' archives must
#                               exist (`mvn package` in examples/*, or the it module's runs of them)
#
# Prints, in one run on this host:
#   1. load time per example: POST /models (archive on disk) -> its first golden request answered, the first load
#      (which starts the engine) and the mean of five reloads;
#   2. memory per loaded model: the server's RSS before and after loading COPIES (default 20) more copies of each
#      example under new names, divided by COPIES (an upper bound: the heap the loads touched counts too);
#   3. invoke throughput: wrk against /models/lstm-two-inputs/invoke on the multi-model container and against
#      /invocations on the same image started as a single-model endpoint, alternating, ROUNDS rounds (default 3) of
#      c=1 and c=8 with the B=1 body and c=32 with the B=4 body (bench/make_bodies.py), DURATION each (default 8s).
# Both containers run with --memory "${MEMORY:-2g}"; wrk and both servers share the host's cores.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/rounds.sh
source "$here/lib/rounds.sh"
# shellcheck source=lib/bridge.sh
source "$here/lib/bridge.sh"
root="$(dirname "$here")"
image="${1:-lstm-two-inputs:1.0.0}"
rounds="${ROUNDS:-3}"
duration="${DURATION:-8s}"
copies="${COPIES:-20}"
memory="${MEMORY:-2g}"
examples=(house-prices lstm-two-inputs token-classifier two-args-dict)
work="$(mktemp -d)"
containers=()
trap 'docker rm -f "${containers[@]}" >/dev/null 2>&1; rm -rf "$work"' EXIT

archive() {
  for candidate in "$root/examples/$1/target/model-contract/model.tar.gz" \
      "$root/it/target/it/examples/$1/target/model-contract/model.tar.gz"; do
    if [[ -f "$candidate" ]]; then echo "$candidate"; return; fi
  done
  echo "no model.tar.gz for $1: run mvn package in examples/$1" >&2
  exit 2
}
for example in "${examples[@]}"; do
  mkdir -p "$work/models/$example/model"
  tar -xzf "$(archive "$example")" -C "$work/models/$example/model"
  # the first golden pair's request, as the first answer a load must give
  /usr/bin/python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["request"]))' \
    "$(ls "$work/models/$example/model/golden/"*.json | head -1)" > "$work/$example.json"
done
chmod -R a+rX "$work"
/usr/bin/python3 "$here/make_bodies.py" "$work/bodies" >/dev/null

start() { # sets $started (not a subshell, so that the EXIT trap sees every container)
  started="$(docker run -d --rm --memory "$memory" "$@")"
  containers+=("$started")
}
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$(docker inspect -f '{{.State.Pid}}' "$1")/status"; }
now_ms() { date +%s%3N; }

start -e SAGEMAKER_MULTI_MODEL=true -v "$work/models:/opt/ml/models:ro" "$image" serve
mme="$started"
start "$image" serve
single="$started"
mme_url="$(bridge_url "$mme")"
single_url="$(bridge_url "$single")"
for url in "$mme_url" "$single_url"; do
  until curl -sf "$url/ping" >/dev/null; do sleep 0.2; done
done

load() { # NAME EXAMPLE -> prints the HTTP status
  curl -s -o /dev/null -w '%{http_code}' -X POST "$mme_url/models" -H 'Content-Type: application/json' \
    -d "{\"model_name\":\"$1\",\"url\":\"/opt/ml/models/$2/model\"}"
}
unload() { curl -sf -o /dev/null -X DELETE "$mme_url/models/$1"; }
first_answer() { # NAME EXAMPLE
  curl -sf -o /dev/null -X POST "$mme_url/models/$1/invoke" -H 'Content-Type: application/json' \
    --data-binary "@$work/$2.json"
}

echo "image $image, --memory $memory, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(nproc) cores"
echo "== load time: POST /models -> first golden request answered"
for example in "${examples[@]}"; do
  began="$(now_ms)"
  status="$(load "$example" "$example")"
  [[ "$status" == 200 ]] || { echo "loading $example: $status"; exit 1; }
  first_answer "$example" "$example"
  first="$(( $(now_ms) - began ))"
  total=0
  for i in 1 2 3 4 5; do
    unload "$example"
    began="$(now_ms)"
    [[ "$(load "$example" "$example")" == 200 ]] || { echo "reloading $example failed"; exit 1; }
    first_answer "$example" "$example"
    total="$(( total + $(now_ms) - began ))"
  done
  printf '%-18s first load %5d ms   reload mean %5d ms   model dir %s\n' "$example" "$first" "$(( total / 5 ))" \
    "$(du -sh "$work/models/$example/model" | cut -f1)"
done

echo "== memory per loaded model: RSS added by $copies more copies of each"
for example in "${examples[@]}"; do
  before="$(rss_kib "$mme")"
  for i in $(seq "$copies"); do
    [[ "$(load "$example-$i" "$example")" == 200 ]] || { echo "loading copy $i of $example failed"; exit 1; }
  done
  after="$(rss_kib "$mme")"
  printf '%-18s %6.2f MiB per model (RSS %d -> %d MiB)\n' "$example" \
    "$(echo "($after - $before) / 1024 / $copies" | bc -l)" "$(( before / 1024 ))" "$(( after / 1024 ))"
done
for example in "${examples[@]}"; do
  for i in $(seq "$copies"); do unload "$example-$i"; done
done

echo "== invoke throughput: /models/lstm-two-inputs/invoke (MME) against /invocations (single model), same image"
declare -A url=([mme]="$mme_url/models/lstm-two-inputs/invoke" [single]="$single_url/invocations")
for side in mme single; do
  BODY_FILE="$work/bodies/b4.json" wrk -t2 -c16 -d4s -s "$here/post.lua" "${url[$side]}" >/dev/null
done
rounds "$rounds" "$duration" "$work/bodies" "$here/post.lua" "mme=${url[mme]}" "single=${url[single]}"
