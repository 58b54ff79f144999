# Sourced by bin/demo and bin/test: makes a fresh machine ready to build and run serving images.
#   - a running Docker engine (installs Debian's docker.io and starts dockerd when none answers)
#   - the default base image, built locally from Debian packages (no registry is needed)
#   - for the tests only (ensure_registry): Debian's docker-registry, which the push test runs on 127.0.0.1
#   - Node.js and npm, with which the build installs the OpenAPI document's validators (npm ci in contract-testkit)
#   - the environment every JVM here needs: DJL offline, Testcontainers without Ryuk, traffic on loopback

MODEL_CONTRACT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MODEL_CONTRACT_BASE_IMAGE="${MODEL_CONTRACT_BASE_IMAGE:-model-contract/base:jre17-bookworm-slim}"

# DJL must never call home nor download libtorch, in any JVM (tests, Mojos, forked builds).
export DJL_OFFLINE=true
export OPT_OUT_TRACKING=true
# No registry is reachable: Testcontainers' Ryuk image cannot be pulled, and its gateway probe (used when it
# believes it runs inside a container) would pull alpine. The engine is local, so talk to it on loopback.
export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_HOST_OVERRIDE="${TESTCONTAINERS_HOST_OVERRIDE:-localhost}"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

step() {
  printf '\n==> %s\n' "$*"
}

ensure_docker() {
  if docker info >/dev/null 2>&1; then
    return 0
  fi
  if ! command -v dockerd >/dev/null 2>&1; then
    step "installing the Docker engine (Debian's docker.io)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq docker.io >/dev/null
  fi
  step "starting dockerd (log: /tmp/model-contract-dockerd.log)"
  as_root sh -c 'nohup dockerd > /tmp/model-contract-dockerd.log 2>&1 &'
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "dockerd did not answer within 60 s; its log ends with:" >&2
  tail -n 20 /tmp/model-contract-dockerd.log >&2
  return 1
}

ensure_base_image() {
  if docker image inspect "$MODEL_CONTRACT_BASE_IMAGE" >/dev/null 2>&1; then
    return 0
  fi
  step "building the base image $MODEL_CONTRACT_BASE_IMAGE (about a minute, once per machine)"
  as_root bash "$MODEL_CONTRACT_ROOT/container-template/base-image/build.sh" "$MODEL_CONTRACT_BASE_IMAGE"
}

# The push test serves the Registry v2 API (the one ECR speaks) from Debian's docker-registry on 127.0.0.1.
ensure_registry() {
  if command -v docker-registry >/dev/null 2>&1; then
    return 0
  fi
  step "installing a local container registry for the push test (Debian's docker-registry)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq docker-registry >/dev/null
}

# contract-testkit's tests lint the OpenAPI document and proxy the conformance suite through a validator, both npm
# packages that its build installs with npm ci. Redocly CLI 2 asks for Node.js 20.19 or later, which machines of
# this project have; Debian bookworm's own nodejs (18) is only the fallback for a machine without any.
ensure_npm() {
  if command -v npm >/dev/null 2>&1; then
    return 0
  fi
  step "installing Node.js and npm (Debian's nodejs, npm) for the OpenAPI validators"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nodejs npm >/dev/null
}

prepare_machine() {
  command -v java >/dev/null || { echo "Java 17+ is required" >&2; return 1; }
  command -v mvn >/dev/null || { echo "Maven 3.8.7+ is required" >&2; return 1; }
  ensure_docker
  ensure_base_image
}
