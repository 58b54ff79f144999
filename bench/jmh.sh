#!/usr/bin/env bash
# Runs the JMH benchmarks of bench/jmh on this machine, offline.
#
#   bench/jmh.sh [JMH arguments]     e.g. bench/jmh.sh LstmForwardBenchmark -rf json -rff /tmp/jmh.json
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
mvn -B -q -pl bench/jmh -am install -DskipTests >/dev/null
mvn -B -q -pl bench/jmh dependency:build-classpath -Dmdep.outputFile="$root/bench/jmh/target/classpath.txt" >/dev/null
# Forks inherit this folder as their working directory: the benchmarks find examples/ from here.
exec java -cp "bench/jmh/target/classes:$(cat bench/jmh/target/classpath.txt)" org.openjdk.jmh.Main "$@"
