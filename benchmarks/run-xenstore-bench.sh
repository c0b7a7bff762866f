#!/usr/bin/env bash
# Runs the xenstore benchmarks side by side in one run, against the same daemon over the same Unix
# socket: the in-memory xenstored (XenstoredBenchServer, its own JVM) serves; the C program
# xs_bench.c (libxenstore's xs_read/xs_write in a loop) and the Java client (JMH,
# XenStoreClientBenchmark) take turns against it, round by round. Then the daemon's own
# operations per second in-process (XenstoredServiceBenchmark). Prints a Markdown table of
# medians and ranges with Java/C ratios.
#
#   benchmarks/run-xenstore-bench.sh                 # 3 rounds, 5 s per C run, JMH 3 x 2 s per round
#   ROUNDS=1 SECONDS_PER_RUN=2 benchmarks/run-xenstore-bench.sh
#
# Needs JDK 25, gcc, python3 and libxen-dev (xenstore.h, libxenstore). Run it on an otherwise idle
# machine: it prints the load first.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
ROUNDS=${ROUNDS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
JMH_ITERATIONS=${JMH_ITERATIONS:-3}
THREADS=${THREADS:-4}
OUT=benchmarks/target/xenstore-bench
JAVA=("$JAVA_HOME/bin/java" --add-exports java.base/jdk.internal.misc=ALL-UNNAMED)
mkdir -p "$OUT"
rm -f "$OUT"/c-*.txt "$OUT"/jmh-*.json "$OUT"/*.log

echo "# $(date -u '+%Y-%m-%d %H:%M UTC') on $(hostname): $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); $(gcc --version | head -1); libxenstore $(dpkg-query -W -f='${Version}' libxenstore4 2>/dev/null || echo '?')"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  JAVA_HOME="$JAVA_HOME" ./mvnw -B -q -pl benchmarks -am package -DskipTests -Dmaven.javadoc.skip
fi
gcc -O2 -std=gnu11 -Wall -Werror -pthread -o "$OUT/xs_bench" benchmarks/src/main/c/xs_bench.c -lxenstore

dir=$(mktemp -d /tmp/xen4j-xs-bench.XXXXXX)
socket="$dir/socket"
"${JAVA[@]}" -cp benchmarks/target/benchmarks.jar io.xen4j.benchmarks.xenstore.XenstoredBenchServer "$socket" \
  > "$OUT/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$dir"' EXIT
# The socket file appears at bind(), before listen(): wait for the daemon to say it serves.
for _ in $(seq 300); do grep -q serving "$OUT/server.log" 2>/dev/null && break; sleep 0.1; done
grep -q serving "$OUT/server.log" || { cat "$OUT/server.log"; echo "xenstored did not start" >&2; exit 1; }
export XENSTORED_PATH="$socket"

# Runs JMH; while another JMH run on this machine holds its lock (/tmp/jmh.lock), waits and tries
# again rather than measuring both at once.
jmh() {
  local log=$1; shift
  for _ in $(seq 120); do
    if "${JAVA[@]}" -jar benchmarks/target/benchmarks.jar "$@" > "$log" 2>&1; then return 0; fi
    grep -q 'Unable to acquire the JMH lock' "$log" || { tail -30 "$log"; return 1; }
    sleep 5
  done
  echo "another JMH run held /tmp/jmh.lock for 10 minutes" >&2; return 1
}

# The daemon's JIT warms up on the C program first, so that neither side measures a cold daemon.
"$OUT/xs_bench" read "$SECONDS_PER_RUN" > /dev/null
"$OUT/xs_bench" write "$SECONDS_PER_RUN" > /dev/null

for ((round = 1; round <= ROUNDS; round++)); do
  echo "# round $round of $ROUNDS"
  "$OUT/xs_bench" read "$SECONDS_PER_RUN" 1 >> "$OUT/c-read-1.txt"
  "$OUT/xs_bench" write "$SECONDS_PER_RUN" 1 >> "$OUT/c-write-1.txt"
  "$OUT/xs_bench" read "$SECONDS_PER_RUN" "$THREADS" >> "$OUT/c-read-$THREADS.txt"
  "$OUT/xs_bench" write "$SECONDS_PER_RUN" "$THREADS" >> "$OUT/c-write-$THREADS.txt"
  jmh "$OUT/jmh-client-$round.log" 'XenStoreClientBenchmark' -p socket="$socket" \
    -f 1 -wi 2 -w 2s -i "$JMH_ITERATIONS" -r 2s -rf json -rff "$OUT/jmh-client-$round.json" || exit 1
done
jmh "$OUT/jmh-server.log" 'XenstoredServiceBenchmark' -f 1 -wi 3 -w 2s \
  -i "$JMH_ITERATIONS" -r 2s -rf json -rff "$OUT/jmh-server.json" || exit 1
echo "# load after the run: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$OUT" "$THREADS" <<'PY'
import glob, json, statistics, sys
out, threads = sys.argv[1], sys.argv[2]
def fmt(v):
    return f"{v/1e3:.1f} k"
def c(name):
    return [float(l.split("ops_per_sec=")[1]) for l in open(f"{out}/c-{name}.txt") if "ops_per_sec=" in l]
java = {}
for f in sorted(glob.glob(f"{out}/jmh-client-*.json")):
    for b in json.load(open(f)):
        name = b["benchmark"].rsplit(".", 1)[1]
        java.setdefault(name, []).extend(v for fork in b["primaryMetric"]["rawData"] for v in fork)
def rng(v):
    return f"{fmt(statistics.median(v))} ({fmt(min(v))}-{fmt(max(v))})"
rows = [
    ("read, one request at a time", "xs_read loop", c("read-1"), "read()", java["read"]),
    ("write, one request at a time", "xs_write loop", c("write-1"), "write()", java["write"]),
    (f"read, many in flight", f"{threads} threads, a connection each", c(f"read-{threads}"),
     "64 in flight on one connection", java["readInFlight64"]),
    (f"write, many in flight", f"{threads} threads, a connection each", c(f"write-{threads}"),
     "64 in flight on one connection", java["writeInFlight64"]),
    (f"read, {threads} threads", f"{threads} threads, a connection each", c(f"read-{threads}"),
     f"{threads} threads sharing one client", java["readThreads4"]),
]
print("| operation | libxenstore (C) | round trips/s: median (min-max) | Java client | round trips/s: median (min-max) | Java/C (median) |")
print("|---|---|---|---|---|---|")
for op, cdesc, cv, jdesc, jv in rows:
    print(f"| {op} | {cdesc} | {rng(cv)} | {jdesc} | {rng(jv)} | {statistics.median(jv)/statistics.median(cv):.2f} |")
print()
print("| in-memory xenstored, in-process (no socket) | operations/s: median (min-max) |")
print("|---|---|")
for b in json.load(open(f"{out}/jmh-server.json")):
    raw = [v for fork in b["primaryMetric"]["rawData"] for v in fork]
    print(f"| {b['benchmark'].rsplit('.', 1)[1]} | {rng(raw)} |")
PY
