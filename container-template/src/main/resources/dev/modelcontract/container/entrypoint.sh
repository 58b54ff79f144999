#!/bin/sh
# Entrypoint of Model Contract serving images. SageMaker runs `docker run IMAGE serve`.
#
# Tunables (environment):
#   SAGEMAKER_BIND_TO_PORT          port to listen on (default 8080)
#   SAGEMAKER_MODEL_SERVER_WORKERS  inference threads, one forward pass each at a time (default: half the
#                                   processors, at least 1)
#   MODEL_CONTRACT_IO_THREADS       event-loop threads that read, decode and write (default: the processors
#                                   the workers leave, at least 1; on 2 cores a second one measured 6-15 % slower)
#   MODEL_CONTRACT_BATCH_MAX_ROWS   most rows one forward pass takes (default: the contract's batch max;
#                                   1 turns dynamic batching off)
#   MODEL_CONTRACT_BATCH_DELAY_MICROS how long a free inference thread waits for more requests (default 0:
#                                   it batches whatever queued while it was busy)
#   MODEL_CONTRACT_SPIN_MICROS      how long an idle inference thread polls for work before it parks (default
#                                   200: waking a parked thread costs more than a request at low load; 0 never
#                                   spins, for hosts where an idle core must stay idle)
#   MODEL_CONTRACT_READ_TIMEOUT_SECONDS a request must arrive in full within this (default 60; else 408)
#   MODEL_CONTRACT_DRAIN_TIMEOUT_SECONDS on SIGTERM, time to answer what was read before exiting (default 25)
#   MODEL_CONTRACT_TORCH_THREADS    libtorch intra-op threads per request (default 1: fastest per request on
#                                   small models, and workers already use every core)
#   MODEL_CONTRACT_MAX_REQUEST_BYTES largest accepted body (default 6 MB, SageMaker's real-time limit)
#   ONEDNN_MAX_CPU_ISA              oneDNN's kernel cap (default AVX2, set by the server: some AVX-512 hosts
#                                   compute LSTMs wrong); ALL lifts it, the start-up golden replay still guards
#   MODEL_CONTRACT_GOLDEN_TOLERANCE tolerance of that replay (the build's, set in the image)
#   JAVA_OPTS                       extra JVM options, appended last (-XX:+UseParallelGC served 7-14 % more
#                                   at c=32 with 4-row bodies, but its heap kept growing between two minute-long
#                                   runs; G1 stays the default: docs/benchmarks.md)
set -eu

# Build time only: `entrypoint.sh record-classes ARCHIVE` starts the server once (it serves its golden requests to
# itself and exits), lists the classes it loaded, and dumps them (the JDK's and the server's) into one static
# class-data-sharing archive, which every later start maps instead of loading those classes.
if [ "${1:-}" = record-classes ]; then
  JAVA_OPTS="${JAVA_OPTS:-} -Xshare:off -XX:DumpLoadedClassList=/tmp/classes.lst" "$0" warm-up
  exec java -Xshare:dump -Xlog:cds=off -XX:SharedClassListFile=/tmp/classes.lst -XX:SharedArchiveFile="$2" \
    -cp '/opt/model-contract/lib/*'
fi

# The class-data-sharing archive the image build recorded (absent while it records it).
cds=""
if [ -f /opt/model-contract/classes.jsa ]; then
  cds="-XX:SharedArchiveFile=/opt/model-contract/classes.jsa"
fi

exec java \
  ${cds} \
  -XX:MaxRAMPercentage=50 \
  -XX:MaxDirectMemorySize=256m \
  -XX:+ExitOnOutOfMemoryError \
  -Djava.io.tmpdir=/tmp \
  -Djna.boot.library.path=/opt/model-contract/native \
  -Djna.nounpack=true \
  -Dai.djl.offline=true \
  -DOPT_OUT_TRACKING=true \
  -Dai.djl.pytorch.num_threads="${MODEL_CONTRACT_TORCH_THREADS:-1}" \
  -Dai.djl.pytorch.num_interop_threads=1 \
  -Dorg.slf4j.simpleLogger.showDateTime=true \
  -Dorg.slf4j.simpleLogger.dateTimeFormat="yyyy-MM-dd'T'HH:mm:ss.SSSZ" \
  ${JAVA_OPTS:-} \
  -cp '/opt/model-contract/lib/*' \
  dev.modelcontract.server.Main "$@"
