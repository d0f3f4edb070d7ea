#!/usr/bin/env bash
# Reproducible builds: two clean builds of this checkout give byte-identical jars (the main, sources and
# javadoc jars of impl and conformance, the published ones). Every jar entry carries the pom's
# project.build.outputTimestamp instead of the build's time. About two minutes; prints one line per jar.
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for run in 1 2; do
  echo "== clean build $run"
  ./mvnw -B -q -pl impl,conformance -am clean package -DskipTests
  mkdir "$out/$run"
  cp impl/target/asyncio4j-impl-*.jar conformance/target/asyncio4j-conformance-*.jar "$out/$run/"
done

count=$(find "$out/1" -name '*.jar' | wc -l)
if [ "$count" -ne 6 ]; then
  echo "check-reproducible: expected 6 jars (main, sources, javadoc of impl and conformance), got $count" >&2
  exit 1
fi
(cd "$out/1" && sha256sum -- *.jar) > "$out/first.sha256"
if (cd "$out/2" && sha256sum -c "$out/first.sha256"); then
  echo "check-reproducible: the $count jars of both builds are byte-identical"
else
  echo "check-reproducible: the builds differ" >&2
  exit 1
fi
