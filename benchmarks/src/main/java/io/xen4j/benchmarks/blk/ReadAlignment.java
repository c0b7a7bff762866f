package io.xen4j.benchmarks.blk;

import io.netty.buffer.ByteBuf;
import io.xen4j.blk.BlkFrontConfig;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import org.agrona.concurrent.AgentInvoker;

/**
 * How much the kernel's copy of a positional read depends on where the destination starts in its
 * page: sequential {@code FileChannel} reads of a 64 MiB cached file into the same memory at a page
 * boundary (as a granted buffer's pages, and so every read blkback does into one), 16 bytes after
 * it and half a page after it (a {@code ByteBuffer.allocateDirect} buffer, as the benchmark's direct
 * rows', starts wherever {@code malloc} put it in its page), in alternating 150 ms slices on one
 * thread. Prints the median CPU nanoseconds per read of each over the rounds: whether some of the
 * granted 64 KiB rows' distance to the direct rows is the copy's, not the drivers'. Two more places:
 * a buffer of {@link io.xen4j.blk.BlkFront#allocateBuffer} (a simulated guest's granted pages: is
 * that memory any slower than other memory at a page boundary) and a buffer of
 * {@code ByteBuffer.allocateDirect} as it is (the direct rows' {@code bb64k}).
 */
public final class ReadAlignment {
    private static final long DISK = 64L << 20;
    private static final int PAGE = 4096;
    private static final String[] PLACES = {"page boundary", "+16 bytes", "+2048 bytes", "granted buffer", "allocateDirect"};
    private static final int[] OFFSETS = {0, 16, 2048};

    private ReadAlignment() {
    }

    /**
     * Runs the comparison.
     *
     * @param args bytes per read (default 65536) and rounds (default 30)
     * @throws Exception if the file cannot be made or read
     */
    public static void main(final String[] args) throws Exception {
        final int size = args.length > 0 ? Integer.parseInt(args[0]) : 65536;
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        if (size <= 0 || size % PAGE != 0 || size > 1 << 20) {
            throw new IllegalArgumentException("bytes per read=" + size + ": whole 4 KiB pages, at most 1 MiB");
        }
        final Path file = Files.createTempFile("xen4j-read-alignment", ".img");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             SimulatedDisk disk = new SimulatedDisk(new NullStore(DISK), new BlkFrontConfig("x86_64-abi", 0, 0, true, 1));
             AgentInvoker invoker = disk.connectedInvoker()) {
            final byte[] fill = new byte[1 << 20];
            new SplittableRandom(42).nextBytes(fill);
            for (long at = 0; at < DISK; at += fill.length) {
                channel.write(ByteBuffer.wrap(fill), at);
            }
            final ByteBuffer memory = ByteBuffer.allocateDirect(size + 2 * PAGE).alignedSlice(PAGE);
            final ByteBuffer[] buffers = new ByteBuffer[PLACES.length];
            for (int i = 0; i < OFFSETS.length; i++) {
                buffers[i] = memory.slice(OFFSETS[i], size);
            }
            final ByteBuf granted = disk.front.allocateBuffer(size);
            buffers[OFFSETS.length] = granted.nioBuffer(0, size);
            buffers[OFFSETS.length + 1] = ByteBuffer.allocateDirect(size);
            for (int b = OFFSETS.length; b < buffers.length; b++) {
                System.out.printf("%s starts %d bytes into its page%n", PLACES[b], MemorySegment.ofBuffer(buffers[b]).address() % PAGE);
            }
            final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            final double[][] perRead = new double[buffers.length][rounds];
            long position = 0;
            // Three rounds of warm-up; the order of the places turns with the round.
            for (int r = -3; r < rounds; r++) {
                for (int k = 0; k < buffers.length; k++) {
                    final int b = Math.floorMod(r + k, buffers.length);
                    final long cpu0 = threads.getCurrentThreadCpuTime();
                    final long wall0 = System.nanoTime();
                    long n = 0;
                    do {
                        for (int i = 0; i < 64; i++) {
                            final ByteBuffer dst = buffers[b].clear();
                            while (dst.hasRemaining()) {
                                if (channel.read(dst, position + dst.position()) < 0) {
                                    throw new java.io.IOException("end of file at " + (position + dst.position()));
                                }
                            }
                            position = (position + size) % DISK;
                        }
                        n += 64;
                    } while (System.nanoTime() - wall0 < 150_000_000L);
                    if (r >= 0) {
                        perRead[b][r] = (double) (threads.getCurrentThreadCpuTime() - cpu0) / n;
                    }
                }
            }
            for (int b = 0; b < buffers.length; b++) {
                final double[] sorted = BlkCpuRatio.sorted(perRead[b]);
                // Each round's time over the same round's at a page boundary (the same load in both).
                final double[] ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratio[r] = perRead[b][r] / perRead[0][r];
                }
                final double[] ratios = BlkCpuRatio.sorted(ratio);
                System.out.printf("%-14s %8.0f ns per %d-byte read (%.0f-%.0f), to page boundary per round %.3f (%.3f-%.3f)%n", PLACES[b],
                    BlkCpuRatio.median(sorted), size, sorted[0], sorted[rounds - 1], BlkCpuRatio.median(ratios), ratios[0],
                    ratios[rounds - 1]);
            }
            granted.release();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
