package io.xen4j.benchmarks.rings;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Thread CPU time per round trip of {@link RingRoundTripBenchmark}'s {@code inline} mode: the one
 * benchmark thread sends, serves (as the backend) and receives, the same loops JMH runs. On a
 * shared machine JMH's wall-clock throughput moves with the other processes' load; the CPU time
 * the thread itself used moves much less, so this is the figure to compare two versions of the
 * ring classes with. Run each variant in its own JVM: a JVM that ran both copy modes compiles
 * the ring's handler call sites for two handler classes.
 *
 * <pre>{@code
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
 *     -cp benchmarks/target/benchmarks.jar io.xen4j.benchmarks.rings.RingCpuProbe segments 32
 * }</pre>
 */
public final class RingCpuProbe {
    private RingCpuProbe() {
    }

    /**
     * Prints the median, minimum and maximum thread CPU nanoseconds per round trip over the
     * samples, and the bytes the thread allocated per round trip.
     *
     * @param args copy mode ({@code segments} or {@code whole}, default segments), depth (1 or 32,
     *             default 32), samples (default 15), round trips per sample (default 2,000,000)
     * @throws InterruptedException if the benchmark's tear-down is interrupted
     */
    public static void main(final String[] args) throws InterruptedException {
        final String copy = args.length > 0 ? args[0] : "segments";
        final int depth = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        final int samples = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        final long trips = args.length > 3 ? Long.parseLong(args[3]) : 2_000_000L;
        if (depth != 1 && depth != 32) {
            throw new IllegalArgumentException("depth=" + depth + ": 1 or 32");
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final RingRoundTripBenchmark b = new RingRoundTripBenchmark();
        b.mode = "inline";
        b.copy = copy;
        b.setUp();
        long sink = 0;
        // Warm-up: five samples' worth, so that C2 has compiled the loops before the first count.
        sink += run(b, depth, 5 * trips);
        final double[] ns = new double[samples];
        final double[] bytes = new double[samples];
        for (int s = 0; s < samples; s++) {
            final long cpu0 = threads.getCurrentThreadCpuTime();
            final long alloc0 = threads.getCurrentThreadAllocatedBytes();
            sink += run(b, depth, trips);
            ns[s] = (double) (threads.getCurrentThreadCpuTime() - cpu0) / trips;
            bytes[s] = (double) (threads.getCurrentThreadAllocatedBytes() - alloc0) / trips;
        }
        b.tearDown();
        Arrays.sort(ns);
        Arrays.sort(bytes);
        System.out.printf("copy=%s depth=%d samples=%d trips/sample=%d: CPU ns/round trip median %.2f (%.2f-%.2f),"
            + " B/round trip %.3f, sink %d%n", copy, depth, samples, trips, ns[samples / 2], ns[0], ns[samples - 1],
            bytes[samples / 2], sink);
    }

    private static long run(final RingRoundTripBenchmark b, final int depth, final long trips) {
        long sink = 0;
        if (depth == 1) {
            for (long t = 0; t < trips; t++) {
                sink += b.depth1();
            }
        } else {
            for (long t = 0; t < trips; t += 32) {
                sink += b.depth32();
            }
        }
        return sink;
    }
}
