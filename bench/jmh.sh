#!/usr/bin/env bash
# Runs the JMH benchmarks of the benchmarks module on this machine, offline.
#
#   bench/jmh.sh [JMH arguments]     e.g. bench/jmh.sh LstmForwardBenchmark -rf json -rff /tmp/jmh.json
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
mvn -B -q -pl benchmarks -am install -DskipTests >/dev/null
mvn -B -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$root/benchmarks/target/classpath.txt" >/dev/null
# Forks inherit this folder as their working directory: the benchmarks find examples/ from here.
exec java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" org.openjdk.jmh.Main "$@"
