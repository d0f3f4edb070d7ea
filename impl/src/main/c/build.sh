#!/bin/sh
# Builds the native signal library (asyncio4j_signals.c) into <classes>/META-INF/native/linux-<arch>/,
# where it ends up in the jar. Called by the impl pom at process-resources with two arguments: the
# output directory and the value of asyncio4j.native.skip. Reproducible: no debug information, no
# build id, no paths; warnings are errors.
set -eu
out=$1
skip=${2:-false}
src=$(dirname "$0")/asyncio4j_signals.c
if [ "$skip" = "true" ]; then
  echo "[WARNING] asyncio4j.native.skip=true: this jar has NO native signal library; signals use the JVM path only"
  exit 0
fi
if [ "$(uname -s)" != "Linux" ]; then
  echo "[WARNING] not Linux: no native signal library built; signals use the JVM path only"
  exit 0
fi
cc=${CC:-cc}
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "[ERROR] no C compiler ('$cc') to build the native signal library. Install one (gcc), or build with" >&2
  echo "[ERROR] -Dasyncio4j.native.skip=true for a jar that uses the JVM signal path only (never for a release)." >&2
  exit 1
fi
dir="$out/META-INF/native/linux-$(uname -m)"
mkdir -p "$dir"
"$cc" -std=c11 -D_GNU_SOURCE -O2 -fPIC -shared -fvisibility=hidden -Wall -Wextra -Werror \
  -Wl,--build-id=none -Wl,-z,noexecstack -o "$dir/libasyncio4j.so" "$src"
