#!/usr/bin/env bash
#: usage: benchmarks/run-ab.sh [--forks N] [--threshold PCT] [--metric NAME] [--out DIR]
#:                              [--base-jvm ARGS] [--candidate-jvm ARGS] BASE CANDIDATE REGEX [-- JMH_OPTION...]
#:
#: An A/B comparison of any JMH benchmarks between two builds, in one run: forks of BASE and CANDIDATE
#: interleaved (base, candidate, candidate, base, ...), then judged by the gate's own judge
#: (org.asyncio4j.benchmarks.gate.Gate: per figure, the Hodges-Lehmann ratio candidate/base of the fork
#: scores with its exact Mann-Whitney 95% interval). Use it for one figure the gate's fixed profiles do not
#: isolate, e.g. the cost of a single check on LoopBenchmark.callSoonDispatch.
#:   BASE, CANDIDATE  each a benchmarks jar, or a git ref (built once from `git archive` into
#:                    benchmarks/target/ab-base/SHA), or "." for the working tree (built now)
#:   REGEX            the JMH benchmark selector, e.g. 'LoopBenchmark\.callSoonDispatch$'
#:   --forks N        forks per side (default 8; each side's slowest fork is set aside from 5 up)
#:   --threshold PCT  the slowdown the verdict is judged against (default 2)
#:   --metric NAME    also judge the secondary metric NAME where a benchmark reports it (threadCpuNanos: the
#:                    thread's CPU time per operation, which waiting for a core does not inflate; run the
#:                    benchmarks with -bm avgt then, so that lower is better for both figures); the wall-time
#:                    verdict goes to DIR/wall/, this one to DIR/ and decides the exit status
#:   --base-jvm ARGS, --candidate-jvm ARGS
#:                    JVM options for that side's forks only (appended with -jvmArgsAppend), so that ONE jar can
#:                    be measured two ways: e.g. BASE and CANDIDATE the same jar, --base-jvm
#:                    -Dorg.asyncio4j.signals=jvm (the JVM's signal dispatch against the native path)
#:   --out DIR        where the forks' JSON and logs and the judge's gate.md go (default
#:                    benchmarks/target/ab/<UTC time>)
#:   -- OPTION...     passed to JMH for every fork (e.g. -wi 3 -w 1s -i 5 -r 1s; default: the class's own)
#: Exit status: the judge's (0 within the threshold, 1 slower beyond it, 3 inconclusive), 2 on an error.
#: Passes -Djmh.ignoreLock=true: run one at a time. Prints the load average before and after.
{ # read whole before it runs: editing this file cannot upset a run in progress (it ends with "exit; }")
set -euo pipefail
cd "$(dirname "$0")/.."

FORKS=8
THRESHOLD=2
METRIC=
OUT=
JMH_EXTRA=()
POS=()
BASE_JVM=
CAND_JVM=
while [ $# -gt 0 ]; do
  case "$1" in
    --forks) FORKS=$2; shift ;;
    --threshold) THRESHOLD=$2; shift ;;
    --metric) METRIC=$2; shift ;;
    --out) OUT=$2; shift ;;
    --base-jvm) BASE_JVM=$2; shift ;;
    --candidate-jvm) CAND_JVM=$2; shift ;;
    -h|--help) sed -n 's/^#: \{0,1\}//p' "$0"; exit 0 ;;
    --) shift; JMH_EXTRA=("$@"); break ;;
    *) POS+=("$1") ;;
  esac
  shift
done
[ ${#POS[@]} -eq 3 ] || { echo "run-ab.sh: need BASE CANDIDATE REGEX (try --help)" >&2; exit 2; }
[[ "$FORKS" =~ ^[0-9]+$ ]] && (( FORKS >= 3 )) || { echo "run-ab.sh: --forks must be 3 or more" >&2; exit 2; }
OUT=${OUT:-benchmarks/target/ab/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT/forks"

MVNW=$PWD/mvnw
BUILT=benchmarks/target/benchmarks.jar
# jar_of SPEC SIDE: a jar path for SPEC (a jar, a git ref, or "." for the working tree), copied into OUT
jar_of() {
  local spec=$1 side=$2 src
  if [ -f "$spec" ]; then
    src=$spec
  elif [ "$spec" = . ]; then
    "$MVNW" -B -q ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests > "$OUT/build-$side.log" 2>&1 \
      || { echo "run-ab.sh: the working tree does not build; see $OUT/build-$side.log" >&2; exit 2; }
    src=$BUILT
  else
    local sha dir
    sha=$(git rev-parse --verify --quiet "$spec^{commit}") || { echo "run-ab.sh: '$spec' is no jar and no commit" >&2; exit 2; }
    dir=benchmarks/target/ab-base/$sha
    if [ ! -f "$dir/$BUILT" ]; then
      rm -rf "$dir" && mkdir -p "$dir"
      git archive "$sha" | tar -x -C "$dir"
      (cd "$dir" && "$MVNW" -B -q ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests) > "$OUT/build-$side.log" 2>&1 \
        || { echo "run-ab.sh: $spec does not build; see $OUT/build-$side.log" >&2; exit 2; }
    fi
    src=$dir/$BUILT
  fi
  cp "$src" "$OUT/$side.jar"   # this run's own copy: a build meanwhile cannot change what it measures
  echo "$OUT/$side.jar"
}
BASE_JAR=$(jar_of "${POS[0]}" base)
CAND_JAR=$(jar_of "${POS[1]}" candidate)
REGEX=${POS[2]}

major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
flags=(-Djmh.ignoreLock=true)
forkArgs=
if (( ${major%%.*} >= 23 )); then
  flags+=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
  forkArgs="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
fi
# fork_of SIDE: the -jvmArgsAppend option for SIDE's forks (JMH takes one), or nothing
fork_of() {
  local extra=$BASE_JVM
  [ "$1" = candidate ] && extra=$CAND_JVM
  local all="$forkArgs${forkArgs:+${extra:+ }}$extra"
  fork=()
  [ -n "$all" ] && fork=(-jvmArgsAppend "$all")
  return 0
}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
SIDES="${POS[0]}${BASE_JVM:+ ($BASE_JVM)} against ${POS[1]}${CAND_JVM:+ ($CAND_JVM)}"
echo "run-ab.sh: $SIDES, '$REGEX', $FORKS forks a side; load average before: $LOAD_BEFORE"
for (( r = 1; r <= FORKS; r++ )); do
  if (( r % 2 )); then order=(base candidate); else order=(candidate base); fi
  for side in "${order[@]}"; do
    jar=$BASE_JAR
    [ "$side" = candidate ] && jar=$CAND_JAR
    fork_of "$side"
    for attempt in 1 2; do   # a second try: on a shared machine a fork can be killed from outside
      if java "${flags[@]}" -jar "$jar" "$REGEX" -f 1 -foe true "${fork[@]}" "${JMH_EXTRA[@]}" \
          -rf json -rff "$OUT/forks/$side-$r.json" > "$OUT/forks/$side-$r.log" 2>&1; then
        break
      fi
      (( attempt == 1 )) && { echo "   JMH failed ($side, round $r); trying it once more" >&2; continue; }
      echo "run-ab.sh: JMH failed twice ($side, round $r); see $OUT/forks/$side-$r.log" >&2
      exit 2
    done
  done
  echo "   round $r/$FORKS done; load average $(cut -d' ' -f1 /proc/loadavg)"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
TITLE="run-ab.sh: ${POS[0]}${BASE_JVM:+ ($BASE_JVM)} (base) against ${POS[1]}${CAND_JVM:+ ($CAND_JVM)} (candidate), '$REGEX', $FORKS forks a side interleaved; load average before $LOAD_BEFORE, after $LOAD_AFTER"
judge() {   # judge DIR [--metric NAME]
  local dir=$1
  shift
  java "${flags[@]}" -cp "$CAND_JAR" org.asyncio4j.benchmarks.gate.Gate --out "$dir" "$@" \
      --threshold "$(awk -v t="$THRESHOLD" 'BEGIN { print t / 100 }')" --title "$TITLE" \
      --base "$OUT"/forks/base-*.json --candidate "$OUT"/forks/candidate-*.json
}
status=0
if [ -n "$METRIC" ]; then
  echo "run-ab.sh: wall time:"
  judge "$OUT/wall" || true
  echo "run-ab.sh: $METRIC where reported, else wall time:"
  judge "$OUT" --metric "$METRIC" || status=$?
else
  judge "$OUT" || status=$?
fi
echo "run-ab.sh: load average after: $LOAD_AFTER; verdict (status $status) in $OUT/gate.md"
exit $status; }
