# Sourced by the bench scripts: a serving image checks oneDNN's uncapped kernels once /ping answers 200 (basis
# "checking" on /metrics) and may then hand its port to itself restarted with them, a pause of about 2 s; measure
# after that.
#
#   await_kernels URL    waits (up to 120 s) until /metrics' modelcontract_cpu_kernels_info is no longer "checking";
#                        prints BASIS/ISA
await_kernels() {
  local url="$1" started=$SECONDS kernels
  while :; do
    kernels="$(curl -s --max-time 5 "$url/metrics" \
      | sed -nE 's/^modelcontract_cpu_kernels_info\{basis="([a-z-]+)",onednn_max_isa="([A-Z0-9_]+)"\}.*/\1\/\2/p' || true)"
    if [[ -n "$kernels" && "$kernels" != checking/* ]]; then echo "$kernels"; return 0; fi
    if (( SECONDS - started > 120 )); then echo "the kernel check at $url did not settle in 120 s" >&2; return 1; fi
    sleep 0.1
  done
}
