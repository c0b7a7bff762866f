package io.xen4j.benchmarks.blk;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * The invoker mode of {@link BlkBenchmark} against direct {@code FileChannel} I/O per CPU-second
 * of the one thread that does all the work (user plus system time, HotSpot's per-thread CPU
 * clock), with the workloads interleaved in short slices, round after round. On a shared
 * machine JMH's wall-clock throughput moves with the other processes' load (its ranges span a
 * factor of two or more); the CPU time a request costs moves much less, so this is the ratio to
 * compare two versions of the driver with. It says nothing of the threaded mode (two threads and
 * their hand-offs).
 *
 * <p>The comparison is the median of each round's own ratio: with many short rounds (by default
 * 100 of 30 ms slices) a row and the row it is compared with are measured a few tens of
 * milliseconds apart, under the same load, and every other round runs the rows backwards. This
 * machine changes speed for seconds to minutes at a time (its copies and system calls by up to
 * two times, and not all rows alike), so the ratio of two medians taken over the whole run,
 * printed too, mixes rows measured under different loads.
 */
public final class BlkCpuRatio {
    /** The least warm-up before the counted rounds: C2 compiles the drivers' paths in this time. */
    private static final long WARM_UP_NANOS = 4_000_000_000L;

    private BlkCpuRatio() {
    }

    /** One workload: a method of {@link BlkBenchmark}. */
    @FunctionalInterface
    private interface Workload {
        void run() throws Exception;
    }

    /** The direct rows, which the others name as what they are compared with. */
    private static final String DIRECT_4K = "direct 4k random read";
    private static final String PREAD_4K = "pread 4k random read";
    private static final String DIRECT_64K_READ = "direct 64k seq read";
    private static final String PREAD_64K_READ = "pread 64k seq read";
    private static final String DIRECT_64K_WRITE = "direct 64k seq write";
    private static final String PWRITE_64K_WRITE = "pwrite 64k seq write";
    private static final String ALIGNED_64K_READ = "direct 64k read, aligned";
    private static final String ALIGNED_64K_WRITE = "direct 64k write, aligned";

    /**
     * A row: its name, what one run does, the operations one run is, and by name the direct
     * {@code FileChannel} row it is compared with (the reference), the direct {@code pread}
     * row (the call the file store makes) and the direct row into or from page-aligned memory (as a
     * granted buffer is), empty for none; a direct row names itself.
     */
    private record Row(String name, Workload work, int opsPerRun, String direct, String pread, String aligned) {
        Row(final String name, final Workload work, final int opsPerRun, final String direct, final String pread) {
            this(name, work, opsPerRun, direct, pread, "");
        }
    }

    /** The index of the row named {@code name} in {@code all}; -1 for an empty name. */
    private static int indexOf(final Row[] all, final String name) {
        if (name.isEmpty()) {
            return -1;
        }
        for (int k = 0; k < all.length; k++) {
            if (all[k].name().equals(name)) {
                return k;
            }
        }
        throw new IllegalStateException("no row named " + name);
    }

    /**
     * Prints, per workload, the median and range over the rounds of operations per CPU-second,
     * the wall-clock rate and the bytes allocated per operation; then each workload's ratio to its
     * direct {@code FileChannel} row, the drivers' rows to the direct {@code pread} row too, and the
     * granted 64 KiB rows to the direct rows into and from page-aligned memory.
     *
     * @param args rounds (default 100), the slice per workload and round in ms (default 30), and
     *             optionally a comma-separated list of name parts: only the workloads whose name
     *             contains one of them run (with the direct rows they are compared with)
     * @throws Exception if the benchmark state fails
     */
    public static void main(final String[] args) throws Exception {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        final long sliceNanos = (args.length > 1 ? Long.parseLong(args[1]) : 30) * 1_000_000L;
        final String[] only = args.length > 2 ? args[2].split(",") : new String[0];
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final BlkBenchmark b = new BlkBenchmark();
        b.setUp();
        final Row[] all = {
            new Row(DIRECT_4K, b::directRead4kRandom, 1, DIRECT_4K, DIRECT_4K),
            new Row(PREAD_4K, b::directPread4kRandom, 1, DIRECT_4K, PREAD_4K),
            new Row("invoker 4k random read", b::invokerRead4kRandom, 1, DIRECT_4K, PREAD_4K),
            new Row("granted 4k random read", b::invokerGrantedRead4kRandom, 1, DIRECT_4K, PREAD_4K),
            // Depth N: N reads in flight, one run is N operations; against direct reads one at a
            // time (FileChannel has no asynchronous positional read: that is the limit per read).
            new Row("granted 4k rand read qd8", () -> b.grantedReadBatch(8), 8, DIRECT_4K, PREAD_4K),
            new Row("granted 4k rand read qd32", () -> b.grantedReadBatch(32), 32, DIRECT_4K, PREAD_4K),
            // Depth 1 again, each read submitted from the previous one's callback: one run is a
            // chain of CHAIN reads.
            new Row("granted 4k rand read chain", () -> b.grantedReadChain(BlkBenchmark.CHAIN), BlkBenchmark.CHAIN, DIRECT_4K, PREAD_4K),
            // Not a driver: the least a blkif round trip costs in Java, on the same store.
            new Row("floor 4k random read", b::floorRead4kRandom, 1, DIRECT_4K, PREAD_4K),
            new Row(DIRECT_64K_READ, b::directRead64kSequential, 1, DIRECT_64K_READ, DIRECT_64K_READ),
            new Row(PREAD_64K_READ, b::directPread64kSequential, 1, DIRECT_64K_READ, PREAD_64K_READ),
            new Row("invoker 64k seq read", b::invokerRead64kSequential, 1, DIRECT_64K_READ, PREAD_64K_READ),
            new Row("granted 64k seq read", b::invokerGrantedRead64kSequential, 1, DIRECT_64K_READ, PREAD_64K_READ, ALIGNED_64K_READ),
            new Row(DIRECT_64K_WRITE, b::directWrite64kSequential, 1, DIRECT_64K_WRITE, DIRECT_64K_WRITE),
            new Row(PWRITE_64K_WRITE, b::directPwrite64kSequential, 1, DIRECT_64K_WRITE, PWRITE_64K_WRITE),
            new Row("invoker 64k seq write", b::invokerWrite64kSequential, 1, DIRECT_64K_WRITE, PWRITE_64K_WRITE),
            new Row("granted 64k seq write", b::invokerGrantedWrite64kSequential, 1, DIRECT_64K_WRITE, PWRITE_64K_WRITE, ALIGNED_64K_WRITE),
            // The direct rows again into and from memory at a page boundary, as a granted buffer's
            // pages: their ratio to the rows above is the destination's placement alone.
            new Row(ALIGNED_64K_READ, b::directRead64kSequentialAligned, 1, DIRECT_64K_READ, PREAD_64K_READ),
            new Row(ALIGNED_64K_WRITE, b::directWrite64kSequentialAligned, 1, DIRECT_64K_WRITE, PWRITE_64K_WRITE),
        };
        final int[] directIndex = new int[all.length];
        final int[] preadIndex = new int[all.length];
        final int[] alignedIndex = new int[all.length];
        for (int k = 0; k < all.length; k++) {
            directIndex[k] = indexOf(all, all[k].direct());
            preadIndex[k] = indexOf(all, all[k].pread());
            alignedIndex[k] = indexOf(all, all[k].aligned());
        }
        final boolean[] chosen = new boolean[all.length];
        for (int k = 0; k < all.length; k++) {
            boolean match = only.length == 0;
            for (final String part : only) {
                match |= all[k].name().contains(part.trim());
            }
            if (match) {
                chosen[k] = true;
                chosen[directIndex[k]] = true;
                chosen[preadIndex[k]] = true;
                if (alignedIndex[k] >= 0) {
                    chosen[alignedIndex[k]] = true;
                }
            }
        }
        final java.util.List<Row> list = new java.util.ArrayList<>();
        final int[] directOf = new int[all.length];
        final int[] preadOf = new int[all.length];
        final int[] alignedOf = new int[all.length];
        final int[] position = new int[all.length];
        for (int k = 0; k < all.length; k++) {
            if (chosen[k]) {
                position[k] = list.size();
                list.add(all[k]);
            }
        }
        // Once every chosen row has its place (a row may be compared with one after it).
        for (int k = 0; k < all.length; k++) {
            if (chosen[k]) {
                directOf[position[k]] = position[directIndex[k]];
                preadOf[position[k]] = position[preadIndex[k]];
                alignedOf[position[k]] = alignedIndex[k] >= 0 ? position[alignedIndex[k]] : -1;
            }
        }
        final Row[] rows = list.toArray(Row[]::new);
        final double[][] perCpu = new double[rows.length][rounds];
        final double[][] perWall = new double[rows.length][rounds];
        final double[][] bytes = new double[rows.length][rounds];
        // Warm-up (code compiles, pools and page cache fill), not counted: two rounds, and at
        // least WARM_UP_NANOS.
        final int warmUp = (int) Math.max(2, WARM_UP_NANOS / Math.max(1, sliceNanos * rows.length) + 1);
        for (int r = -warmUp; r < rounds; r++) {
            for (int at = 0; at < rows.length; at++) {
                // Every other round backwards: over two rounds each row is as far before the
                // rows it is compared with as after them, so a machine slowly changing speed
                // favours neither.
                final int k = (r & 1) == 0 ? at : rows.length - 1 - at;
                final Workload work = rows[k].work();
                final long cpu0 = threads.getCurrentThreadCpuTime();
                final long alloc0 = threads.getCurrentThreadAllocatedBytes();
                final long wall0 = System.nanoTime();
                long ops = 0;
                long wall;
                do {
                    for (int i = 0; i < 64; i++) {
                        work.run();
                    }
                    ops += 64L * rows[k].opsPerRun();
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
        System.out.printf("%-26s %12s %25s %12s %8s%n", "workload", "ops/cpu-s", "range", "ops/wall-s", "B/op");
        for (int k = 0; k < rows.length; k++) {
            final double[] c = sorted(perCpu[k]);
            System.out.printf("%-26s %12.0f %12.0f-%-12.0f %12.0f %8.2f%n", rows[k].name(), median(c), c[0], c[rounds - 1],
                median(sorted(perWall[k])), median(sorted(bytes[k])));
        }
        for (int k = 0; k < rows.length; k++) {
            if (k != directOf[k]) {
                printRatio(rows[k].name(), "", perCpu[k], perCpu[directOf[k]]);
            }
        }
        for (int k = 0; k < rows.length; k++) {
            if (k != preadOf[k] && k != directOf[k]) {
                printRatio(rows[k].name(), " to pread", perCpu[k], perCpu[preadOf[k]]);
            }
        }
        for (int k = 0; k < rows.length; k++) {
            if (alignedOf[k] >= 0) {
                printRatio(rows[k].name(), " aligned", perCpu[k], perCpu[alignedOf[k]]);
            }
        }
        System.out.println("file store transfers through pread/pwrite (FFM): " + b.storeNativeTransfers());
    }

    /** A row's ratio to a direct row: of the medians, and the median and range of each round's ratio (the pairs saw the same load). */
    private static void printRatio(final String name, final String to, final double[] row, final double[] direct) {
        final int rounds = row.length;
        final double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratio[r] = row[r] / direct[r];
        }
        final double[] s = sorted(ratio);
        System.out.printf("ratio%-9s %-26s %.2fx (medians), per round %.2f (%.2f-%.2f, deciles %.2f-%.2f)%n", to, name,
            median(sorted(row)) / median(sorted(direct)), median(s), s[0], s[rounds - 1], s[rounds / 10], s[rounds - 1 - rounds / 10]);
    }

    /** A sorted copy. */
    static double[] sorted(final double[] values) {
        final double[] s = values.clone();
        Arrays.sort(s);
        return s;
    }

    /** The median of values already sorted. */
    static double median(final double[] sorted) {
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
