package io.xen4j.benchmarks.rings;

import java.lang.management.ManagementFactory;

/**
 * Allocation of the two ring threads of {@link RingRoundTripBenchmark}, counted per thread with
 * HotSpot's {@code com.sun.management.ThreadMXBean}. JMH's {@code gc.alloc.rate.norm} sums every
 * thread of the JVM (JMH's own threads included) and divides by the benchmark's operations; this
 * check counts only the frontend and backend threads, after a warm-up, over a fixed number of
 * round trips. {@code run-ring-bench.sh} runs it after the timed runs.
 */
public final class RingAllocationCheck {
    private RingAllocationCheck() {
    }

    /**
     * Prints one line per mode and depth: bytes allocated by each ring thread per round trip.
     *
     * @param args round trips to measure (default 2,000,000 per case)
     * @throws Exception if the benchmark state fails
     */
    public static void main(final String[] args) throws Exception {
        final long trips = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000;
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (final String mode : new String[] {"busy", "event", "inline"}) {
            for (final int depth : new int[] {1, 32}) {
                final RingRoundTripBenchmark bench = new RingRoundTripBenchmark();
                bench.mode = mode;
                bench.copy = System.getProperty("copy", "segments");
                bench.setUp();
                final long invocations = Math.max(1, trips / depth);
                run(bench, depth, invocations);
                // Inline: the benchmark thread is both sides, and its count covers both.
                final Thread backend = bench.backendThread();
                final long backendId = backend == null ? -1 : backend.threadId();
                final long front0 = threads.getCurrentThreadAllocatedBytes();
                final long back0 = backend == null ? 0 : threads.getThreadAllocatedBytes(backendId);
                run(bench, depth, invocations);
                final long front = threads.getCurrentThreadAllocatedBytes() - front0;
                final long back = backend == null ? 0 : threads.getThreadAllocatedBytes(backendId) - back0;
                bench.tearDown();
                System.out.printf("alloc mode=%s depth=%d roundTrips=%d frontBytes=%d backBytes=%d bytesPerOp=%.6f%n",
                    mode, depth, invocations * depth, front, back, (double) (front + back) / (invocations * depth));
            }
        }
    }

    private static void run(final RingRoundTripBenchmark bench, final int depth, final long invocations) {
        for (long i = 0; i < invocations; i++) {
            if (depth == 1) {
                bench.depth1();
            } else {
                bench.depth32();
            }
        }
    }
}
