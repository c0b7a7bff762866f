#!/usr/bin/env bash
# Runs the ring round-trip benchmarks of Java (JMH, RingRoundTripBenchmark) and C (ring_bench.c,
# the <xen/io/ring.h> macros) in one run, interleaved mode by mode, and prints a Markdown table of
# medians and ranges (round trips per second) with Java/C ratios and JMH's gc.alloc.rate.norm.
#
#   benchmarks/run-ring-bench.sh            # 3 forks x (3 warm-up + 5 measured) x 1 s, both sides
#   FORKS=1 ITERATIONS=3 MODES="busy inline" benchmarks/run-ring-bench.sh
#   COPY=whole benchmarks/run-ring-bench.sh   # Java backend copies all 112 bytes (default: segments)
#
# Needs JDK 25, gcc and libxen-dev. Run it on an otherwise idle machine: it prints the load first.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
FORKS=${FORKS:-3}
# How the Java backend copies a request: segments (header, then nr_segments segments) or whole.
COPY=${COPY:-segments}
WARMUPS=${WARMUPS:-3}
ITERATIONS=${ITERATIONS:-5}
SECONDS_PER_ITERATION=${SECONDS_PER_ITERATION:-1}
OUT=benchmarks/target/ring-bench
mkdir -p "$OUT"
rm -f "$OUT"/c-*.txt "$OUT"/jmh-*.json "$OUT"/load.txt

echo "# $(date -u '+%Y-%m-%d %H:%M UTC') on $(hostname): $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# Java backend copy: $COPY"
echo "# load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); $(gcc --version | head -1)"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  JAVA_HOME="$JAVA_HOME" ./mvnw -B -q -pl xen-abi,xen-rings,benchmarks -am package -DskipTests -Dmaven.javadoc.skip
fi
gcc -O2 -std=gnu11 -Wall -Werror -pthread -o "$OUT/ring_bench" benchmarks/src/main/c/ring_bench.c

# C and Java alternate fork by fork: on a shared or virtual machine the speed of the link between
# the two CPUs drifts over minutes, and alternating keeps that drift out of the ratio.
for mode in ${MODES:-busy event inline}; do
  for depth in 1 32; do
    for ((fork = 1; fork <= FORKS; fork++)); do
      echo "$mode $depth $fork $(cut -d' ' -f1 /proc/loadavg)" >> "$OUT/load.txt"
      "$OUT/ring_bench" "$mode" "$depth" "$WARMUPS" "$ITERATIONS" "$SECONDS_PER_ITERATION" >> "$OUT/c-$mode-$depth.txt"
      # JMH refuses to start while another JMH run on the machine holds /tmp/jmh.lock: wait for it
      # (up to 10 minutes) rather than measure side by side with it.
      for ((try = 1; ; try++)); do
        if "$JAVA_HOME/bin/java" --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
          -jar benchmarks/target/benchmarks.jar "RingRoundTripBenchmark.depth${depth}\$" -p mode="$mode" -p copy="$COPY" \
          -f 1 -wi "$WARMUPS" -w "${SECONDS_PER_ITERATION}s" -i "$ITERATIONS" -r "${SECONDS_PER_ITERATION}s" \
          -prof gc -rf json -rff "$OUT/jmh-$mode-$depth-$fork.json" > "$OUT/jmh-$mode-$depth-$fork.log" 2>&1; then
          break
        fi
        if ((try < 120)) && grep -q "Unable to acquire the JMH lock" "$OUT/jmh-$mode-$depth-$fork.log"; then
          echo "# $mode depth $depth fork $fork: another JMH run holds the lock, waiting" >&2
          sleep 5
          continue
        fi
        tail -30 "$OUT/jmh-$mode-$depth-$fork.log"
        exit 1
      done
    done
  done
done
echo "# load after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
# The 1-minute load average sampled before each C/Java fork pair: busy polling needs both threads on
# a CPU at once, so a load above the CPU count makes the busy rows measure the scheduler.
echo "# 1-min load before each fork pair: $(awk '{print $4}' "$OUT/load.txt" | sort -n | awk '{a[NR]=$1} END {print "min " a[1] ", median " a[int((NR+1)/2)] ", max " a[NR]}')"
# Allocation of the two ring threads alone, per-thread counters (JMH's figure includes its own threads).
"$JAVA_HOME/bin/java" --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
  -Dcopy="$COPY" -cp benchmarks/target/benchmarks.jar io.xen4j.benchmarks.rings.RingAllocationCheck "${ALLOC_TRIPS:-1000000}" \
  > "$OUT/alloc.txt"

python3 - "$OUT" "${MODES:-busy event inline}" <<'PY'
import glob, json, statistics, sys
out = sys.argv[1]
def fmt(v):
    return f"{v/1e6:.2f} M" if v >= 1e6 else f"{v/1e3:.1f} k"
alloc = {}
for line in open(f"{out}/alloc.txt"):
    f = dict(w.split("=") for w in line.split()[1:])
    alloc[(f["mode"], f["depth"])] = f
print("| mode | depth | C round trips/s: median (min-max) | Java round trips/s: median (min-max) | Java/C (median)"
      " | JMH gc.alloc.rate.norm, B/op (max) | ring threads, bytes over N round trips |")
print("|---|---|---|---|---|---|---|")
for mode in sys.argv[2].split():
    for depth in ("1", "32"):
        c = [float(l.split("ops_per_s=")[1]) for l in open(f"{out}/c-{mode}-{depth}.txt") if "ops_per_s=" in l]
        raw, araw = [], []
        for path in sorted(glob.glob(f"{out}/jmh-{mode}-{depth}-*.json")):
            j = json.load(open(path))[0]
            raw += [v for fork in j["primaryMetric"]["rawData"] for v in fork]
            gc = j["secondaryMetrics"].get("gc.alloc.rate.norm", {})
            araw += [v for fork in gc.get("rawData", []) for v in fork]
        cm, jm = statistics.median(c), statistics.median(raw)
        print(f"| {mode} | {depth} | {fmt(cm)} ({fmt(min(c))}-{fmt(max(c))}) | {fmt(jm)} ({fmt(min(raw))}-{fmt(max(raw))})"
              f" | {jm/cm:.2f} | {max(araw) if araw else float('nan'):.3f}"
              f" | {int(alloc[(mode, depth)]['frontBytes']) + int(alloc[(mode, depth)]['backBytes'])}"
              f" over {alloc[(mode, depth)]['roundTrips']} |")
PY
