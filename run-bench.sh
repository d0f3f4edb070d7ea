#!/usr/bin/env bash
#: usage: ./run-bench.sh [--quick | --full] [--update-baseline]
#:        ./run-bench.sh --gate | --gate-small [--base REF | --base-json FILE] [--forks N] [--threshold PCT]
#:                       [--inject-waitpid-nanos N] [--update-baseline]
#:        ./run-bench.sh --self-test [--forks N] [--threshold PCT]
#:
#: Report runs: Safe O(n) against Fast O(1) and pidfd across thousands of children, beside the physical
#: limit measured in C and CPython's own watchers, with a summary and plots. Not gated.
#:   (no option)          default profile, about 11 minutes on 2 cores, n = 1 .. 4,000
#:   --quick              smoke profile, under 3 minutes: tiny n, one short iteration, figures not comparable
#:   --full               n = 1 .. 10,000, longer measurements (about 25 minutes)
#:
#: Gate runs: the working tree (candidate) against a base, both run in this run, forks interleaved
#: (base, candidate, candidate, base, ...); each figure's ratio candidate/base with a 95% interval. The
#: SIGCHLD pass is judged by its CPU time per pass (cpuMicros), which other work on the machine disturbs
#: far less than wall time; the loop and spawning by their JMH scores.
#:   --gate               the gate profile: every watcher's SIGCHLD pass at n=10 and 1,000, the loop and
#:                        subprocess_exec, 5 forks a side (about 12 minutes with the base's build)
#:   --gate-small         bounded: Safe's SIGCHLD pass at n=100 and 1,000, 8 forks a side (about 4 minutes;
#:                        CI runs it)
#:   --base REF           the git ref to build as the base (default HEAD: the gate then judges your
#:                        uncommitted changes)
#:   --base-json FILE     a stored raw JMH JSON as the base instead (e.g. benchmarks/baseline/gate.json);
#:                        no interleaving then, so the machine's weather between the runs counts too
#:   --forks N            forks per side (at least 3; from 5 up each side's slowest fork is set aside)
#:   --threshold PCT      the slowdown that counts as a regression (default 10)
#:   --inject-waitpid-nanos N  the candidate does N ns of CPU work after every waitpid: a power check
#:   --self-test          the gate's own check, twice --gate-small against the working tree itself: plain
#:                        (must not read as a regression), then with waitpid slowed so that Safe's pass at
#:                        n=1,000 costs 25% more CPU (must be flagged, naming Safe's figure); the slowdown is
#:                        calibrated in between (short forks with it on, scaled until they measure 25% +- 3
#:                        points) and measured again in the slowed run; about 8 minutes
#:
#:   --update-baseline    after a good run, copy its results over the committed ones (report runs:
#:                        reports/; gate runs: the candidate's raw JMH JSON to benchmarks/baseline/PROFILE.json)
#:   -h, --help           this text
#:
#: Every run writes only into reports/runs/<UTC time>-<profile>/ (reports/runs/latest points at the last).
#: Exit status: 0 done or gate passed; 1 regression (self-test: a false alarm, or a slowdown of 22% or more
#: passed); 2 bad arguments or a failed step; 3 inconclusive (the intervals too wide: more forks or a quieter
#: machine; self-test: also a slowed run that passed with less than 22% delivered).
#: Needs a JDK 17+, Maven and cc; python3 with asyncio.SafeChildWatcher (3.13 or older) for the CPython
#: figures, skipped with a note otherwise. MVN_ARGS is passed to Maven (e.g. MVN_ARGS=-o). BENCH_LOCK names
#: the lock file that keeps two runs on one machine from measuring at the same time.
{ # read whole before it runs: editing this file cannot upset a run in progress (it ends with "exit; }")
set -euo pipefail
cd "$(dirname "$0")"

usage() { sed -n 's/^#: \{0,1\}//p' "$0"; }
die() { echo "run-bench.sh: $*" >&2; exit 2; }

PROFILE=default
MODE=report
BASE_REF=HEAD
BASE_JSON=
FORKS=
THRESHOLD=10
SLOWDOWN=
UPDATE_BASELINE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) PROFILE=quick ;;
    --full) PROFILE=full ;;
    --gate) MODE=gate; PROFILE=gate ;;
    --gate-small) MODE=gate; PROFILE=gate-small ;;
    --self-test) MODE=self-test; PROFILE=gate-small ;;
    --base) [ $# -ge 2 ] || die "--base needs a git ref"; BASE_REF=$2; shift ;;
    --base-json) [ $# -ge 2 ] || die "--base-json needs a file"; BASE_JSON=$2; shift ;;
    --forks) [ $# -ge 2 ] || die "--forks needs a number"; FORKS=$2; shift ;;
    --threshold) [ $# -ge 2 ] || die "--threshold needs a percentage"; THRESHOLD=$2; shift ;;
    --inject-waitpid-nanos) [ $# -ge 2 ] || die "--inject-waitpid-nanos needs a number"; SLOWDOWN=$2; shift ;;
    --update-baseline) UPDATE_BASELINE=1 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (try --help)" ;;
  esac
  shift
done
[ -z "$FORKS" ] || { [[ "$FORKS" =~ ^[0-9]+$ ]] && (( FORKS >= 3 && FORKS <= 100 )); } ||
  die "--forks must be a whole number from 3 to 100, got '$FORKS'"
[[ "$THRESHOLD" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--threshold must be a percentage such as 10, got '$THRESHOLD'"
[ -z "$SLOWDOWN" ] || [[ "$SLOWDOWN" =~ ^[0-9]{1,7}$ ]] || die "--inject-waitpid-nanos must be a whole number of nanoseconds, got '$SLOWDOWN'"
[ -z "$BASE_JSON" ] || [ -f "$BASE_JSON" ] || die "--base-json: no file '$BASE_JSON'"
if [ "$MODE" = self-test ] && { [ -n "$SLOWDOWN" ] || [ -n "$BASE_JSON" ] || [ "$BASE_REF" != HEAD ] || [ "$UPDATE_BASELINE" = 1 ]; }; then
  die "--self-test takes no --inject-waitpid-nanos, --base, --base-json or --update-baseline"
fi

BUILT_JAR=benchmarks/target/benchmarks.jar   # where the build leaves it, in any source tree
JAR=$BUILT_JAR
CTOOL=benchmarks/target/watcher_limit
START=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
step() { echo; echo "== [$(( $(date +%s) - START ))s] $*"; }
mmss() { printf '%dm%02ds' $(( $1 / 60 )) $(( $1 % 60 )); }

# ---- one run at a time on this machine: our own lock around the whole run, JMH's lock off ----------------
LOCK=${BENCH_LOCK:-${TMPDIR:-/tmp}/asyncio4j-bench.lock}
exec 9> "$LOCK"
if ! flock -n 9; then
  echo "run-bench.sh: another benchmark run holds $LOCK; waiting for it (at most 60 minutes)"
  flock -w 3600 9 || die "still locked after 60 minutes: $LOCK"
  START=$(date +%s)
  LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)   # the load this run starts measuring in, not the wait's
fi

RUN_DIR=reports/runs/$(date -u +%Y%m%dT%H%M%SZ)-$PROFILE
mkdir -p "$RUN_DIR"
ln -sfn "$(basename "$RUN_DIR")" reports/runs/latest
echo "run-bench.sh: profile $PROFILE; results in $RUN_DIR; load average $LOAD_BEFORE"

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
    # six values of n from 10 up for the complexity fit (thresholds.properties: slope.fit.minN)
    SIGCHLD_N=1,10,30,100,300,1000,4000;  LATENCY_N=1,100,1000;  DRAIN_N=100,1000,4000
    JMH_SIGCHLD=(-wi 4 -w 1s -i 4 -r 1s)              # the JIT needs ~3 s of passes at n=1 (~1,000 passes/s)
    JMH_TIMED=(-wi 2 -w 1s -i 5 -r 1s)
    JMH_DRAIN=(-wi 1 -i 3)
    C_OPTS=(--min-reps 20 --min-seconds 1 --max-seconds 5 --spawn-seconds 1)
    PY_OPTS=(--min-reps 10 --min-seconds 1 --max-seconds 5 --latency-reps 200 --spawn-seconds 1)
    PY_LATENCY_N=1,1000 ;;
  full)
    SIGCHLD_N=1,10,30,100,300,1000,3000,10000;  LATENCY_N=1,100,1000,4000;  DRAIN_N=100,1000,4000,10000
    JMH_SIGCHLD=(-wi 5 -w 1s -i 5 -r 2s)
    JMH_TIMED=(-wi 3 -w 1s -i 5 -r 2s)
    JMH_DRAIN=(-wi 2 -i 5)
    C_OPTS=(--min-reps 30 --min-seconds 1 --max-seconds 10 --spawn-seconds 2)
    PY_OPTS=(--min-reps 20 --min-seconds 1 --max-seconds 10 --latency-reps 300 --spawn-seconds 2)
    PY_LATENCY_N=1,1000,4000 ;;
  gate)
    SIGCHLD_N=10,1000
    GATE_REGEX='(SigchldBenchmark\.sigchld|LoopBenchmark\.(callSoonDispatch|callSoonChain|callLaterInsertFire)|SpawnBenchmark\.subprocessExec)$'
    GATE_JMH=(-p "children=$SIGCHLD_N" -p watcher=safe,fast,multiloop,pidfd -wi 2 -w 1s -i 6 -r 250ms)
    FORKS=${FORKS:-5}
    FORK_GUESS=55 ;;    # seconds per fork on an idle 2-core machine, for the first estimate
  gate-small)
    SIGCHLD_N=100,1000
    GATE_REGEX='SigchldBenchmark\.sigchld$'
    GATE_JMH=(-p "children=$SIGCHLD_N" -p watcher=safe -wi 2 -w 500ms -i 6 -r 250ms)
    FORKS=${FORKS:-8}   # the spread is between forks (a fork's CPU time per pass moves with the load): many short ones
    FORK_GUESS=11 ;;
esac
if [ -z "${JMH_SIGCHLD+set}" ] && [ -n "${JMH_TIMED+set}" ]; then JMH_SIGCHLD=("${JMH_TIMED[@]}"); fi

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
if [ "$MODE" = report ]; then
  SIGCHLD_N=$(fit "$SIGCHLD_N" 1 SigchldBenchmark)
  LATENCY_N=$(fit "$LATENCY_N" 2 "ExitLatencyBenchmark (Threaded: a thread per child)")
  DRAIN_N=$(fit "$DRAIN_N" 2 "DrainBenchmark (Threaded: a thread per child)")
  if [ -z "$SIGCHLD_N" ] || [ -z "$LATENCY_N" ] || [ -z "$DRAIN_N" ]; then
    die "this machine has no room for even the smallest n; free some processes first"
  fi
elif [ "$(fit "$SIGCHLD_N" 1 gate)" != "$SIGCHLD_N" ]; then
  die "the gate's n ($SIGCHLD_N) do not fit on this machine; a gate needs every figure on both sides"
fi
max_n=$(tr , '\n' <<< "$SIGCHLD_N" | sort -n | tail -1)

# with_progress LOG LEFT CMD...: runs CMD (its output into LOG), printing progress every 20 s: with LEFT "jmh",
# JMH's own progress line from LOG (with JMH's estimate of the time left); else the time CMD has run and an
# estimate of the time left, LEFT being the seconds the step was expected to take from CMD's start (PROGRESS_WHAT
# names what runs)
with_progress() {
  local log=$1 left=$2 pid rc=0 last= t0 line elapsed
  shift 2
  t0=$(date +%s)
  "$@" > "$log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2> /dev/null; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2> /dev/null && sleep 2; done
    kill -0 "$pid" 2> /dev/null || break
    if [ "$left" = jmh ]; then
      line=$(grep -a '^# Run progress' "$log" | tail -1 || true)
      if [ -n "$line" ] && [ "$line" != "$last" ]; then echo "   ${line#\# }"; last=$line; fi
    else
      elapsed=$(( $(date +%s) - t0 ))
      if (( left > elapsed )); then
        echo "   ${PROGRESS_WHAT:-running} for $(mmss "$elapsed"); about $(mmss $(( left - elapsed ))) left"
      else
        echo "   ${PROGRESS_WHAT:-running} for $(mmss "$elapsed"), longer than the $(mmss "$left") expected (a busy machine): no estimate"
      fi
    fi
  done
  wait "$pid" || rc=$?
  return $rc
}

# ---- build ----------------------------------------------------------------------------------------------
# build_jar DIR LOG SECONDS: the benchmarks jar of the source tree in DIR (the reactor: impl, then benchmarks), built by
# this checkout's Maven wrapper whatever DIR's own build tools are
MVNW=$PWD/mvnw
build_jar() {
  with_progress "$2" "$3" maven_package "$1" || {
    echo "run-bench.sh: the build failed; the end of $2:" >&2; tail -40 "$2" >&2; return 1; }
}
# shellcheck disable=SC2086
maven_package() { cd "$1" && "$MVNW" -B ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests; }
step "build: the working tree's benchmarks (./mvnw -pl benchmarks -am package; about 40 s)"
build_jar . "$RUN_DIR/build.log" 40 || exit 2
cp "$BUILT_JAR" "$RUN_DIR/benchmarks.jar"   # this run's own copy: a build beside it cannot change what it measures
JAR=$RUN_DIR/benchmarks.jar
JAVA_MAJOR=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
JAVA_FLAGS=(-Djmh.ignoreLock=true)   # this script's JVMs; JMH's lock is replaced by ours (above)
FORK_FLAGS=()                        # JMH's forks, through -jvmArgsAppend
if (( ${JAVA_MAJOR%%.*} >= 23 )); then   # jnr and JMH on 23+: restricted native access and sun.misc.Unsafe warnings
  JAVA_FLAGS+=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
  FORK_FLAGS=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
fi
jvm_append() {   # jvm_append EXTRA...: the -jvmArgsAppend option for the forks, or nothing
  local all=("${FORK_FLAGS[@]}" "$@")
  if [ ${#all[@]} -gt 0 ]; then printf '%s\n' -jvmArgsAppend "${all[*]}"; fi
}

write_run_info() {
  {
    echo "profile: $PROFILE (max n $max_n)$([ "$PROFILE" = quick ] && echo ", a smoke run: it shows that every benchmark runs; its figures are not for comparison"); mode: $MODE; gated: $1"
    echo "java: $(java -version 2>&1 | head -1)"
    echo "kernel: $(uname -sr); cores: $(nproc)"
    echo "load average before: $LOAD_BEFORE"
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "wall time: $(( $(date +%s) - START )) s"
  } > "$RUN_DIR/run-info.txt"
}

# ================================ gate runs ==================================================================
# run_forks DIR ROUNDS GUESS SLOWDOWN BASE_JAR|"" JMH_ARGS...: ROUNDS forks a side into DIR/forks, interleaved
# (base, candidate, candidate, base, ...), the candidate's waitpid slowed by SLOWDOWN ns of CPU if given;
# prints each fork's end, and every 20 s within a fork, with the time left (GUESS: seconds a fork, at first)
run_forks() {
  local dir=$1 rounds=$2 per_fork=$3 slowdown=$4 base_jar=$5 forks_total done=0 t0 elapsed left r side order
  shift 5
  mkdir -p "$dir/forks"
  forks_total=$rounds
  [ -n "$base_jar" ] && forks_total=$(( rounds * 2 ))
  t0=$(date +%s)
  for (( r = 1; r <= rounds; r++ )); do
    if [ -z "$base_jar" ]; then order=(candidate)
    elif (( r % 2 )); then order=(base candidate)
    else order=(candidate base); fi
    for side in "${order[@]}"; do
      local jar=$JAR extra=()
      [ "$side" = base ] && jar=$base_jar
      [ "$side" = candidate ] && [ -n "$slowdown" ] && extra=("-D$SLOWDOWN_PROPERTY=$slowdown")
      local -a append
      mapfile -t append < <(jvm_append "${extra[@]}")
      PROGRESS_WHAT="fork $(( done + 1 ))/$forks_total ($side) running" \
        with_progress "$dir/forks/$side-$r.log" $(( per_fork * (forks_total - done) )) \
        java "${JAVA_FLAGS[@]}" -jar "$jar" "$GATE_REGEX" -f 1 -foe true "${append[@]}" "$@" \
        -rf json -rff "$dir/forks/$side-$r.json" || {
        echo "run-bench.sh: JMH ($side, fork $r) failed; the end of $dir/forks/$side-$r.log:" >&2
        tail -30 "$dir/forks/$side-$r.log" >&2
        return 2
      }
      done=$(( done + 1 ))
      elapsed=$(( $(date +%s) - t0 ))
      per_fork=$(( elapsed / done ))
      left=$(( elapsed * (forks_total - done) / done ))
      echo "   fork $done/$forks_total done ($side, round $r) after $(mmss "$elapsed"); about $(mmss "$left") left"
    done
  done
}

# gate_once DIR SLOWDOWN BASE_JAR|"" TITLE: the profile's forks into DIR, then the judge; returns the gate's status
gate_once() {
  local dir=$1 base_files
  run_forks "$dir" "$FORKS" "$FORK_GUESS" "$2" "$3" "${GATE_JMH[@]}" || return 2
  if [ -n "$3" ]; then base_files=("$dir"/forks/base-*.json); else base_files=("$BASE_JSON"); fi
  local status=0
  java "${JAVA_FLAGS[@]}" -cp "$JAR" org.asyncio4j.benchmarks.gate.Gate --out "$dir" --metric cpuMicros --threshold "$(awk -v t="$THRESHOLD" 'BEGIN { print t / 100 }')" \
    --title "$4" --base "${base_files[@]}" --candidate "$dir"/forks/candidate-*.json || status=$?
  return $status
}
SLOWDOWN_PROPERTY=asyncio4j.bench.waitpidExtraNanos

# base_jar REF: builds REF's benchmarks jar once (kept in benchmarks/target/gate-base/SHA) and prints its path
base_jar() {
  local sha dir
  sha=$(git rev-parse --verify --quiet "$1^{commit}") || die "--base: '$1' is not a commit of this repository"
  dir=benchmarks/target/gate-base/$sha
  if [ ! -f "$dir/$BUILT_JAR" ]; then
    step "build: the base, $1 ($sha), from git archive into $dir (about 60 s)" >&2
    rm -rf "$dir" && mkdir -p "$dir"
    git archive "$sha" | tar -x -C "$dir"
    build_jar "$dir" "$RUN_DIR/build-base.log" 60 >&2 || die "the base $1 does not build"
  else
    echo "run-bench.sh: base $1 ($sha) already built in $dir" >&2
  fi
  echo "$dir/$BUILT_JAR"
}

if [ "$MODE" = gate ]; then
  if [ -n "$BASE_JSON" ]; then
    BASE_DESC="the stored $BASE_JSON"; BJ=
  else
    BJ=$(base_jar "$BASE_REF"); BASE_DESC="$BASE_REF ($(git rev-parse --short "$BASE_REF"))"
  fi
  CAND_DESC="the working tree"
  [ -n "$SLOWDOWN" ] && CAND_DESC="$CAND_DESC with $SLOWDOWN ns of CPU spun after every waitpid (injected)"
  sides=1; [ -n "$BJ" ] && sides=2
  step "gate ($PROFILE): $CAND_DESC against $BASE_DESC, $FORKS forks per side, about" \
       "$(mmss $(( FORK_GUESS * FORKS * sides ))) on an idle machine"
  status=0
  gate_once "$RUN_DIR" "$SLOWDOWN" "$BJ" "Profile $PROFILE: $CAND_DESC against $BASE_DESC; $FORKS forks per side, interleaved; threshold +$THRESHOLD%; load average before $LOAD_BEFORE." || status=$?
  write_run_info "yes (A/B, threshold +$THRESHOLD%)"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RUN_DIR/gate.md" 2> /dev/null || true
  if [ "$UPDATE_BASELINE" = 1 ] && [ -f "$RUN_DIR/candidate-jmh.json" ]; then
    mkdir -p benchmarks/baseline
    cp "$RUN_DIR/candidate-jmh.json" "benchmarks/baseline/$PROFILE.json"
    echo "run-bench.sh: baseline updated: benchmarks/baseline/$PROFILE.json (load average before $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg))"
  fi
  case $status in
    0) step "gate passed: $RUN_DIR/gate.md" ;;
    1) step "gate: REGRESSION: $RUN_DIR/gate.md" ;;
    3) step "gate inconclusive: the intervals are too wide to tell (more --forks, or a quieter machine): $RUN_DIR/gate.md" ;;
    *) step "gate could not judge (status $status)" ;;
  esac
  exit $status
fi

if [ "$MODE" = self-test ]; then
  FIGURE='SigchldBenchmark.sigchld:children=1000,watcher=safe [cpuMicros]'
  TARGET=0.25; TOLERANCE=0.03   # the slowdown injected into Safe's pass at n=1000: 25% +- 3 points, measured
  slowdown() {   # slowdown DIR NANOS: the Slowdown check of DIR's forks; its sentence to stdout, its values to DIR/slowdown.txt
    java "${JAVA_FLAGS[@]}" -cp "$JAR" org.asyncio4j.benchmarks.gate.Slowdown --figure "$FIGURE" --metric cpuMicros \
      --nanos "$2" --target "$TARGET" --tolerance "$TOLERANCE" --base "$1"/forks/base-*.json \
      --candidate "$1"/forks/candidate-*.json > "$1/slowdown.txt" || return 2
    head -1 "$1/slowdown.txt"
  }
  value() { sed -n "s/^$1=//p" "$2"; }

  step "self-test 1/3: the working tree against itself (must not read as a regression), about $(mmss $(( FORK_GUESS * FORKS * 2 )))"
  a=0; gate_once "$RUN_DIR/unchanged" "" "$JAR" "Self-test: the working tree against itself." || a=$?
  [ "$a" = 2 ] && die "the unchanged run could not be judged; see $RUN_DIR/unchanged/"
  # a first setting: 25% of Safe's CPU per pass at n=1000 as measured just now (the base forks' median), over its
  # 1000 waitpid calls; the seam adds it on the thread's CPU clock, the clock the gate judges by
  slowdown "$RUN_DIR/unchanged" 0 > /dev/null || die "no CPU per pass for $FIGURE in $RUN_DIR/unchanged/forks"
  per_pass=$(value base "$RUN_DIR/unchanged/slowdown.txt")
  extra=$(awk -v us="$per_pass" -v t="$TARGET" 'BEGIN { n = us * t; printf "%d", n < 1 ? 1 : n + 0.5 }')

  # closed loop: what the seam delivers here and now, measured in short forks of that figure alone, scaled
  # until it is 25% +- 3 points (a loaded machine amplifies it: a longer pass is preempted more often)
  CAL_ROUNDS=4; CAL_GUESS=6
  CAL_JMH=(-p children=1000 -p watcher=safe -wi 2 -w 500ms -i 4 -r 250ms)
  first=$extra; pairs=   # every try's "nanos delivered", pooled: one noisy try must not decide the setting
  for attempt in 1 2; do
    step "self-test 2/3: calibration $attempt of 2: $extra ns of CPU per waitpid (Safe's pass at n=1000:" \
         "$(printf %.0f "$per_pass") us), $CAL_ROUNDS plain and $CAL_ROUNDS slowed short forks, about $(mmss $(( CAL_GUESS * CAL_ROUNDS * 2 )))"
    run_forks "$RUN_DIR/calibration-$attempt" "$CAL_ROUNDS" "$CAL_GUESS" "$extra" "$JAR" "${CAL_JMH[@]}" || exit 2
    line=$(slowdown "$RUN_DIR/calibration-$attempt" "$extra") || die "the calibration's check failed"
    echo "   $line"
    within=$(value within "$RUN_DIR/calibration-$attempt/slowdown.txt")
    [ "$within" = true ] && break
    pairs="$pairs $extra $(value delivered "$RUN_DIR/calibration-$attempt/slowdown.txt")"
    # the delivered slowdown per ns, fitted through 0 over every try; the setting for 25% from it, kept within
    # half to twice the first setting (a loaded machine amplified the CPU added about twofold; more is noise)
    extra=$(awk -v pairs="$pairs" -v t="$TARGET" -v first="$first" 'BEGIN {
      k = split(pairs, p, " "); sxy = 0; sxx = 0
      for (i = 1; i < k; i += 2) { sxy += p[i] * p[i + 1]; sxx += p[i] * p[i] }
      n = sxy > 0 ? t * sxx / sxy : 2 * first
      if (n < first / 2) n = first / 2
      if (n > 2 * first) n = 2 * first
      printf "%d", n + 0.5 }')
  done
  [ "$within" = true ] || echo "   (not 25% +- 3 points after two tries: $extra ns, fitted over both, is used; the check after the run says what it delivered)"

  step "self-test 3/3: $extra ns of CPU after every waitpid in the candidate (must be flagged), about $(mmss $(( FORK_GUESS * FORKS * 2 )))"
  b=0; gate_once "$RUN_DIR/slowed" "$extra" "$JAR" "Self-test: the working tree against itself with $extra ns of CPU added after every waitpid (calibrated to slow Safe's pass at n=1000 by 25%; slowdown.txt says what it delivered)." || b=$?
  delivered= delivered_line=
  if [ "$b" != 2 ] && delivered_line=$(slowdown "$RUN_DIR/slowed" "$extra"); then
    delivered=$(value delivered "$RUN_DIR/slowed/slowdown.txt")
    echo "self-test: the slowdown delivered: $delivered_line"
  fi
  write_run_info "self-test"
  result=0
  case $a in 0) echo "self-test: unchanged code passed" ;;
             3) echo "self-test: unchanged code inconclusive (not a false alarm: the machine is noisy)" ;;
             1) echo "self-test: FAILED: unchanged code read as a regression (a false alarm)"; result=1 ;;
             *) echo "self-test: the unchanged run could not be judged (status $a)"; result=2 ;; esac
  flagged=$(grep -A1 '"name": "SigchldBenchmark.sigchld:children=[0-9]*,watcher=safe[^"]*"' "$RUN_DIR/slowed/gate.json" 2> /dev/null \
             | grep -B1 '"verdict": "regression"' | grep -o 'SigchldBenchmark[^"]*' | tr '\n' ' ' || true)
  case $b in
    1) if [ -n "$flagged" ]; then echo "self-test: the injected 25% slowdown was flagged as a regression of $flagged"
       elif [ "$a" = 1 ]; then :   # already a failure
       else echo "self-test: FAILED: a regression, but not of Safe's figures"; result=1; fi ;;
    3) echo "self-test: the injected 25% slowdown was inconclusive: no power on this machine at this load"
       [ $result = 0 ] && result=3 ;;
    0) if [ -n "$delivered" ] && awk -v d="$delivered" -v t="$TARGET" -v e="$TOLERANCE" 'BEGIN { exit !(d < t - e) }'; then
         echo "self-test: the slowed run passed, but the slowdown delivered was only $delivered: the seam, not the gate, fell short"
         [ $result = 0 ] && result=3
       else echo "self-test: FAILED: the injected 25% slowdown passed: the gate is blind to it"; result=1; fi ;;
    *) echo "self-test: the slowed run could not be judged (status $b)"; [ $result = 0 ] && result=2 ;;
  esac
  if [ -n "$delivered" ] && [ "$(value within "$RUN_DIR/slowed/slowdown.txt")" != true ]; then
    echo "self-test: note: the slowdown delivered ($delivered) was not 25% +- 3 points: this run says little about the gate's power"
  fi
  { echo "unchanged: status $a"; echo "slowed: status $b, $extra ns per waitpid"; echo "delivered: ${delivered_line:-?}"; } > "$RUN_DIR/self-test.txt"
  step "self-test: $(case $result in 0) echo passed ;; 1) echo FAILED ;; 3) echo inconclusive ;; *) echo error ;; esac)" \
       "(status $result): $RUN_DIR/{unchanged,slowed}/gate.md, $RUN_DIR/self-test.txt"
  exit $result
fi

# ================================ report runs ================================================================
cc -O2 -Wall -o "$CTOOL" benchmarks/src/main/c/watcher_limit.c
mkdir -p "$RUN_DIR/jmh"

# jmh NAME REGEX ARGS...: one JMH run (one fork per benchmark and parameter set), results in RUN_DIR/jmh/NAME.json
jmh() {
  local name=$1 regex=$2
  local -a append
  shift 2
  step "JMH $name (JMH prints its progress and time left every 20 s)"
  mapfile -t append < <(jvm_append)
  with_progress "$RUN_DIR/jmh/$name.log" jmh java "${JAVA_FLAGS[@]}" -jar "$JAR" "$regex" -f 1 -foe true "${append[@]}" "$@" \
    -rf json -rff "$RUN_DIR/jmh/$name.json" || {
    echo "run-bench.sh: JMH $name failed; the end of $RUN_DIR/jmh/$name.log:" >&2
    tail -40 "$RUN_DIR/jmh/$name.log" >&2
    exit 2
  }
  grep -E '^(Benchmark|[A-Z][A-Za-z]+Benchmark\.)' "$RUN_DIR/jmh/$name.log" | grep -v ':p[01]\.' || true
}

jmh sigchld  'SigchldBenchmark\.sigchld$'          -p "children=$SIGCHLD_N" "${JMH_SIGCHLD[@]}"
jmh latency  'ExitLatencyBenchmark\.exitLatency$'  -p "children=$LATENCY_N" "${JMH_TIMED[@]}"
jmh drain    'DrainBenchmark\.drain$'              -p "children=$DRAIN_N"   "${JMH_DRAIN[@]}"
jmh spawn    'SpawnBenchmark\.'                    "${JMH_TIMED[@]}"
jmh loop     'LoopBenchmark\.'                     "${JMH_TIMED[@]}"
java "${JAVA_FLAGS[@]}" -cp "$JAR" org.asyncio4j.benchmarks.report.JmhMerge "$RUN_DIR/jmh-result.json" "$RUN_DIR"/jmh/{sigchld,latency,drain,spawn,loop}.json

to_files() { local out=$1 err=$2; shift 2; "$@" > "$out" 2> "$err"; }   # to_files OUT ERR CMD...
C_GUESS=$(( ${#SIGCHLD_N} > 12 ? 40 : 10 ))
step "C limit: $CTOOL ${SIGCHLD_N//,/ } (about $C_GUESS s)"
# shellcheck disable=SC2046
with_progress /dev/null "$C_GUESS" to_files "$RUN_DIR/c-limit.json" "$RUN_DIR/c-limit.log" \
  "$CTOOL" "${C_OPTS[@]}" $(tr , ' ' <<< "$SIGCHLD_N") || {
  echo "run-bench.sh: the C tool failed:" >&2; tail -20 "$RUN_DIR/c-limit.log" >&2; exit 2; }

PY=
for candidate in python3 python3.13 python3.12 python3.11 python3.10; do
  if command -v "$candidate" > /dev/null &&
     "$candidate" -c 'import asyncio, sys; sys.exit(0 if hasattr(asyncio, "SafeChildWatcher") else 1)' 2> /dev/null; then
    PY=$candidate
    break
  fi
done
if [ -n "$PY" ]; then
  PY_GUESS=60; [ "$PROFILE" = quick ] && PY_GUESS=20; [ "$PROFILE" = full ] && PY_GUESS=150
  step "CPython: $PY ($("$PY" --version 2>&1)) cpython_watchers.py (about $(mmss "$PY_GUESS"))"
  with_progress /dev/null "$PY_GUESS" to_files "$RUN_DIR/cpython.json" "$RUN_DIR/cpython.log" \
    "$PY" benchmarks/src/main/python/cpython_watchers.py "${PY_OPTS[@]}" --ns "$SIGCHLD_N" \
    --latency-ns "$(fit "$PY_LATENCY_N" 1 cpython_watchers.py)" || {
    echo "run-bench.sh: the CPython script failed:" >&2; tail -20 "$RUN_DIR/cpython.log" >&2; exit 2; }
else
  step "CPython: skipped"
  echo "run-bench.sh: no python3 with asyncio.SafeChildWatcher (removed in 3.14): CPython figures skipped"
  printf '{"tool":"cpython","skipped":"no python3 with asyncio.SafeChildWatcher on PATH (3.13 or older needed)"}\n' \
    > "$RUN_DIR/cpython.json"
fi

step "reports"
write_run_info "no (a report run; the gate is --gate)"
java "${JAVA_FLAGS[@]}" -cp "$JAR" org.asyncio4j.benchmarks.report.Reports --jmh "$RUN_DIR/jmh-result.json" \
  --c "$RUN_DIR/c-limit.json" --cpython "$RUN_DIR/cpython.json" --run-info "$RUN_DIR/run-info.txt" --out "$RUN_DIR" \
  || die "the report generator failed"

if [ "$UPDATE_BASELINE" = 1 ]; then
  if [ "$PROFILE" = quick ]; then
    echo "run-bench.sh: --update-baseline ignored: the smoke profile's figures are not a reference" >&2
  else
    rm -f reports/*.svg reports/*.png   # plots of an older layout must not outlive their data
    cp "$RUN_DIR"/{summary.md,run-info.txt,jmh-result.json,c-limit.json,cpython.json} reports/
    cp "$RUN_DIR"/*.svg reports/
    echo "run-bench.sh: the committed reports in reports/ now hold this run (load average before $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg))"
  fi
fi
step "done in $(( $(date +%s) - START )) s: $RUN_DIR/summary.md, the SVG plots and raw results beside it"
if [ "$PROFILE" = quick ]; then
  echo "(smoke profile: the figures only show that every benchmark runs; not for comparison)"
fi
exit 0
}
