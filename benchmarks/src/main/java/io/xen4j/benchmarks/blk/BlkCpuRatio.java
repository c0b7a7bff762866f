package io.xen4j.benchmarks.blk;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * The invoker mode of {@link BlkBenchmark} against direct {@code FileChannel} I/O per CPU-second
 * of the one thread that does all the work (user plus system time, HotSpot's per-thread CPU
 * clock), with the six workloads interleaved in short slices, round after round. On a shared
 * machine JMH's wall-clock throughput moves with the other processes' load (its ranges span a
 * factor of two or more); the CPU time a request costs moves much less, so this is the ratio to
 * compare two versions of the driver with. It says nothing of the threaded mode (two threads and
 * their hand-offs).
 */
public final class BlkCpuRatio {
    private BlkCpuRatio() {
    }

    /** One workload: a method of {@link BlkBenchmark}. */
    @FunctionalInterface
    private interface Workload {
        void run() throws Exception;
    }

    /**
     * Prints, per workload, the median and range over the rounds of operations per CPU-second,
     * the wall-clock rate and the bytes allocated per operation; then the invoker/direct ratios.
     *
     * @param args rounds (default 10) and the slice per workload and round in ms (default 250)
     * @throws Exception if the benchmark state fails
     */
    public static void main(final String[] args) throws Exception {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        final long sliceNanos = (args.length > 1 ? Long.parseLong(args[1]) : 250) * 1_000_000L;
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final BlkBenchmark b = new BlkBenchmark();
        b.setUp();
        final String[] names = {"direct 4k random read", "invoker 4k random read", "granted 4k random read", "direct 64k seq read",
            "invoker 64k seq read", "granted 64k seq read", "direct 64k seq write", "invoker 64k seq write", "granted 64k seq write"};
        final Workload[] work = {b::directRead4kRandom, b::invokerRead4kRandom, b::invokerGrantedRead4kRandom, b::directRead64kSequential,
            b::invokerRead64kSequential, b::invokerGrantedRead64kSequential, b::directWrite64kSequential, b::invokerWrite64kSequential,
            b::invokerGrantedWrite64kSequential};
        final double[][] perCpu = new double[work.length][rounds];
        final double[][] perWall = new double[work.length][rounds];
        final double[][] bytes = new double[work.length][rounds];
        // Two rounds of warm-up (code compiles, pools and page cache fill), not counted.
        for (int r = -2; r < rounds; r++) {
            for (int k = 0; k < work.length; k++) {
                final long cpu0 = threads.getCurrentThreadCpuTime();
                final long alloc0 = threads.getCurrentThreadAllocatedBytes();
                final long wall0 = System.nanoTime();
                long ops = 0;
                long wall;
                do {
                    for (int i = 0; i < 64; i++) {
                        work[k].run();
                    }
                    ops += 64;
                    wall = System.nanoTime();
                } while (wall - wall0 < sliceNanos);
                final long cpu = threads.getCurrentThreadCpuTime() - cpu0;
                final long alloc = threads.getCurrentThreadAllocatedBytes() - alloc0;
                if (r >= 0) {
                    perCpu[k][r] = ops * 1e9 / Math.max(1, cpu);
                    perWall[k][r] = ops * 1e9 / (wall - wall0);
                    bytes[k][r] = (double) alloc / ops;
                }
            }
        }
        b.tearDown();
        System.out.printf("%-24s %12s %25s %12s %8s%n", "workload", "ops/cpu-s", "range", "ops/wall-s", "B/op");
        for (int k = 0; k < work.length; k++) {
            final double[] c = sorted(perCpu[k]);
            System.out.printf("%-24s %12.0f %12.0f-%-12.0f %12.0f %8.2f%n", names[k], median(c), c[0], c[rounds - 1],
                median(sorted(perWall[k])), median(sorted(bytes[k])));
        }
        // Each workload of a group of three (direct, invoker copying, invoker on granted buffers)
        // against the direct one.
        for (int k = 0; k < work.length; k++) {
            final int d = k - k % 3;
            if (k == d) {
                continue;
            }
            // Each round's rate over the same round's direct rate: the pairs saw the same load.
            final double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratio[r] = perCpu[k][r] / perCpu[d][r];
            }
            final double[] s = sorted(ratio);
            System.out.printf("ratio %-24s %.2fx (medians), per round %.2f (%.2f-%.2f)%n", names[k],
                median(sorted(perCpu[k])) / median(sorted(perCpu[d])), median(s), s[0], s[rounds - 1]);
        }
    }

    private static double[] sorted(final double[] values) {
        final double[] s = values.clone();
        Arrays.sort(s);
        return s;
    }

    private static double median(final double[] sorted) {
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
