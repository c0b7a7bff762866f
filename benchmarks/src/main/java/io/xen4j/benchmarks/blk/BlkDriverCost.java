package io.xen4j.benchmarks.blk;

import io.netty.buffer.ByteBuf;
import io.xen4j.blk.BlkFront;
import io.xen4j.blk.BlkFrontConfig;
import io.xen4j.blk.BlockCallback;
import io.xen4j.blk.BlockIoException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import org.agrona.concurrent.AgentInvoker;
import org.jspecify.annotations.Nullable;

/**
 * What the drivers themselves cost per granted 4 KiB read at depth 1 (the invoker set-up of
 * {@link BlkBenchmark}), and how much more they cost when the store makes a system call: blkback
 * serves from a store whose read does one of five things, and each is measured three times,
 * through blkfront -> simulated host -> blkback, through {@link BlkifFloor} (the least a blkif
 * round trip costs in Java) and alone on the same thread, in alternating slices. The difference
 * to alone is the drivers' part, or the floor's: CPU nanoseconds of the one thread per request.
 * What the floor pays too is not the drivers' own work.
 *
 * <ul>
 *   <li>{@code nothing}: the read returns at once (the drivers' own work, everything warm);</li>
 *   <li>{@code syscall}: a 1-byte positional read of a small cached file (a system call, almost
 *       no copy);</li>
 *   <li>{@code copy}: the read's bytes copied in Java from a random place of 64 MiB of memory
 *       (the read's copy through the caches without a system call: which of the two makes the
 *       drivers colder);</li>
 *   <li>{@code hotcopy}: as {@code copy}, always from the start of that memory (a copy whose
 *       source is in the caches: what of {@code copy}'s cost is its misses);</li>
 *   <li>{@code read}: the request's positional {@code FileChannel} read of a 64 MiB cached file into
 *       the buffer's pages, as the file store does without native access (the
 *       benchmark's direct row; with native access the store calls {@code pread} through FFM).</li>
 * </ul>
 *
 * <p>The 0.8x target of the 4 KiB row needs the drivers' part at or below a quarter of the direct
 * read: this says how far it is, and how much of it the system call makes the drivers pay on top
 * of their warm cost (after the kernel's path their code and data are colder).
 *
 * <p>{@code -Dxen4j.blk.cost.bytes=65536} measures 64 KiB reads instead (two ring requests of 11
 * and 5 segments, as the benchmark's 64 KiB rows; the {@code read} mode then reads 64 KiB; the
 * floor reads one page and is left out). {@code -Dxen4j.blk.cost.rounds=true} prints each round's
 * parts too: whether a slow round is slow for the drivers alone or for the floor as well.
 */
public final class BlkDriverCost {
    private static final long DISK = 64L << 20;
    private static final int PAGE = 4096;
    private static final String[] MODES = {"nothing", "syscall", "copy", "hotcopy", "read"};
    /** Bytes per request: {@code -Dxen4j.blk.cost.bytes}, whole pages (4 KiB by default; 65536 for the 64 KiB rows). */
    private static final int BYTES = Integer.getInteger("xen4j.blk.cost.bytes", PAGE);
    /** The modes measured: {@code -Dxen4j.blk.cost.modes=nothing,read} (all by default), e.g. to profile one. */
    private static final String MODE_FILTER = System.getProperty("xen4j.blk.cost.modes", String.join(",", MODES));
    /** Each round's parts printed too: {@code -Dxen4j.blk.cost.rounds=true}. */
    private static final boolean PER_ROUND = Boolean.getBoolean("xen4j.blk.cost.rounds");
    /** Through the drivers, alone, through the floor: the sides of a measurement, in this order each round. */
    private static final int DRIVERS = 0;
    private static final int ALONE = 1;
    private static final int FLOOR = 2;

    private final FileChannel small;
    private final FileChannel big;
    /** 64 MiB of memory to copy from, for the {@code copy} mode: the read's copy without the system call. */
    private final ByteBuffer memory = ByteBuffer.allocateDirect((int) DISK);
    private final ByteBuffer oneByte = ByteBuffer.allocateDirect(64);
    private int mode;

    private BlkDriverCost(final FileChannel small, final FileChannel big) {
        this.small = small;
        this.big = big;
    }

    /** The work of the current mode, into {@code dst}'s remaining bytes. */
    private void work(final long position, final ByteBuffer dst) throws IOException {
        switch (mode) {
            case 0 -> dst.position(dst.limit());
            case 1 -> {
                small.read(oneByte.clear().limit(1), 0);
                dst.position(dst.limit());
            }
            case 2 -> dst.put(dst.position(), memory, (int) position, dst.remaining()).position(dst.limit());
            case 3 -> dst.put(dst.position(), memory, 0, dst.remaining()).position(dst.limit());
            default -> {
                long at = position;
                while (dst.hasRemaining()) {
                    final int n = big.read(dst, at);
                    if (n < 0) {
                        throw new IOException("end of file at " + at);
                    }
                    at += n;
                }
            }
        }
    }

    /** The store blkback serves: the current mode's work on a read; writes move no bytes. */
    private final class ModeStore extends NullStore {
        ModeStore() {
            super(DISK);
        }

        /** The last segment blkback read into, and a buffer over the whole of it: one per page blkback keeps. */
        private @Nullable MemorySegment lastMemory;
        private @Nullable ByteBuffer lastBuffer;

        @Override
        public void read(final long position, final ByteBuffer dst) throws IOException {
            work(position, dst);
        }

        @Override
        public void read(final long position, final MemorySegment dst, final long offset, final long length) throws IOException {
            ByteBuffer b = lastBuffer;
            if (b == null || !dst.equals(lastMemory)) {
                b = dst.asByteBuffer();
                lastMemory = dst;
                lastBuffer = b;
            }
            work(position, b.clear().position((int) offset).limit((int) (offset + length)));
        }
    }

    private boolean done;
    private @Nullable BlockIoException failure;

    /**
     * Prints, per mode, the median CPU nanoseconds per request through the drivers and alone,
     * and the drivers' part (their difference), over the rounds.
     *
     * @param args rounds (default 15) and the slice per measurement in ms (default 150)
     * @throws Exception if the set-up or a read fails
     */
    public static void main(final String[] args) throws Exception {
        if (BYTES <= 0 || BYTES % PAGE != 0 || BYTES > 1 << 20) {
            throw new IllegalArgumentException("xen4j.blk.cost.bytes=" + BYTES + ": whole 4 KiB pages, at most 1 MiB");
        }
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        final long slice = (args.length > 1 ? Long.parseLong(args[1]) : 150) * 1_000_000L;
        final Path smallFile = Files.createTempFile("xen4j-blk-cost-small", ".img");
        final Path bigFile = Files.createTempFile("xen4j-blk-cost", ".img");
        try (FileChannel small = FileChannel.open(smallFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel big = FileChannel.open(bigFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            small.write(ByteBuffer.wrap(new byte[PAGE]), 0);
            final byte[] fill = new byte[1 << 20];
            new SplittableRandom(42).nextBytes(fill);
            final BlkDriverCost cost = new BlkDriverCost(small, big);
            for (long at = 0; at < DISK; at += fill.length) {
                big.write(ByteBuffer.wrap(fill), at);
                cost.memory.put((int) at, fill);
            }
            cost.run(rounds, slice);
        } finally {
            Files.deleteIfExists(smallFile);
            Files.deleteIfExists(bigFile);
        }
    }

    private static boolean measured(final int mode) {
        return java.util.Arrays.asList(MODE_FILTER.split(",")).contains(MODES[mode]);
    }

    private void run(final int rounds, final long slice) throws Exception {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // As BlkBenchmark's invoker set-up: one queue, persistent grants, no indirect segments
        // unless -Dxen4j.blk.bench.indirect says how many (as there).
        try (SimulatedDisk disk = new SimulatedDisk(new ModeStore(), new BlkFrontConfig("x86_64-abi", 0, BlkBenchmark.indirectSegments(), true, 1))) {
            final BlkFront front = disk.front;
            try (AgentInvoker invoker = disk.connectedInvoker()) {
                final ByteBuf granted = front.allocateBuffer(BYTES);
                final ByteBuffer own = ByteBuffer.allocateDirect(BYTES);
                final BlkifFloor floor = new BlkifFloor(new ModeStore());
                final int sides = BYTES == PAGE ? 3 : 2;
                // blkfront logs and swallows what a callback throws: the failure is kept and thrown here.
                final BlockCallback onDone = f -> {
                    failure = f;
                    done = true;
                };
                final SplittableRandom random = new SplittableRandom(7);
                // [mode][side][round]: CPU ns per request.
                final double[][][] ns = new double[MODES.length][sides][rounds];
                // Three rounds of warm-up, not counted.
                for (int r = -3; r < rounds; r++) {
                    for (int m = 0; m < MODES.length; m++) {
                        if (!measured(m)) {
                            continue;
                        }
                        mode = m;
                        for (int side = 0; side < sides; side++) {
                            final long cpu0 = threads.getCurrentThreadCpuTime();
                            final long wall0 = System.nanoTime();
                            long n = 0;
                            do {
                                for (int i = 0; i < 256; i++) {
                                    final long position = random.nextLong(DISK / BYTES) * BYTES;
                                    if (side == DRIVERS) {
                                        granted.clear();
                                        done = false;
                                        front.read(position, BYTES, granted, onDone);
                                        while (!done) {
                                            disk.turn();
                                        }
                                        if (failure != null) {
                                            throw new IllegalStateException(failure);
                                        }
                                    } else if (side == FLOOR) {
                                        floor.read(position);
                                    } else {
                                        work(position, own.clear());
                                    }
                                }
                                n += 256;
                            } while (System.nanoTime() - wall0 < slice);
                            if (r >= 0) {
                                ns[m][side][r] = (double) (threads.getCurrentThreadCpuTime() - cpu0) / n;
                            }
                        }
                    }
                }
                granted.release();
                System.out.printf("%-8s %19s %14s %10s %30s %30s%n", "store", "through the drivers", "through floor", "alone",
                    "drivers' part: median (min-max)", "floor's part: median (min-max)");
                for (int m = 0; m < MODES.length; m++) {
                    if (!measured(m)) {
                        continue;
                    }
                    final double[] drivers = part(ns[m], DRIVERS);
                    final double[] floorPart = sides > FLOOR ? part(ns[m], FLOOR) : null;
                    System.out.printf("%-8s %16.1f ns %11s ns %7.1f ns %30s %30s%n", MODES[m], median(ns[m][DRIVERS]),
                        floorPart == null ? "-" : String.format("%.1f", median(ns[m][FLOOR])), median(ns[m][ALONE]),
                        summary(drivers), floorPart == null ? "-" : summary(floorPart));
                    if (PER_ROUND) {
                        for (int r = 0; r < rounds; r++) {
                            System.out.printf("  round %2d: drivers' part %7.1f ns, floor's %7s ns, alone %7.1f ns%n", r, drivers[r],
                                floorPart == null ? "-" : String.format("%.1f", floorPart[r]), ns[m][ALONE][r]);
                        }
                    }
                }
            }
        }
    }

    /** Each round's CPU ns per request of {@code side} less the same round's alone. */
    private static double[] part(final double[][] bySide, final int side) {
        final double[] p = new double[bySide[side].length];
        for (int r = 0; r < p.length; r++) {
            p[r] = bySide[side][r] - bySide[ALONE][r];
        }
        return p;
    }

    private static double median(final double[] values) {
        return BlkCpuRatio.median(BlkCpuRatio.sorted(values));
    }

    /** "median ns (min-max)". */
    private static String summary(final double[] values) {
        final double[] s = BlkCpuRatio.sorted(values);
        return String.format("%.1f ns (%.1f-%.1f)", BlkCpuRatio.median(s), s[0], s[s.length - 1]);
    }
}
