#!/usr/bin/env bash
#: usage: benchmarks/run-sockets.sh [--no-build] [--quick] [JDK_HOME...] [-- JMH_OPTION...]
#:
#: Issue 14's socket workloads (org.asyncio4j.benchmarks.sockets): TCP echo throughput (1 KiB and 64 KiB
#: messages, 1 and 100 connections, 8 messages in flight per connection) and round-trip latency p50/p99 on
#: 127.0.0.1, for asyncio4j's selector and proactor loops and Netty 4.2's epoll transport in one JMH run per
#: JDK, then the same workloads in CPython's asyncio (python3) and in uvloop (the first of python3 and
#: /usr/bin/python3 that imports it; skipped, and said so, when none does), then the tables of ratios with 95%
#: intervals, goals and verdicts (SocketsReport).
#:   JDK_HOME...    the JDKs to run on, one JMH run each (default: the JDK 17 and 25 of this machine)
#:   --no-build     use benchmarks/target/benchmarks.jar as it is
#:   --quick        1 fork x 3 iterations after 2 warm-up (JMH), 3 after 1 (Python): for a loaded
#:                  machine; the intervals are wider and say so
#:   -- OPTION...   passed to JMH (e.g. -- -prof gc); the figures are then not comparable
#: Writes only into benchmarks/target/sockets/<UTC time>/: jmh-<jdk>.json, jmh-<jdk>.txt, python-asyncio.json,
#: python-uvloop.json (and their .log), run-info.txt (cores, JDKs, Pythons, load averages before and after each
#: step) and sockets-tables.md. About 12 minutes for two JDKs on 2 cores (5 with --quick). Independent of
#: run-bench.sh; passes -Djmh.ignoreLock=true, so run one at a time.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=1
QUICK=0
JDKS=()
JMH_EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --quick) QUICK=1 ;;
    -h|--help) sed -n 's/^#: \{0,1\}//p' "$0"; exit 0 ;;
    --) shift; JMH_EXTRA=("$@"); break ;;
    *) [ -x "$1/bin/java" ] || { echo "run-sockets.sh: no bin/java under $1" >&2; exit 2; }; JDKS+=("$1") ;;
  esac
  shift
done
if [ ${#JDKS[@]} -eq 0 ]; then
  for j in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64; do
    [ -x "$j/bin/java" ] && JDKS+=("$j")
  done
fi
[ ${#JDKS[@]} -gt 0 ] || { echo "run-sockets.sh: no JDK found; name one" >&2; exit 2; }
command -v python3 > /dev/null || { echo "run-sockets.sh: no python3 on PATH" >&2; exit 2; }

JMH_PROFILE=()
PY_PROFILE=()
if [ "$QUICK" = 1 ]; then
  JMH_PROFILE=(-f 1 -wi 2 -i 3)
  PY_PROFILE=(--warmup 1 --iterations 3)
fi

JAR=benchmarks/target/benchmarks.jar
if [ "$BUILD" = 1 ]; then
  ./mvnw -B -q ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests
fi
OUT=benchmarks/target/sockets/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
cp "$JAR" "$OUT/benchmarks.jar"   # this run's own copy: a build meanwhile cannot change what it measures
JAR=$OUT/benchmarks.jar
load() { cut -d' ' -f1-3 /proc/loadavg; }
{
  echo "run-sockets.sh $(date -u +%FT%TZ) on $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(uname -sr)"
  echo "profile: $([ "$QUICK" = 1 ] && echo "quick (JMH ${JMH_PROFILE[*]}; Python ${PY_PROFILE[*]})" || echo "as in the classes (JMH 2 forks x 4 iterations of 1 s after 3 warm-up; Python 8 iterations of 1 s after 2 warm-up)")"
  echo "JMH options added: ${JMH_EXTRA[*]:-none}"
} > "$OUT/run-info.txt"

JSONS=()
for JDK in "${JDKS[@]}"; do
  major=$("$JDK/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  version=$("$JDK/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.runtime.version/ {print $2}')
  flags=(-Djmh.ignoreLock=true)
  fork=()
  if (( ${major%%.*} >= 23 )); then   # jnr, Netty and JMH: restricted native access and Unsafe warnings
    flags+=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
    fork=(-jvmArgsAppend "--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow")
  fi
  echo "JDK $version ($JDK): load average before JMH: $(load)" | tee -a "$OUT/run-info.txt"
  "$JDK/bin/java" "${flags[@]}" -jar "$JAR" 'org\.asyncio4j\.benchmarks\.sockets\..*' "${fork[@]}" \
      "${JMH_PROFILE[@]}" "${JMH_EXTRA[@]}" -rf json -rff "$OUT/jmh-$major.json" > "$OUT/jmh-$major.txt" 2>&1 \
    || { echo "run-sockets.sh: JMH failed on JDK $major; see $OUT/jmh-$major.txt" >&2; exit 2; }
  echo "JDK $version: load average after JMH: $(load)" | tee -a "$OUT/run-info.txt"
  JSONS+=("$OUT/jmh-$major.json")
done

PYS=()
run_python() {   # run_python LOOP INTERPRETER
  local loop=$1 py=$2
  echo "$loop on $py ($("$py" --version 2>&1)): load average before: $(load)" | tee -a "$OUT/run-info.txt"
  "$py" benchmarks/src/main/python/sockets_echo.py --loop "$loop" "${PY_PROFILE[@]}" \
      > "$OUT/python-$loop.json" 2> "$OUT/python-$loop.log" \
    || { echo "run-sockets.sh: sockets_echo.py --loop $loop failed; see $OUT/python-$loop.log" >&2; exit 2; }
  echo "$loop: load average after: $(load)" | tee -a "$OUT/run-info.txt"
  PYS+=("$OUT/python-$loop.json")
}
run_python asyncio "$(command -v python3)"
UVLOOP_PY=
for candidate in "$(command -v python3)" /usr/bin/python3; do
  if [ -x "$candidate" ] && "$candidate" -c 'import uvloop' 2> /dev/null; then
    UVLOOP_PY=$candidate
    break
  fi
done
if [ -n "$UVLOOP_PY" ]; then
  run_python uvloop "$UVLOOP_PY"
else
  echo "uvloop: not importable by python3 or /usr/bin/python3: skipped" | tee -a "$OUT/run-info.txt"
fi

java -cp "$JAR" org.asyncio4j.benchmarks.sockets.SocketsReport "$OUT/sockets-tables.md" "${JSONS[@]}" \
  --python "${PYS[@]}" --run-info "$OUT/run-info.txt"
echo "run-sockets.sh: done; $OUT/sockets-tables.md"
