#!/usr/bin/env bash
# The request fuzzer of the suite (FuzzRequestsTest: every body format, mutated bodies, codings, chunking and heads,
# against the example models' servers in process) with another count or seed than the suite's 100,000 of 0x5EEDF00D.
#
#   bench/fuzz.sh [REQUESTS] [SEED] [MAVEN ARGS...]    e.g. bench/fuzz.sh 1000000 7 -o
#   FROM=736 bench/fuzz.sh 1 0x5EEDF00D                 request #736 alone, as a failure names it
#
# Prints the counts by status, format, head mutation and coding, the time, requests/s and CPU per request; fails
# naming the seed, number and first bytes of every request answered 5xx, wrongly or not at all.
set -euo pipefail
cd "$(dirname "$0")/.."
DJL_OFFLINE=true OPT_OUT_TRACKING=true mvn -q -pl contract-runtime -am test -Dtest=FuzzRequestsTest \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfuzz.requests="${1:-100000}" -Dfuzz.seed="${2:-0x5EEDF00D}" \
  -Dfuzz.from="${FROM:-0}" "${@:3}"
