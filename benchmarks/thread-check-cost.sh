#!/usr/bin/env bash
#: usage: benchmarks/thread-check-cost.sh [REF] [--forks N] [-- JMH_OPTION...]
#:
#: What the loop's thread check costs (issue 13: at most 2% of callSoon dispatch). callSoon, callLater and
#: callAt refuse a call from a thread other than the running loop's, always (BaseEventLoop.checkSchedulable,
#: the closed check and the thread check in one read). This builds REF (default HEAD) twice from `git
#: archive`: as it is (the candidate) and with callSoon and callAt checking only that the loop is open (the
#: base), then runs LoopBenchmark's callSoonDispatch
#: (the issue's figure: callSoon from outside a running loop, then the run) and callSoonChain (callSoon from
#: the loop's own callbacks, the comparison with the running thread taken) with benchmarks/run-ab.sh: forks
#: interleaved, the ratio candidate/base with its Mann-Whitney 95% interval, judged against +2%, on the
#: thread's CPU time per callback (threadCpuNanos, which waiting for a core does not inflate; in
#: gate.md) and on wall time per callback (in wall/gate.md).
#:   REF            the commit to measure (default HEAD)
#:   --forks N      forks per side (default 12)
#:   --instructions count instructions instead of timing (needs valgrind): each build runs CallSoonRounds
#:                  (callSoonDispatch's body) for 10 and for 30 rounds of 200,000 callbacks under
#:                  `valgrind --tool=callgrind`, -Xbatch and the serial GC, twice; the difference of the two
#:                  lengths over the extra 4,000,000 callbacks is the instructions per callback, the same
#:                  whatever the load (repeats agree within 0.3%). Prints both builds' figures and the added
#:                  share; exit 0 at most 2% more instructions, 1 more. An instruction is not a cycle: the
#:                  check's load, compare and well-predicted branch cost at most what they count. ~8 minutes.
#:   -- OPTION...   JMH options per fork (default -bm avgt -tu ns -wi 3 -w 500ms -i 15 -r 200ms)
#: About 5 minutes with 12 forks a side on 2 cores. Results in benchmarks/target/ab/thread-check-<time>/.
#: Exit status as run-ab.sh's: 0 the check costs at most 2%, 1 more, 3 the machine too noisy to tell.
{ # read whole before it runs: editing this file cannot upset a run in progress (it ends with "exit; }")
set -euo pipefail
cd "$(dirname "$0")/.."

REF=HEAD
FORKS=12
INSTRUCTIONS=false
JMH=(-bm avgt -tu ns -wi 3 -w 500ms -i 15 -r 200ms)
while [ $# -gt 0 ]; do
  case "$1" in
    --forks) FORKS=$2; shift ;;
    --instructions) INSTRUCTIONS=true ;;
    -h|--help) sed -n 's/^#: \{0,1\}//p' "$0"; exit 0 ;;
    --) shift; JMH=("$@"); break ;;
    *) REF=$1 ;;
  esac
  shift
done
SHA=$(git rev-parse --verify --quiet "$REF^{commit}") || { echo "thread-check-cost.sh: '$REF' is not a commit" >&2; exit 2; }
WORK=benchmarks/target/thread-check/$SHA
LOOP=impl/src/main/java/org/asyncio4j/base/BaseEventLoop.java
BUILT=benchmarks/target/benchmarks.jar
MVNW=$PWD/mvnw
mkdir -p "$WORK"
for side in with without; do
  dir=$WORK/$side
  [ -f "$dir/$BUILT" ] && continue
  rm -rf "$dir" && mkdir -p "$dir"
  git archive "$SHA" | tar -x -C "$dir"
  if [ "$side" = without ]; then
    # only the scheduling methods' check: callSoon and callAt (callLater goes through callAt) keep the
    # closed check alone, which checkSchedulable() folds the thread check into
    sed -i -e '/public Handle callSoon(Runnable callback)/,/^    }/s/^\( *\)checkSchedulable();$/\1checkClosed();/' \
           -e '/public TimerHandle callAt(double when, Runnable callback)/,/^    }/s/^\( *\)checkSchedulable();$/\1checkClosed();/' "$dir/$LOOP"
    replaced=$(grep -c '^ *checkSchedulable();$' "$dir/$LOOP" || true)
    (( replaced == 0 )) || { echo "thread-check-cost.sh: expected to replace the check in callSoon and callAt" \
        "in $LOOP, $replaced left; has the code moved?" >&2; rm -rf "$dir"; exit 2; }
  fi
  echo "thread-check-cost.sh: building $REF ($side the check) in $dir"
  (cd "$dir" && "$MVNW" -B -q ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests) > "$WORK/build-$side.log" 2>&1 \
    || { echo "thread-check-cost.sh: the build failed; see $WORK/build-$side.log" >&2; rm -rf "$dir"; exit 2; }
done
if $INSTRUCTIONS; then
  command -v valgrind > /dev/null || { echo "thread-check-cost.sh: --instructions needs valgrind" >&2; exit 2; }
  OUT=benchmarks/target/ab/thread-check-instructions-$(date -u +%Y%m%dT%H%M%SZ)
  mkdir -p "$OUT"
  # instructions <side> <rounds> <repeat>: callgrind's total for one run
  instructions() {
    nice valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.$1.$2.$3" --smc-check=all-non-file \
      java -Xbatch -XX:CICompilerCount=2 -XX:-UsePerfData -XX:+UseSerialGC -Xms256m -Xmx256m \
      -cp "$WORK/$1/$BUILT" org.asyncio4j.benchmarks.CallSoonRounds "$2" 2> "$OUT/valgrind.$1.$2.$3.log" \
      || { echo "thread-check-cost.sh: valgrind failed; see $OUT/valgrind.$1.$2.$3.log" >&2; exit 2; }
    sed -n 's/.*I *refs: *//p' "$OUT/valgrind.$1.$2.$3.log" | tr -d ,
  }
  { echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    for repeat in 1 2; do
      for side in without with; do
        short=$(instructions $side 10 $repeat); long=$(instructions $side 30 $repeat)
        echo "$side $repeat $short $long"
      done
    done
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"; } | tee "$OUT/counts.txt"
  exec awk -v out="$OUT" '
    $1 == "without" || $1 == "with" { per[$1] += ($4 - $3) / 4000000; n[$1]++ }
    END {
      base = per["without"] / n["without"]; cand = per["with"] / n["with"]
      printf "instructions per dispatched callback: %.2f without the check, %.2f with it: +%.2f (%+.2f%%)\n", \
        base, cand, cand - base, 100 * (cand / base - 1)
      print (cand / base <= 1.02 ? "pass: at most 2% more instructions" : "more than 2% more instructions") > "/dev/stderr"
      exit cand / base <= 1.02 ? 0 : 1
    }' "$OUT/counts.txt"
fi
exec benchmarks/run-ab.sh --forks "$FORKS" --threshold 2 --metric threadCpuNanos --out "benchmarks/target/ab/thread-check-$(date -u +%Y%m%dT%H%M%SZ)" \
  "$WORK/without/$BUILT" "$WORK/with/$BUILT" 'LoopBenchmark\.(callSoonDispatch|callSoonChain)$' -- "${JMH[@]}"
}
