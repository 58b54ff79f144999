#!/usr/bin/env bash
# Builds the default base image of serving images into the local Docker engine, from Debian packages alone (no
# container registry is needed): a Java 17 runtime cut by jlink down to the modules the server uses, and of Debian
# bookworm only the shared libraries that runtime, libtorch and DJL load (glibc, libstdc++, libgcc, zlib) and dash
# for the entrypoint. No package manager, no coreutils: about 60 MB where a Debian JRE image takes 330 MB.
# Users who can pull images may name any glibc >= 2.29 JRE 17+ image as <baseImage> instead.
#
#   container-template/base-image/build.sh [IMAGE]      default IMAGE: model-contract/base:jre17-bookworm-slim
#
# Needs root (debootstrap, chroot); about a minute. The image's labels list the Debian packages it holds and the Java runtime's
# modules; the plugin's SBOM reads them.
set -euo pipefail

image="${1:-model-contract/base:jre17-bookworm-slim}"

# What the server loads: java.net.http (warm-up), java.management and jdk.management (metrics), jdk.unsupported
# (Netty), jdk.jfr (flight recordings in the field: JAVA_OPTS=-XX:StartFlightRecording), java.desktop (JNA and
# DJL's API link against java.awt types).
modules="java.base,java.logging,java.management,java.net.http,java.desktop,jdk.jfr,jdk.management,jdk.unsupported"
# The packages whose files the image holds (libgomp comes with libtorch).
packages="libc6 libgcc-s1 libstdc++6 zlib1g dash"

if docker image inspect "$image" >/dev/null 2>&1; then
  echo "base image $image is already in the local Docker engine"
  exit 0
fi

command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }

# The mirror apt already uses on this machine.
mirror=$(grep -hoE '^(URIs:|deb) +https?://[^ ]+' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
  | grep -v security | head -n 1 | awk '{print $2}' || true)
mirror="${mirror:-http://deb.debian.org/debian}"

work=$(mktemp -d /tmp/model-contract-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
builder="$work/builder"
rootfs="$work/rootfs"

echo "building base image $image from $mirror"
debootstrap --variant=minbase --include=openjdk-17-jdk-headless,binutils bookworm "$builder" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 30 "$work/debootstrap.log"; exit 1; }

# The runtime: only the modules above, no debug symbols (jlink strips them with binutils), man pages or headers,
# and no class-data-sharing archive: serving images dump their own, of the JDK's and the server's classes together.
# The JDK's launchers find libjli through /proc, which a chroot lacks.
jdk=/usr/lib/jvm/java-17-openjdk-amd64
in_builder() { chroot "$builder" env LD_LIBRARY_PATH="$jdk/lib:/opt/java/lib" "$@"; }
in_builder "$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=2 --output /opt/java
in_builder /opt/java/bin/java -version >/dev/null 2>&1 || { echo "the jlinked runtime does not start" >&2; exit 1; }
java_package=$(chroot "$builder" dpkg-query -W -f '${Package}=${Version}' openjdk-17-jdk-headless)

# The packages' files (not their docs), at their real paths: bookworm merges /lib into /usr/lib, the links come too.
mkdir -p "$rootfs"
for link in bin lib lib64 sbin; do
  if [ -L "$builder/$link" ]; then cp -a "$builder/$link" "$rootfs/$link"; fi
done
# shellcheck disable=SC2086
chroot "$builder" dpkg-query -L $packages \
  | grep -vE '^/usr/share/(doc|man|lintian|info|locale|bug)|/gconv/|^/\.$' \
  | while read -r path; do
      parent="$(dirname "$path")"
      if [ "$parent" != / ] && { [ -f "$builder$path" ] || [ -L "$builder$path" ]; }; then
        real="$(chroot "$builder" readlink -f "$parent")/$(basename "$path")"
        echo "${real#/}"
      fi
    done | sort -u > "$work/files"
tar -C "$builder" --no-recursion -c -T "$work/files" | tar -C "$rootfs" -x
[ -e "$rootfs/usr/bin/sh" ] || ln -s dash "$rootfs/usr/bin/sh"
mkdir -p "$rootfs/opt"
cp -a "$builder/opt/java" "$rootfs/opt/java"
mkdir -p "$rootfs/usr/lib/locale" "$rootfs/etc" "$rootfs/tmp"
cp -a "$builder/usr/lib/locale/C.utf8" "$rootfs/usr/lib/locale/"
chmod 1777 "$rootfs/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$rootfs/etc/group"
ldconfig -r "$rootfs" 2>/dev/null || cp "$builder/etc/ld.so.cache" "$rootfs/etc/ld.so.cache"

# shellcheck disable=SC2086
versions=$(chroot "$builder" dpkg-query -W -f '${Package}=${Version} ' $packages)
tar -C "$rootfs" -c . | docker import \
  --change 'ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV JAVA_HOME=/opt/java' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'LABEL org.opencontainers.image.description="Debian bookworm libraries and a jlinked OpenJDK 17 runtime, base of Model Contract serving images"' \
  --change "LABEL dev.modelcontract.base.debian-packages=\"${versions% }\"" \
  --change "LABEL dev.modelcontract.base.java=\"$java_package\"" \
  --change "LABEL dev.modelcontract.base.java-modules=\"$modules\"" \
  - "$image" >/dev/null
echo "built base image $image ($(docker image inspect --format '{{.Size}}' "$image") bytes)"
