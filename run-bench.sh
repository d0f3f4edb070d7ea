#!/usr/bin/env bash
# asyncio4j benchmarks: Safe O(n) against Fast O(1) and pidfd across thousands of children, beside the
# physical limit measured in C and CPython 3.11's own watchers; reports and plots in reports/.
#
#   ./run-bench.sh            default profile, about 10 minutes on 2 cores, n up to 4,000
#   ./run-bench.sh --full     n up to 10,000, longer measurements (about 20 minutes)
#   ./run-bench.sh --quick    smoke profile, under 3 minutes (CI): tiny n, one short iteration; not gated
#   ./run-bench.sh --gate     also exit 1 when a figure regressed (thresholds.properties, baseline.json)
#
# Needs a JDK 17+, Maven and cc; python3 with asyncio.SafeChildWatcher (3.13 or older) for the CPython
# figures, which are skipped with a note otherwise. MVN_ARGS is passed to Maven (e.g. MVN_ARGS=-o).
# Every benchmark process reaps its children, also when interrupted.
set -euo pipefail
cd "$(dirname "$0")"

PROFILE=default
GATE=0
for arg in "$@"; do
  case "$arg" in
    --quick) PROFILE=quick ;;
    --full) PROFILE=full ;;
    --gate) GATE=1 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-bench.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done
if [ "$PROFILE" = quick ] && [ "$GATE" = 1 ]; then
  echo "run-bench.sh: --gate needs the default or --full profile (the smoke profile's figures are not gated)" >&2
  exit 2
fi

REPORTS=reports
JAR=benchmarks/target/benchmarks.jar
CTOOL=benchmarks/target/watcher_limit
START=$(date +%s)
step() { echo; echo "== [$(( $(date +%s) - START ))s] $*"; }

# ---- profiles: children per benchmark, JMH iterations, C and CPython options ------------------------------
case "$PROFILE" in
  quick)
    SIGCHLD_N=1,10,100;      LATENCY_N=1,10;       DRAIN_N=10,100
    JMH_TIMED=(-wi 1 -w 300ms -i 1 -r 500ms)         # Sigchld, ExitLatency, Spawn, Loop
    JMH_DRAIN=(-wi 0 -i 1)
    C_OPTS=(--min-reps 5 --min-seconds 0.1 --max-seconds 1 --spawn-seconds 0.3)
    PY_OPTS=(--min-reps 5 --min-seconds 0.1 --max-seconds 1 --latency-reps 20 --loop-n 20000 --roundtrips 300
             --spawn-seconds 0.3)
    PY_LATENCY_N=1,10 ;;
  default)
    SIGCHLD_N=1,10,100,1000,4000;  LATENCY_N=1,100,1000;  DRAIN_N=100,1000,4000
    JMH_SIGCHLD=(-wi 5 -w 1s -i 5 -r 1s)              # the JIT needs ~3 s of passes at n=1 (~1,000 passes/s)
    JMH_TIMED=(-wi 2 -w 1s -i 5 -r 1s)
    JMH_DRAIN=(-wi 1 -i 3)
    C_OPTS=(--min-reps 20 --min-seconds 1 --max-seconds 5 --spawn-seconds 1)
    PY_OPTS=(--min-reps 10 --min-seconds 1 --max-seconds 5 --latency-reps 200 --spawn-seconds 1)
    PY_LATENCY_N=1,1000 ;;
  full)
    SIGCHLD_N=1,10,100,1000,4000,10000;  LATENCY_N=1,100,1000,4000;  DRAIN_N=100,1000,4000,10000
    JMH_SIGCHLD=(-wi 5 -w 1s -i 5 -r 2s)
    JMH_TIMED=(-wi 3 -w 1s -i 5 -r 2s)
    JMH_DRAIN=(-wi 2 -i 5)
    C_OPTS=(--min-reps 30 --min-seconds 1 --max-seconds 10 --spawn-seconds 2)
    PY_OPTS=(--min-reps 20 --min-seconds 1 --max-seconds 10 --latency-reps 300 --spawn-seconds 2)
    PY_LATENCY_N=1,1000,4000 ;;
esac
if [ -z "${JMH_SIGCHLD+set}" ]; then JMH_SIGCHLD=("${JMH_TIMED[@]}"); fi

# ---- can this machine hold the children? --------------------------------------------------------------
# kernel.pid_max and RLIMIT_NPROC both count tasks (threads included); Threaded adds a thread per child.
HEADROOM=512
pid_max=$(cat /proc/sys/kernel/pid_max)
tasks=$(awk '{split($4, a, "/"); print a[2]}' /proc/loadavg)
capacity=$(( pid_max - tasks - HEADROOM ))
nproc=$(ulimit -u)
if [ "$nproc" != unlimited ] && [ "$(id -u)" != 0 ]; then
  mine=$(ps -L -u "$(id -u)" --no-headers 2>/dev/null | wc -l)
  (( nproc - mine - HEADROOM < capacity )) && capacity=$(( nproc - mine - HEADROOM ))
fi
echo "run-bench.sh: profile $PROFILE; room for $capacity more tasks (kernel.pid_max $pid_max, $tasks tasks" \
     "running, ulimit -u $nproc, headroom $HEADROOM)"
# fit LIST PER_CHILD NAME: drop every n whose n*PER_CHILD tasks do not fit, saying so
fit() {
  local kept=() n
  IFS=, read -r -a all <<< "$1"
  for n in "${all[@]}"; do
    if (( n * $2 <= capacity )); then kept+=("$n"); else
      echo "run-bench.sh: $3: n=$n needs $(( n * $2 )) tasks, more than this machine has room for ($capacity):" \
           "skipped (raise ulimit -u or kernel.pid_max)" >&2
    fi
  done
  (IFS=,; echo "${kept[*]}")
}
SIGCHLD_N=$(fit "$SIGCHLD_N" 1 SigchldBenchmark)
LATENCY_N=$(fit "$LATENCY_N" 2 "ExitLatencyBenchmark (Threaded: a thread per child)")
DRAIN_N=$(fit "$DRAIN_N" 2 "DrainBenchmark (Threaded: a thread per child)")
max_n=$(tr , '\n' <<< "$SIGCHLD_N" | sort -n | tail -1)
if [ -z "$SIGCHLD_N" ] || [ -z "$LATENCY_N" ] || [ -z "$DRAIN_N" ]; then
  echo "run-bench.sh: this machine has no room for even the smallest n; free some processes first" >&2
  exit 1
fi

# ---- build ----------------------------------------------------------------------------------------------
step "build: ./mvnw -pl benchmarks -am package, cc -O2 watcher_limit.c"
# shellcheck disable=SC2086
./mvnw -q -B ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests
cc -O2 -Wall -o "$CTOOL" benchmarks/src/main/c/watcher_limit.c

JAVA_MAJOR=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
JAVA_FLAGS=()   # for this script's JVMs (JMH's own, the report) and, through -jvmArgsAppend, JMH's forks
JVM_APPEND=()
if (( ${JAVA_MAJOR%%.*} >= 23 )); then   # jnr and JMH on 23+: restricted native access and sun.misc.Unsafe warnings
  JAVA_FLAGS=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
  JVM_APPEND=(-jvmArgsAppend "${JAVA_FLAGS[*]}")
fi

mkdir -p "$REPORTS/jmh"
rm -f "$REPORTS"/jmh/*.json "$REPORTS"/jmh-result.json "$REPORTS"/c-limit.json "$REPORTS"/cpython.json

# jmh NAME REGEX ARGS...: one JMH run (one fork per benchmark and parameter set), results in reports/jmh/NAME.json
jmh() {
  local name=$1 regex=$2
  shift 2
  step "JMH $name"
  java "${JAVA_FLAGS[@]}" -jar "$JAR" "$regex" -f 1 -foe true "${JVM_APPEND[@]}" "$@" -rf json -rff "$REPORTS/jmh/$name.json" \
    > "$REPORTS/jmh/$name.log" 2>&1 || {
    echo "run-bench.sh: JMH $name failed; the end of $REPORTS/jmh/$name.log:" >&2
    tail -40 "$REPORTS/jmh/$name.log" >&2
    exit 1
  }
  grep -E '^(Benchmark|[A-Z][A-Za-z]+Benchmark\.)' "$REPORTS/jmh/$name.log" | grep -v ':p[01]\.' || true
}

jmh sigchld  'SigchldBenchmark\.sigchld$'          -p "children=$SIGCHLD_N" "${JMH_SIGCHLD[@]}"
jmh latency  'ExitLatencyBenchmark\.exitLatency$'  -p "children=$LATENCY_N" "${JMH_TIMED[@]}"
jmh drain    'DrainBenchmark\.drain$'              -p "children=$DRAIN_N"   "${JMH_DRAIN[@]}"
jmh spawn    'SpawnBenchmark\.'                    "${JMH_TIMED[@]}"
jmh loop     'LoopBenchmark\.'                     "${JMH_TIMED[@]}"
java "${JAVA_FLAGS[@]}" -cp "$JAR" org.asyncio4j.benchmarks.report.JmhMerge "$REPORTS/jmh-result.json" "$REPORTS"/jmh/{sigchld,latency,drain,spawn,loop}.json

step "C limit: $CTOOL ${SIGCHLD_N//,/ }"
# shellcheck disable=SC2046
"$CTOOL" "${C_OPTS[@]}" $(tr , ' ' <<< "$SIGCHLD_N") > "$REPORTS/c-limit.json" 2> "$REPORTS/c-limit.log" || {
  echo "run-bench.sh: the C tool failed:" >&2; tail -20 "$REPORTS/c-limit.log" >&2; exit 1; }

PY=
for candidate in python3 python3.13 python3.12 python3.11 python3.10; do
  if command -v "$candidate" > /dev/null &&
     "$candidate" -c 'import asyncio, sys; sys.exit(0 if hasattr(asyncio, "SafeChildWatcher") else 1)' 2> /dev/null; then
    PY=$candidate
    break
  fi
done
if [ -n "$PY" ]; then
  step "CPython: $PY ($("$PY" --version 2>&1)) cpython_watchers.py"
  "$PY" benchmarks/src/main/python/cpython_watchers.py "${PY_OPTS[@]}" --ns "$SIGCHLD_N" \
    --latency-ns "$(fit "$PY_LATENCY_N" 1 cpython_watchers.py)" > "$REPORTS/cpython.json" 2> "$REPORTS/cpython.log" || {
    echo "run-bench.sh: the CPython script failed:" >&2; tail -20 "$REPORTS/cpython.log" >&2; exit 1; }
else
  step "CPython: skipped"
  echo "run-bench.sh: no python3 with asyncio.SafeChildWatcher (removed in 3.14): CPython figures skipped"
  printf '{"tool":"cpython","skipped":"no python3 with asyncio.SafeChildWatcher on PATH (3.13 or older needed)"}\n' \
    > "$REPORTS/cpython.json"
fi

step "reports"
GATE_ARGS=()
[ "$GATE" = 1 ] && GATE_ARGS=(--gate)
status=0
java "${JAVA_FLAGS[@]}" -cp "$JAR" org.asyncio4j.benchmarks.report.Reports --jmh "$REPORTS/jmh-result.json" --c "$REPORTS/c-limit.json" \
  --cpython "$REPORTS/cpython.json" --out "$REPORTS" "${GATE_ARGS[@]}" || status=$?

{
  echo "profile: $PROFILE (max n $max_n)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "kernel: $(uname -sr); cores: $(nproc)"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "wall time: $(( $(date +%s) - START )) s"
} > "$REPORTS/run-info.txt"
step "done in $(( $(date +%s) - START )) s: $REPORTS/summary.md, $REPORTS/{sigchld,exit-latency,drain}.{png,svg}," \
     "raw results in $REPORTS/jmh-result.json, $REPORTS/c-limit.json, $REPORTS/cpython.json"
if [ "$PROFILE" = quick ]; then
  echo "(smoke profile: the figures only show that every benchmark runs; not for comparison)"
fi
exit $status
