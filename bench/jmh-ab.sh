#!/usr/bin/env bash
# JMH of a baseline and of this tree, one after the other in one run, for a change measured against its baseline.
#
#   bench/jmh-ab.sh BEFORE_DIR [JMH arguments]      e.g. bench/jmh-ab.sh /tmp/jmh-before RequestPathBenchmark
#
# BEFORE_DIR holds the baseline's compiled benchmarks (classes/) and their dependencies (lib/): in a worktree of the
# baseline commit, `mvn install -DskipTests`, then `mvn -pl bench/jmh dependency:copy-dependencies
# -DoutputDirectory=BEFORE_DIR/lib` and copy bench/jmh/target/classes to BEFORE_DIR/classes (before this tree's
# jars are installed over the baseline's). Both runs share the machine: compare ratios, not absolute times.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
before="$1"
shift
cd "$root"
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
mvn -B -q -pl bench/jmh -am install -DskipTests >/dev/null
mvn -B -q -pl bench/jmh dependency:build-classpath -Dmdep.outputFile="$root/bench/jmh/target/classpath.txt" >/dev/null
echo "== before ($before)"
java -cp "$before/classes:$before/lib/*" org.openjdk.jmh.Main "$@"
echo "== after (this tree)"
java -cp "bench/jmh/target/classes:$(cat bench/jmh/target/classpath.txt)" org.openjdk.jmh.Main "$@"
