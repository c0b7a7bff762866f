#!/usr/bin/env bash
# Runs the ring round-trip benchmarks of Java (JMH, RingRoundTripBenchmark) and C (ring_bench.c,
# the <xen/io/ring.h> macros) in one run, as PAIRS of short forks (one C fork, one Java fork, next to
# each other in time), and prints a Markdown table: medians and ranges of round trips per second
# over all measured iterations of each side, the median and range of the per-pair ratios Java/C,
# and JMH's gc.alloc.rate.norm.
#
#   benchmarks/run-ring-bench.sh            # 10 pairs x (2 warm-up + 3 measured) x 1 s per side
#   PAIRS=4 ITERATIONS=3 MODES="busy inline" benchmarks/run-ring-bench.sh
#   COPY=whole benchmarks/run-ring-bench.sh   # both backends in whole mode (default: segments)
#   COPY=kept benchmarks/run-ring-bench.sh    # Java whole against C whole with its copy kept
#
# COPY is passed to both sides. segments: the Java backend copies the header, then the nr_segments
# segments it names (SlotCopy); the C backend takes RING_COPY_REQUEST into a local, checks
# nr_segments and uses the fields of exactly those segments. whole: the Java backend copies all
# 112 bytes (SlotHandler); the C backend takes RING_COPY_REQUEST and echoes id and operation (gcc
# keeps only those loads), the C behaviour of rounds 1 to 6. kept: the Java backend as in whole;
# the C backend as in whole, but an empty asm statement that takes the local copy's address makes
# gcc keep all 112 bytes of RING_COPY_REQUEST, as the Java whole handler copies them.
#
# Why pairs: in busy mode both languages are bimodal, by how the host places the two vCPUs (the
# same C fork has run 18.8 M and then 3.5 M round trips/s). Few long forks give each side a few
# placements, not necessarily the same ones; many short forks, each C fork next to a Java fork,
# with the order flipped every pair (C first in odd pairs, Java first in even ones), give both
# sides the same mix, and the ratio within a pair compares the two under (mostly) one placement.
#
# Needs JDK 25, gcc and libxen-dev. Run it on an otherwise idle machine: it prints the load first.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
# Pairs of forks per mode and depth (FORKS is the older name of the same setting).
PAIRS=${PAIRS:-${FORKS:-10}}
# What both backends do with a request: segments (read nr_segments, use those segments), whole or
# kept (see above).
COPY=${COPY:-segments}
# The Java benchmark knows segments and whole; kept is a C-side variant of whole.
JAVA_COPY=${COPY/#kept/whole}
WARMUPS=${WARMUPS:-2}
ITERATIONS=${ITERATIONS:-3}
SECONDS_PER_ITERATION=${SECONDS_PER_ITERATION:-1}
OUT=benchmarks/target/ring-bench
mkdir -p "$OUT"
rm -f "$OUT"/c-*.txt "$OUT"/jmh-*.json "$OUT"/jmh-*.log "$OUT"/load.txt

echo "# $(date -u '+%Y-%m-%d %H:%M UTC') on $(hostname): $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# backend copy: C $COPY, Java $JAVA_COPY; $PAIRS pairs x ($WARMUPS warm-up + $ITERATIONS measured) x ${SECONDS_PER_ITERATION} s per side"
echo "# load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); $(gcc --version | head -1)"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  JAVA_HOME="$JAVA_HOME" ./mvnw -B -q -pl xen-abi,xen-rings,benchmarks -am package -DskipTests -Dmaven.javadoc.skip
fi
gcc -O2 -std=gnu11 -Wall -Werror -pthread -o "$OUT/ring_bench" benchmarks/src/main/c/ring_bench.c

run_c() { # mode depth pair
  "$OUT/ring_bench" "$1" "$2" "$WARMUPS" "$ITERATIONS" "$SECONDS_PER_ITERATION" "$COPY" > "$OUT/c-$1-$2-$3.txt"
}

run_java() { # mode depth pair
  # JMH refuses to start while another JMH run on the machine holds /tmp/jmh.lock: wait for it
  # (up to 10 minutes) rather than measure side by side with it.
  for ((try = 1; ; try++)); do
    if "$JAVA_HOME/bin/java" --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
      -jar benchmarks/target/benchmarks.jar "RingRoundTripBenchmark.depth${2}\$" -p mode="$1" -p copy="$JAVA_COPY" \
      -f 1 -wi "$WARMUPS" -w "${SECONDS_PER_ITERATION}s" -i "$ITERATIONS" -r "${SECONDS_PER_ITERATION}s" \
      -prof gc -rf json -rff "$OUT/jmh-$1-$2-$3.json" > "$OUT/jmh-$1-$2-$3.log" 2>&1; then
      return
    fi
    if ((try < 120)) && grep -q "Unable to acquire the JMH lock" "$OUT/jmh-$1-$2-$3.log"; then
      echo "# $1 depth $2 pair $3: another JMH run holds the lock, waiting" >&2
      sleep 5
      continue
    fi
    tail -30 "$OUT/jmh-$1-$2-$3.log"
    exit 1
  done
}

# Pair by pair, C and Java next to each other, the order flipped every pair: on a shared or virtual
# machine the placement of the vCPUs and the speed of the link between them drift over minutes,
# and a fork that always ran second would see a different mix of them.
for mode in ${MODES:-busy event inline}; do
  for depth in 1 32; do
    for ((pair = 1; pair <= PAIRS; pair++)); do
      echo "$mode $depth $pair $(cut -d' ' -f1 /proc/loadavg)" >> "$OUT/load.txt"
      if ((pair % 2 == 1)); then
        run_c "$mode" "$depth" "$pair"
        run_java "$mode" "$depth" "$pair"
      else
        run_java "$mode" "$depth" "$pair"
        run_c "$mode" "$depth" "$pair"
      fi
    done
  done
done
echo "# load after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
# The 1-minute load average sampled before each C/Java fork pair: busy polling needs both threads on
# a CPU at once, so a load above the CPU count makes the busy rows measure the scheduler.
echo "# 1-min load before each pair: $(awk '{print $4}' "$OUT/load.txt" | sort -n | awk '{a[NR]=$1} END {print "min " a[1] ", median " a[int((NR+1)/2)] ", max " a[NR]}')"
# Allocation of the two ring threads alone, per-thread counters (JMH's figure includes its own threads).
"$JAVA_HOME/bin/java" --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
  -Dcopy="$JAVA_COPY" -cp benchmarks/target/benchmarks.jar io.xen4j.benchmarks.rings.RingAllocationCheck "${ALLOC_TRIPS:-1000000}" \
  > "$OUT/alloc.txt"

python3 - "$OUT" "${MODES:-busy event inline}" "$PAIRS" <<'PY'
import glob, json, statistics, sys
out, modes, pairs = sys.argv[1], sys.argv[2].split(), int(sys.argv[3])
def fmt(v):
    return f"{v/1e6:.2f} M" if v >= 1e6 else f"{v/1e3:.1f} k"
alloc = {}
for line in open(f"{out}/alloc.txt"):
    f = dict(w.split("=") for w in line.split()[1:])
    alloc[(f["mode"], f["depth"])] = f
print("| mode | depth | C round trips/s: median (min-max) | Java round trips/s: median (min-max) | Java/C (medians)"
      " | Java/C per pair: median (min-max) | pairs with Java ahead"
      " | JMH gc.alloc.rate.norm, B/op (max) | ring threads, bytes over N round trips |")
print("|---|---|---|---|---|---|---|---|---|")
for mode in modes:
    for depth in ("1", "32"):
        call, jall, araw, ratios = [], [], [], []
        for pair in range(1, pairs + 1):
            c = [float(l.split("ops_per_s=")[1]) for l in open(f"{out}/c-{mode}-{depth}-{pair}.txt") if "ops_per_s=" in l]
            j = json.load(open(f"{out}/jmh-{mode}-{depth}-{pair}.json"))[0]
            jr = [v for fork in j["primaryMetric"]["rawData"] for v in fork]
            gc = j["secondaryMetrics"].get("gc.alloc.rate.norm", {})
            araw += [v for fork in gc.get("rawData", []) for v in fork]
            call += c
            jall += jr
            # The ratio within one pair: the two forks ran next to each other, under (mostly) one
            # placement of the vCPUs.
            ratios.append(statistics.median(jr) / statistics.median(c))
        cm, jm = statistics.median(call), statistics.median(jall)
        ahead = sum(1 for r in ratios if r >= 1.0)
        print(f"| {mode} | {depth} | {fmt(cm)} ({fmt(min(call))}-{fmt(max(call))}) | {fmt(jm)} ({fmt(min(jall))}-{fmt(max(jall))})"
              f" | {jm/cm:.2f} | {statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f}) | {ahead} of {len(ratios)}"
              f" | {max(araw) if araw else float('nan'):.3f}"
              f" | {int(alloc[(mode, depth)]['frontBytes']) + int(alloc[(mode, depth)]['backBytes'])}"
              f" over {alloc[(mode, depth)]['roundTrips']} |")
PY
