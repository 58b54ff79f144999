#!/usr/bin/env bash
# Builds the default base image of serving images (a Debian bookworm root file system with a Java 17 runtime)
# into the local Docker engine, from Debian packages alone: no container registry is needed.
# Users who can pull images may name any glibc >= 2.29 JRE 17+ image as <baseImage> instead.
#
#   container-template/base-image/build.sh [IMAGE]      default IMAGE: model-contract/base:jre17-bookworm
set -euo pipefail

image="${1:-model-contract/base:jre17-bookworm}"

if docker image inspect "$image" >/dev/null 2>&1; then
  echo "base image $image is already in the local Docker engine"
  exit 0
fi

command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }

# The mirror apt already uses on this machine.
mirror=$(grep -hoE '^(URIs:|deb) +https?://[^ ]+' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
  | grep -v security | head -n 1 | awk '{print $2}' || true)
mirror="${mirror:-http://deb.debian.org/debian}"

rootfs=$(mktemp -d /tmp/model-contract-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT

echo "building base image $image from $mirror"
debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 \
  || { tail -n 30 "$rootfs.log"; exit 1; }
rm -f "$rootfs.log"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/*

tar -C "$rootfs" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'LABEL org.opencontainers.image.description="Debian bookworm with OpenJDK 17 JRE, base of Model Contract serving images"' \
  - "$image" >/dev/null
echo "built base image $image ($(docker image inspect --format '{{.Size}}' "$image") bytes)"
