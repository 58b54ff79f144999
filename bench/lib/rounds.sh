# Sourced by bench/ab.sh and bench/mme.sh: alternating wrk rounds over two or more URLs, one line per run.
#
#   rounds ROUNDS DURATION BODIES_DIR POST_LUA LABEL=URL...
#
# Loads: LOADS, connections:body pairs (bodies from bench/make_bodies.py), by default "1:b1 8:b1 32:b4"; within each
# load, the URLs in the order given (wrk -t1 at c=1, -t2 above). Prints: label, round, load, req/s, p50, p99; stops
# at the first non-2xx or socket error.
rounds() {
  local count="$1" duration="$2" bodies="$3" lua="$4"
  shift 4
  local round load threads connections body side label url out
  for round in $(seq "$count"); do
    for load in ${LOADS:-1:b1 8:b1 32:b4}; do
      connections="${load%%:*}"
      body="${load#*:}"
      threads=$(( connections > 1 ? 2 : 1 ))
      for side in "$@"; do
        label="${side%%=*}"
        url="${side#*=}"
        out="$(BODY_FILE="$bodies/$body.json" wrk "-t$threads" "-c$connections" "-d$duration" --latency \
          -s "$lua" "$url")"
        if grep -qE 'Non-2xx|Socket errors' <<< "$out"; then echo "errors for $label:"; echo "$out"; exit 1; fi
        printf '%-6s round %s c=%-2s %s  %9s req/s  p50 %8s  p99 %8s\n' "$label" "$round" "$connections" "$body" \
          "$(awk '/Requests\/sec/ {print $2}' <<< "$out")" "$(awk '$1 == "50%" {print $2}' <<< "$out")" \
          "$(awk '$1 == "99%" {print $2}' <<< "$out")"
      done
    done
  done
}
