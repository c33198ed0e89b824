#!/usr/bin/env bash
# Wake-up latency of a PRIO_HIGHEST pirt thread against rt-tests' cyclictest, on this
# machine, with several JVM flag sets, in three phases: idle; loaded (stress-ng --cpu NCPU);
# loaded-alloc (the same, and a second pirt thread allocating 20 MB/s in the pirt runs).
#
#   realtime-bench/compare.sh            # full: 3 runs of 10 s per configuration and phase (~15 min)
#   realtime-bench/compare.sh --quick    # smoke test: 1 run of 2 s each (~2 min)
#   realtime-bench/compare.sh --only periodic   # the configurations whose name matches, and their references
#
# Options: --quick, --runs N, --seconds S (per run), --interval-us US, --java PATH (a JDK >= 21's
# java; default: $JAVA_HOME, else the newest under /usr/lib/jvm, else java on the PATH),
# --skip-build (use the jar already in realtime-bench/target), --only REGEX (the configurations whose
# name matches the extended regular expression, with the references their ratios are taken against).
#
# Needs root (SCHED_FIFO for both tools, /dev/cpu_dma_latency, apt-get for rt-tests and
# stress-ng when they are missing). Writes under realtime-bench/target/compare/:
#   comparison.md        the machine, the tools' versions and the Markdown tables (also printed)
#   latency-PHASE.png    latency histograms of the median runs, one series per configuration
#   results.txt          one key=value line per run; configs.tsv: what each configuration ran
#   runs/                each run's output and histogram (.hgrm percentiles, .hlog HdrHistogram log)
# See realtime-bench/README.md for how to read them.
#
# Exit codes: 0 measured and reported; 1 a step failed (build, install; or some runs failed:
# the report is written with the others and lists them); 2 usage.
set -euo pipefail

usage() { sed -n '2,/^# Exit codes/p' "$0" | sed 's/^# \{0,1\}//'; }

RUNS=3
SECONDS_PER_RUN=10
INTERVAL_US=1000
JAVA_BIN=""
BUILD=1
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) RUNS=1; SECONDS_PER_RUN=2 ;;
    --runs) RUNS="${2:?--runs needs a number}"; shift ;;
    --seconds) SECONDS_PER_RUN="${2:?--seconds needs a number}"; shift ;;
    --interval-us) INTERVAL_US="${2:?--interval-us needs a number}"; shift ;;
    --java) JAVA_BIN="${2:?--java needs a path}"; shift ;;
    --skip-build) BUILD=0 ;;
    --only) ONLY="${2:?--only needs a regular expression}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
for n in "$RUNS" "$SECONDS_PER_RUN" "$INTERVAL_US"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: $n is not a whole number > 0" >&2; exit 2; }
done

if [ "$(id -u)" -ne 0 ]; then
  echo "compare.sh: run it as root: both tools need SCHED_FIFO and /dev/cpu_dma_latency, and apt-get may be needed" >&2
  exit 1
fi

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
OUT="$BENCH_DIR/target/compare"
JAR="$BENCH_DIR/target/realtime-bench.jar"
NCPU="$(nproc)"
PIN_CPU=$((NCPU - 1))          # the last CPU: where a board's real-time work would be pinned
FIFO_PRIO=40                   # pirt's PRIO_HIGHEST in RealtimeConfig.DEFAULT_FIFO_PRIORITIES
LOOPS=$((SECONDS_PER_RUN * 1000000 / INTERVAL_US))
WARMUP_LOOPS=$((500000 / INTERVAL_US))    # pirt only: 0.5 s, not recorded
ALLOC_MB_PER_S=20              # phase loaded-alloc: garbage a PRIO_NORMAL pirt thread makes meanwhile
HIST_LIMIT_US=20000            # cyclictest -h: buckets up to 20 ms, beyond counted as overflows
HEAP=256m

# --- a JDK >= 21 --------------------------------------------------------------------------
java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
is_jdk21() { [ -x "$1" ] && m="$(java_major "$1")" && [ -n "$m" ] && [ "$m" -ge 21 ]; }
if [ -z "$JAVA_BIN" ]; then
  if [ -n "${JAVA_HOME:-}" ] && is_jdk21 "$JAVA_HOME/bin/java"; then
    JAVA_BIN="$JAVA_HOME/bin/java"
  else
    best=0
    for candidate in /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
      if is_jdk21 "$candidate" && [ "$(java_major "$candidate")" -gt "$best" ]; then
        JAVA_BIN="$candidate"; best="$(java_major "$candidate")"
      fi
    done
  fi
fi
if [ -z "$JAVA_BIN" ] || ! is_jdk21 "$JAVA_BIN"; then
  echo "compare.sh: no java >= 21 found (JAVA_HOME, /usr/lib/jvm, PATH); give one with --java PATH" >&2
  exit 1
fi

# --- build ---------------------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
  echo "== building realtime-bench (mvn -q -Pbench -pl realtime-bench -am package -DskipTests)"
  (cd "$ROOT" && mvn -q -Pbench -pl realtime-bench -am package -DskipTests) || { echo "compare.sh: the build failed" >&2; exit 1; }
fi
[ -f "$JAR" ] || { echo "compare.sh: $JAR is missing: build without --skip-build" >&2; exit 1; }

# --- tools ---------------------------------------------------------------------------------
missing=()
command -v cyclictest >/dev/null || missing+=(rt-tests)
command -v stress-ng >/dev/null || missing+=(stress-ng)
command -v fc-list >/dev/null || missing+=(fontconfig fonts-dejavu-core)   # text in the PNG charts
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
    echo "compare.sh: apt-get install ${missing[*]} failed" >&2
    exit 1
  fi
fi

rm -rf "$OUT"
mkdir -p "$OUT/runs"
RESULTS="$OUT/results.txt"
CONFIGS="$OUT/configs.tsv"
: > "$RESULTS"

# --- configurations ------------------------------------------------------------------------
# name, reference (whose p99 and max the ratios divide by; - for a reference), phases it runs in,
# description, command. pirt commands get --loops --interval-us --warmup-loops --priority-level 7
# --histogram-out (and --alloc-mb-per-s in phase loaded-alloc) appended.
NAMES=(); REFS=(); PHASES_OF=(); DESCS=(); CMDS=()
add() { NAMES+=("$1"); REFS+=("$2"); PHASES_OF+=("$3"); DESCS+=("$4"); CMDS+=("$5"); }
ALL="idle loaded loaded-alloc"
CT="cyclictest -m -p $FIFO_PRIO -i $INTERVAL_US -l $LOOPS -q -h $HIST_LIMIT_US"
J="$JAVA_BIN"
FIXED="-Xms$HEAP -Xmx$HEAP -XX:+AlwaysPreTouch"
ZGC="-XX:+UseZGC $FIXED"
add cyclictest "-" "$ALL" "\`$CT\` (SCHED_FIFO $FIFO_PRIO, memory locked, not pinned)" "$CT"
add pirt-default cyclictest "$ALL" "JVM defaults (G1, heap sized by the JVM), no pinning, memory not locked" "$J -jar $JAR"
add pirt-g1-fixed cyclictest "loaded-alloc" "\`-XX:+UseG1GC $FIXED\`" "$J -XX:+UseG1GC $FIXED -jar $JAR"
add pirt-serial-fixed cyclictest "loaded loaded-alloc" "\`-XX:+UseSerialGC $FIXED\`" "$J -XX:+UseSerialGC $FIXED -jar $JAR"
add pirt-zgc-fixed cyclictest "$ALL" "\`$ZGC\` (generational ZGC, the only ZGC of JDK 24+)" "$J $ZGC -jar $JAR"
add pirt-zgc-fixed-chrt cyclictest "$ALL" \
  "as pirt-zgc-fixed, but the whole JVM at SCHED_FIFO $FIFO_PRIO (\`chrt -f $FIFO_PRIO java ...\`): GC and JIT threads too" \
  "chrt -f $FIFO_PRIO $J $ZGC -jar $JAR"
add pirt-periodic-zgc-fixed cyclictest "$ALL" \
  "as pirt-zgc-fixed, sleeping with pirt's \`Periodic\` (\`clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)\`, as cyclictest) instead of parkNanos" \
  "$J $ZGC -jar $JAR --periodic"
if [ "$NCPU" -ge 2 ]; then
  add "cyclictest-cpu$PIN_CPU" "-" "$ALL" "\`$CT -a $PIN_CPU\` (pinned to CPU $PIN_CPU)" "$CT -a $PIN_CPU"
  add "pirt-zgc-fixed-cpu$PIN_CPU-mlock" "cyclictest-cpu$PIN_CPU" "$ALL" \
    "as pirt-zgc-fixed, the real-time thread pinned to CPU $PIN_CPU (\`--cpu $PIN_CPU\`), memory locked (\`--lock-memory\`, mlockall)" \
    "$J $ZGC -jar $JAR --cpu $PIN_CPU --lock-memory"
  add "pirt-periodic-zgc-fixed-cpu$PIN_CPU-mlock" "cyclictest-cpu$PIN_CPU" "$ALL" \
    "as pirt-zgc-fixed-cpu$PIN_CPU-mlock, sleeping with pirt's \`Periodic\`" \
    "$J $ZGC -jar $JAR --cpu $PIN_CPU --lock-memory --periodic"
fi
if [ -n "$ONLY" ]; then # keep the matching configurations and the references they are measured against
  keep=()
  for i in "${!NAMES[@]}"; do
    if [[ "${NAMES[$i]}" =~ $ONLY ]]; then
      keep+=("${NAMES[$i]}")
      [ "${REFS[$i]}" != "-" ] && keep+=("${REFS[$i]}")
    fi
  done
  [ "${#keep[@]}" -gt 0 ] || { echo "compare.sh: no configuration matches --only $ONLY" >&2; exit 2; }
  N=(); R=(); P=(); D=(); C=()
  for i in "${!NAMES[@]}"; do
    if [[ " ${keep[*]} " == *" ${NAMES[$i]} "* ]]; then
      N+=("${NAMES[$i]}"); R+=("${REFS[$i]}"); P+=("${PHASES_OF[$i]}"); D+=("${DESCS[$i]}"); C+=("${CMDS[$i]}")
    fi
  done
  NAMES=("${N[@]}"); REFS=("${R[@]}"); PHASES_OF=("${P[@]}"); DESCS=("${D[@]}"); CMDS=("${C[@]}")
fi
for i in "${!NAMES[@]}"; do printf '%s\t%s\t%s\n' "${NAMES[$i]}" "${REFS[$i]}" "${DESCS[$i]}" >> "$CONFIGS"; done

# --- the machine, as it is now ---------------------------------------------------------------
preempt_mode() { # what a PREEMPT_DYNAMIC kernel runs as (none / voluntary / full / lazy), where it can be seen
  local built dynamic=""
  built="$(uname -v | grep -o 'PREEMPT[_A-Z]*' | head -1 || true)"
  if [ -r /sys/kernel/debug/sched/preempt ]; then dynamic="$(cat /sys/kernel/debug/sched/preempt)"
  else dynamic="$(dmesg 2>/dev/null | grep -o -m1 'Dynamic Preempt: .*' || true)"
  fi
  echo "${built:-no PREEMPT in uname -v}${dynamic:+ ($dynamic)}"
}
cpu_ticks() { awk '/^cpu / {t = 0; for (i = 2; i <= NF; i++) t += $i; print t, $9}' /proc/stat; } # total, steal
read -r TICKS_BEFORE STEAL_BEFORE < <(cpu_ticks)
oom_kills() { dmesg 2>/dev/null | grep -c 'Out of memory: Killed' || true; }
OOM_BEFORE="$(oom_kills)"
REPORT="$OUT/comparison.md"
{
  echo "# pirt wake-up latency against cyclictest"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(uname -m), $NCPU CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), kernel $(uname -r) $(uname -v | grep -o 'PREEMPT[_A-Z]*' | head -1), /sys/kernel/realtime: $(cat /sys/kernel/realtime 2>/dev/null || echo absent)"
  echo "- kernel preemption: $(preempt_mode); RT throttling: sched_rt_runtime_us=$(cat /proc/sys/kernel/sched_rt_runtime_us) of $(cat /proc/sys/kernel/sched_rt_period_us)"
  echo "- java: $JAVA_BIN: $("$JAVA_BIN" -version 2>&1 | sed -n 2p)"
  echo "- ZGC: $("$JAVA_BIN" -XX:+UseZGC -XX:+ZGenerational -version 2>&1 | grep -i -m1 'zgenerational' || echo 'ZGenerational accepted')"
  echo "- cyclictest: $(cyclictest --help 2>&1 | head -1); stress-ng: $(stress-ng --version 2>&1 | head -1)"
  echo "- each run: $LOOPS wake-ups every $INTERVAL_US µs ($SECONDS_PER_RUN s; pirt: $WARMUP_LOOPS more before, not recorded), $RUNS runs per configuration and phase, interleaved"
  echo "- phases: idle (nothing of ours besides the run); loaded: \`stress-ng --cpu $NCPU\` (SCHED_OTHER) meanwhile;" \
    "loaded-alloc: the same, and in pirt runs a PRIO_NORMAL (SCHED_FIFO 25) pirt thread allocating $ALLOC_MB_PER_S MB/s of 1 KiB arrays, the latest 16 MB kept reachable (cyclictest runs as in loaded)"
  echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg); busiest other processes: $(ps -eo pcpu=,comm= --sort=-pcpu | head -4 | awk '{printf "%s %s%%; ", $2, $1}')"
  echo "- memory available before: $(awk '/MemAvailable/ {printf "%d MB", $2 / 1024}' /proc/meminfo) of $(awk '/MemTotal/ {printf "%d MB", $2 / 1024}' /proc/meminfo)"
} > "$REPORT"

# --- runs ----------------------------------------------------------------------------------
STRESS_PID=""
stop_stress() {
  if [ -n "$STRESS_PID" ]; then
    kill "$STRESS_PID" 2>/dev/null || true
    wait "$STRESS_PID" 2>/dev/null || true
    STRESS_PID=""
  fi
}
trap stop_stress EXIT

PHASES=(idle loaded loaded-alloc)
TOTAL=0
for phase in "${PHASES[@]}"; do
  for i in "${!NAMES[@]}"; do
    if [[ " ${PHASES_OF[$i]} " == *" $phase "* ]]; then TOTAL=$((TOTAL + RUNS)); fi
  done
done
DONE=0
FAILED=()
RUN_TIMEOUT=$((SECONDS_PER_RUN * 3 + 60))
run_one() { # phase config-index rep
  local phase="$1" i="$2" rep="$3"
  local name="${NAMES[$i]}" cmd="${CMDS[$i]}"
  local prefix="$OUT/runs/$phase-$name-r$rep"
  local result extra=()
  if [ "$phase" = loaded-alloc ]; then extra=(--alloc-mb-per-s "$ALLOC_MB_PER_S"); fi
  local rc=0
  DONE=$((DONE + 1))
  if [[ "$name" == cyclictest* ]]; then
    # shellcheck disable=SC2086
    timeout "$RUN_TIMEOUT" $cmd > "$prefix.out" 2> "$prefix.err" || rc=$?
    if [ "$rc" = 0 ]; then
      result="$("$JAVA_BIN" -cp "$JAR" io.pirt.bench.CyclictestHistogram "$prefix.out" --histogram-out "$prefix" | grep '^RESULT ')" || rc=$?
    fi
  else
    # shellcheck disable=SC2086
    timeout "$RUN_TIMEOUT" $cmd --loops "$LOOPS" --interval-us "$INTERVAL_US" --warmup-loops "$WARMUP_LOOPS" \
      --priority-level 7 --histogram-out "$prefix" "${extra[@]}" > "$prefix.out" 2> "$prefix.err" || rc=$?
    if [ "$rc" = 0 ]; then result="$(grep '^RESULT ' "$prefix.out")" || rc=$?; fi
  fi
  if [ "$rc" != 0 ]; then
    # One failed run (a timeout on a machine in trouble, say) is reported, not fatal: the table shows the runs it has.
    local why="exit $rc"
    if [ "$rc" = 124 ]; then why="timed out after $RUN_TIMEOUT s"; fi
    FAILED+=("$phase $name run $rep ($why; see runs/$(basename "$prefix").out and .err)")
    printf '[%3d/%d] %-12s %-26s run %d: FAILED (%s), see %s.err\n' "$DONE" "$TOTAL" "$phase" "$name" "$rep" "$why" "$prefix" >&2
    return 0
  fi
  echo "phase=$phase config=$name rep=$rep ${result#RESULT } hlog=$prefix.hlog" >> "$RESULTS"
  printf '[%3d/%d] %-12s %-26s run %d: %s\n' "$DONE" "$TOTAL" "$phase" "$name" "$rep" \
    "$(echo "$result" | grep -o 'min_us=[^ ]* avg_us=[^ ]* p99_us=[^ ]* p999_us=[^ ]* max_us=[^ ]*')"
}

echo "== $TOTAL runs of ~$SECONDS_PER_RUN s; results in $OUT"
for rep in $(seq 1 "$RUNS"); do
  for phase in "${PHASES[@]}"; do
    if [ "$phase" != idle ]; then
      stress-ng --cpu "$NCPU" --quiet > "$OUT/runs/stress-ng-$phase-r$rep.log" 2>&1 &
      STRESS_PID=$!
      sleep 1   # let its workers start
    fi
    for i in "${!NAMES[@]}"; do
      if [[ " ${PHASES_OF[$i]} " == *" $phase "* ]]; then run_one "$phase" "$i" "$rep"; fi
    done
    stop_stress
  done
done

read -r TICKS_AFTER STEAL_AFTER < <(cpu_ticks)
{
  echo "- memory available after: $(awk '/MemAvailable/ {printf "%d MB", $2 / 1024}' /proc/meminfo);" \
    "out-of-memory kills on the machine during the runs: $(( $(oom_kills) - OOM_BEFORE ))"
  for f in "${FAILED[@]}"; do echo "- FAILED run: $f"; done
  echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg); CPU time stolen by the hypervisor during the runs:" \
    "$(awk -v s=$((STEAL_AFTER - STEAL_BEFORE)) -v t=$((TICKS_AFTER - TICKS_BEFORE)) 'BEGIN { printf "%.2f %%", (t > 0 ? 100 * s / t : 0) }')"
  echo
  "$JAVA_BIN" -cp "$JAR" io.pirt.bench.ComparisonReport --results "$RESULTS" --configs "$CONFIGS"
} >> "$REPORT"
"$JAVA_BIN" -cp "$JAR" io.pirt.bench.LatencyPlot --results "$RESULTS" --configs "$CONFIGS" --out-dir "$OUT" \
  --subtitle "$(uname -m), $NCPU CPUs, kernel $(uname -r); $LOOPS wake-ups every $INTERVAL_US µs; SCHED_FIFO $FIFO_PRIO" > /dev/null
echo
cat "$REPORT"
if [ ${#FAILED[@]} -gt 0 ]; then
  echo "compare.sh: ${#FAILED[@]} run(s) failed (listed at the top of $REPORT); the tables have the others" >&2
  exit 1
fi
echo
echo "== written: $REPORT and $(cd "$OUT" && echo latency-*.png) in $OUT"
