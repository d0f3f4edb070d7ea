#!/usr/bin/env bash
#: usage: benchmarks/run-peers.sh [--no-build] [JDK_HOME...] [-- JMH_OPTION...]
#:
#: Issue 13's subprocess workloads (org.asyncio4j.benchmarks.peers): asyncio4j (Safe and Pidfd watchers),
#: NuProcess 2.0.6 and ProcessBuilder in one JMH run per JDK, then JVM threads and RSS with 1,000 idle
#: children per peer, then the tables of ratios with 95% intervals (PeersReport).
#:   JDK_HOME...    the JDKs to run on, one JMH run each (default: the JDK 17 and 25 of this machine)
#:   --no-build     use benchmarks/target/benchmarks.jar as it is
#:   -- OPTION...   passed to JMH (e.g. -- -f 1 -i 2 for a quick look; the figures are then not comparable)
#: Writes only into benchmarks/target/peers/<UTC time>/: jmh-<jdk>.json, jmh-<jdk>.txt, footprint-<jdk>.txt,
#: run-info.txt (load averages before and after each run) and peers-tables.md. About 20 minutes for two JDKs
#: on 2 cores. Independent of run-bench.sh; passes -Djmh.ignoreLock=true, so run one at a time.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=1
JDKS=()
JMH_EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    -h|--help) sed -n 's/^#: \{0,1\}//p' "$0"; exit 0 ;;
    --) shift; JMH_EXTRA=("$@"); break ;;
    *) [ -x "$1/bin/java" ] || { echo "run-peers.sh: no bin/java under $1" >&2; exit 2; }; JDKS+=("$1") ;;
  esac
  shift
done
if [ ${#JDKS[@]} -eq 0 ]; then
  for j in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64; do
    [ -x "$j/bin/java" ] && JDKS+=("$j")
  done
fi
[ ${#JDKS[@]} -gt 0 ] || { echo "run-peers.sh: no JDK found; name one" >&2; exit 2; }

JAR=benchmarks/target/benchmarks.jar
if [ "$BUILD" = 1 ]; then
  ./mvnw -B -q ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests
fi
OUT=benchmarks/target/peers/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
cp "$JAR" "$OUT/benchmarks.jar"   # this run's own copy: a build meanwhile cannot change what it measures
JAR=$OUT/benchmarks.jar
{ echo "run-peers.sh $(date -u +%FT%TZ) on $(nproc) cores, $(uname -sr)"; echo "JMH options: ${JMH_EXTRA[*]:-as in the classes}"; } > "$OUT/run-info.txt"

JSONS=()
for JDK in "${JDKS[@]}"; do
  major=$("$JDK/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  flags=(-Djmh.ignoreLock=true)
  fork=()
  if (( ${major%%.*} >= 23 )); then   # jnr, JNA (NuProcess) and JMH: restricted native access and Unsafe warnings
    flags+=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
    fork=(-jvmArgsAppend "--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow")
  fi
  echo "JDK $major ($JDK): load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/run-info.txt"
  "$JDK/bin/java" "${flags[@]}" -jar "$JAR" 'org\.asyncio4j\.benchmarks\.peers\..*' "${fork[@]}" "${JMH_EXTRA[@]}" \
      -rf json -rff "$OUT/jmh-$major.json" > "$OUT/jmh-$major.txt" 2>&1 \
    || { echo "run-peers.sh: JMH failed on JDK $major; see $OUT/jmh-$major.txt" >&2; exit 2; }
  echo "JDK $major: load average after JMH: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/run-info.txt"
  JSONS+=("$OUT/jmh-$major.json")
  echo "# peer children threadsBefore threadsWith rssKiBBefore rssKiBWith (JDK $major)" > "$OUT/footprint-$major.txt"
  for peer in asyncio4j-safe asyncio4j-pidfd nuprocess processbuilder; do
    "$JDK/bin/java" "${flags[@]}" -Xms512m -Xmx512m -cp "$JAR" org.asyncio4j.benchmarks.peers.PeerFootprint \
        "$peer" 1000 >> "$OUT/footprint-$major.txt"
  done
  echo "JDK $major: load average after footprint: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/run-info.txt"
done
java -cp "$JAR" org.asyncio4j.benchmarks.peers.PeersReport "$OUT/peers-tables.md" "${JSONS[@]}"
echo "run-peers.sh: done; $OUT/peers-tables.md"
