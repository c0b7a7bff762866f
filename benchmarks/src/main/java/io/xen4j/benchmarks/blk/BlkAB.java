package io.xen4j.benchmarks.blk;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Two builds of the benchmarks jar (two versions of the driver) in one JVM, each in its own class
 * loader, measured in alternating slices on this one thread: operations per CPU-second of each,
 * and per round the second over the first. On a machine shared with other work both versions see
 * the same load within a round, so their ratio is far steadier than two separate runs.
 */
public final class BlkAB {
    private BlkAB() {
    }

    /**
     * Prints, per workload, each version's median operations per CPU-second and the per-round
     * ratio B/A (median and range).
     *
     * @param args jar A, jar B, rounds, slice in ms, then workload names of {@link BlkBenchmark#repeat}
     * @throws Exception if a benchmark fails
     */
    public static void main(final String[] args) throws Exception {
        final String[] jars = {args[0], args[1]};
        final int rounds = Integer.parseInt(args[2]);
        final long slice = Long.parseLong(args[3]) * 1_000_000L;
        final String[] work = Arrays.copyOfRange(args, 4, args.length);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final Object[] bench = new Object[2];
        final Method[] repeat = new Method[2];
        final Method[] tearDown = new Method[2];
        for (int v = 0; v < 2; v++) {
            final URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(jars[v]).toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
            final Class<?> c = loader.loadClass(BlkBenchmark.class.getName());
            bench[v] = c.getConstructor().newInstance();
            c.getMethod("setUp").invoke(bench[v]);
            repeat[v] = c.getMethod("repeat", String.class, int.class);
            tearDown[v] = c.getMethod("tearDown");
        }
        final double[][][] rate = new double[2][work.length][rounds];
        for (int r = -2; r < rounds; r++) {
            for (int k = 0; k < work.length; k++) {
                for (int o = 0; o < 2; o++) {
                    // The order alternates round by round: neither version always goes first.
                    final int v = ((r & 1) == 0) == (o == 0) ? 0 : 1;
                    final long cpu0 = threads.getCurrentThreadCpuTime();
                    final long wall0 = System.nanoTime();
                    long ops = 0;
                    do {
                        ops += (long) repeat[v].invoke(bench[v], work[k], 64);
                    } while (System.nanoTime() - wall0 < slice);
                    final long cpu = threads.getCurrentThreadCpuTime() - cpu0;
                    if (r >= 0) {
                        rate[v][k][r] = ops * 1e9 / Math.max(1, cpu);
                    }
                }
            }
        }
        for (int v = 0; v < 2; v++) {
            tearDown[v].invoke(bench[v]);
        }
        System.out.printf("%-16s %12s %12s %s%n", "workload", "A ops/cpu-s", "B ops/cpu-s", "B/A per round: median (range)");
        for (int k = 0; k < work.length; k++) {
            final double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratio[r] = rate[1][k][r] / rate[0][k][r];
            }
            Arrays.sort(ratio);
            System.out.printf("%-16s %12.0f %12.0f %.3f (%.3f-%.3f)%n", work[k], BlkCpuRatio.median(BlkCpuRatio.sorted(rate[0][k])),
                BlkCpuRatio.median(BlkCpuRatio.sorted(rate[1][k])), BlkCpuRatio.median(ratio), ratio[0], ratio[rounds - 1]);
        }
    }
}
