# Sourced by the bench scripts: a serving image checks oneDNN's uncapped kernels once /ping answers 200 (basis
# "checking" on /metrics) and may then hand its port to itself restarted with them, a pause of about 2 s; measure
# after that.
#
#   kernels_in            reads /metrics' text on stdin; prints BASIS/ISA of modelcontract_cpu_kernels_info, or nothing
#   await_kernels URL     waits (up to 120 s) until that basis is no longer "checking"; prints BASIS/ISA
#   await_serving URL     waits (up to 120 s) for GET /ping 200, then await_kernels: the image is ready to measure
kernels_in() {
  sed -nE 's/^modelcontract_cpu_kernels_info\{basis="([a-z-]+)",onednn_max_isa="([A-Z0-9_]+)"\}.*/\1\/\2/p'
}

await_kernels() {
  local url="$1" started=$SECONDS kernels
  while :; do
    kernels="$(curl -s --max-time 5 "$url/metrics" | kernels_in || true)"
    if [[ -n "$kernels" && "$kernels" != checking/* ]]; then echo "$kernels"; return 0; fi
    if (( SECONDS - started > 120 )); then echo "the kernel check at $url did not settle in 120 s" >&2; return 1; fi
    sleep 0.1
  done
}

await_serving() {
  local url="$1" started=$SECONDS
  until curl -sf --max-time 5 "$url/ping" >/dev/null; do
    if (( SECONDS - started > 120 )); then echo "no 200 from $url/ping in 120 s" >&2; return 1; fi
    sleep 0.2
  done
  await_kernels "$url"
}
