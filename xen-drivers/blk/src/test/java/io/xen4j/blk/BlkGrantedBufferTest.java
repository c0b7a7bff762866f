package io.xen4j.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.blk.spi.BlockStore;
import io.xen4j.blk.spi.MemoryBlockStore;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link BlkFront#allocateBuffer}: reads land in the buffer's granted pages and writes are served
 * from them (the store sees the buffer's own memory, nothing is copied on the front), for every
 * alignment and size the segment rules allow, with persistent grants or without, with indirect
 * segments or without; the data is checked against the disk. A buffer outlives its connection:
 * after the backend is restarted it is copied like any other buffer.
 */
@Timeout(120)
final class BlkGrantedBufferTest {
    private static final int DISK = 4 << 20;

    /** A memory disk that records the memory address of every transfer's buffer. */
    private static final class AddressStore implements BlockStore {
        final MemoryBlockStore disk = new MemoryBlockStore(DISK);
        final List<long[]> transfers = new ArrayList<>();
        final List<String> ops = new ArrayList<>();
        /** A read that starts here fails (an I/O error of the store). */
        volatile long failReadAt = -1;

        @Override
        public int sectorSize() {
            return disk.sectorSize();
        }

        @Override
        public long sizeBytes() {
            return disk.sizeBytes();
        }

        @Override
        public boolean readOnly() {
            return false;
        }

        private synchronized void record(final ByteBuffer b) {
            final long address = b.isDirect() ? MemorySegment.ofBuffer(b).address() : -1;
            transfers.add(new long[] {address, b.remaining()});
        }

        synchronized List<long[]> transfers() {
            return List.copyOf(transfers);
        }

        synchronized List<String> ops() {
            return List.copyOf(ops);
        }

        @Override
        public void read(final long position, final ByteBuffer dst) throws IOException {
            synchronized (this) {
                ops.add("r:" + position + "+" + dst.remaining());
            }
            if (position == failReadAt) {
                throw new IOException("injected read error at " + position);
            }
            record(dst);
            disk.read(position, dst);
        }

        @Override
        public void write(final long position, final ByteBuffer src) throws IOException {
            synchronized (this) {
                ops.add("w:" + position + "+" + src.remaining());
            }
            record(src);
            disk.write(position, src);
        }

        @Override
        public void flush() {
            synchronized (this) {
                ops.add("flush");
            }
            disk.flush();
        }

        @Override
        public void discard(final long position, final long length, final boolean secure) throws IOException {
            disk.discard(position, length, secure);
        }

        @Override
        public boolean supportsDiscard() {
            return true;
        }

        @Override
        public void close() {
            disk.close();
        }
    }

    private static long address(final ByteBuf b, final int index) {
        return MemorySegment.ofBuffer(b.nioBuffer(0, b.capacity())).address() + index;
    }

    private static byte[] random(final int n, final long seed) {
        final byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /**
     * Reads and writes of several sizes at several sector-aligned places in a granted buffer:
     * the data is right and, where the backend keeps the pages mapped (persistent grants), each
     * request is one transfer straight into or out of the buffer's memory.
     */
    @ParameterizedTest(name = "persistent={0} indirect={1}")
    @CsvSource({"true,0", "true,32", "false,0", "false,32"})
    void readsLandInTheBufferAndWritesComeFromIt(final boolean persistent, final int indirect) throws Exception {
        final AddressStore disk = new AddressStore();
        final byte[] content = random(DISK, 1);
        disk.disk.write(0, ByteBuffer.wrap(content));
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), new BlkFrontConfig("x86_64-abi", 0, indirect, persistent, 1))) {
            w.awaitConnected();
            final ByteBuf buf = w.front.allocateBuffer(80 * 1024);
            assertInstanceOf(GrantedBuffer.class, buf, "a connected frontend on the simulated host grants its buffers");
            assertEquals(0, buf.writerIndex());
            assertEquals(80 * 1024, buf.maxCapacity());
            // (start in the buffer, disk offset, length): page-aligned, inside a page, across pages,
            // longer than one ring request without indirect segments (11 pages), and the whole buffer.
            final int[][] cases = {{0, 0, 4096}, {512, 8192, 1024}, {3584, 4096, 1024}, {1536, 65536, 20480},
                {0, 1 << 20, 65536}, {2048, 40960, 65536 + 8192}, {0, 3 << 20, 80 * 1024}};
            for (final int[] c : cases) {
                final int start = c[0];
                final long offset = c[1];
                final int length = c[2];
                buf.clear().writerIndex(start);
                final int before = disk.transfers().size();
                w.front.read(offset, length, buf).get(10, TimeUnit.SECONDS);
                assertEquals(start + length, buf.writerIndex());
                final byte[] got = new byte[length];
                buf.getBytes(start, got);
                final byte[] want = new byte[length];
                System.arraycopy(content, (int) offset, want, 0, length);
                assertArrayEquals(want, got, "read at buffer index " + start + " offset " + offset + " length " + length);
                if (persistent) {
                    // Each ring request went straight into the buffer: one transfer per request,
                    // at the buffer's own address, covering exactly the request's bytes.
                    long expect = address(buf, start);
                    long sum = 0;
                    for (final long[] t : disk.transfers().subList(before, disk.transfers().size())) {
                        assertEquals(expect, t[0], "a read of " + length + " at " + start + " bounced through other memory");
                        expect += t[1];
                        sum += t[1];
                    }
                    assertEquals(length, sum);
                }
            }
            // Writes (over what was read): the bytes of the buffer reach the disk, from its memory.
            final byte[] data = random(80 * 1024, 2);
            for (final int[] c : cases) {
                final int start = c[0];
                final int offset = c[1];
                final int length = c[2];
                buf.clear().writerIndex(start);
                buf.writeBytes(data, 0, length);
                buf.readerIndex(start);
                final int before = disk.transfers().size();
                w.front.write(offset, buf).get(10, TimeUnit.SECONDS);
                final byte[] want = new byte[length];
                System.arraycopy(data, 0, want, 0, length);
                assertArrayEquals(want, disk.disk.snapshot(offset, length), "write at buffer index " + start + " length " + length);
                if (persistent) {
                    assertEquals(address(buf, start), disk.transfers().get(before)[0], "a write bounced through other memory");
                }
            }
            buf.release();
            assertEquals(0, w.front.leakedGrants());
            assertEquals(null, w.front.brokenReason());
            assertEquals(null, w.back.brokenReason());
        }
    }

    /**
     * Without indirect segments a 64 KiB request is two ring requests (11 + 5 pages); in a
     * granted buffer their sectors and pages continue each other, so blkback does them as one
     * store call, then answers both; a flush after them comes after that call. A failed merged
     * transfer fails both requests (the read fails), and the device goes on.
     */
    @Test
    void adjacentRequestsOfABatchAreOneTransferAndAFlushComesAfterIt() throws Exception {
        final AddressStore disk = new AddressStore();
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), new BlkFrontConfig("x86_64-abi", 0, 0, true, 1))) {
            w.awaitConnected();
            final ByteBuf buf = w.front.allocateBuffer(65536);
            final byte[] data = random(65536, 7);
            buf.writeBytes(data);
            final int before = disk.ops().size();
            final CompletableFuture<Void> write = w.front.write(1 << 20, buf);
            final CompletableFuture<Void> flush = w.front.flush();
            write.get(10, TimeUnit.SECONDS);
            flush.get(10, TimeUnit.SECONDS);
            assertEquals(List.of("w:" + (1 << 20) + "+65536", "flush"), disk.ops().subList(before, disk.ops().size()),
                "two ring requests, one store call, then the flush");
            assertArrayEquals(data, disk.disk.snapshot(1 << 20, 65536));
            assertEquals(2, w.front.completedRequests() - 1, "the write was two ring requests (and one flush)");
            buf.clear();
            final int reads = disk.ops().size();
            w.front.read(1 << 20, 65536, buf).get(10, TimeUnit.SECONDS);
            assertEquals(List.of("r:" + (1 << 20) + "+65536"), disk.ops().subList(reads, disk.ops().size()));
            final byte[] got = new byte[65536];
            buf.getBytes(0, got);
            assertArrayEquals(data, got);
            // A merged read that fails: both its requests answered ERROR, the read fails.
            disk.failReadAt = 2 << 20;
            buf.clear();
            final java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> w.front.read(2 << 20, 65536, buf).get(10, TimeUnit.SECONDS));
            assertInstanceOf(BlockIoException.class, e.getCause());
            assertEquals(2L, w.back.rejectedByRule().get("IO_ERROR"), "both merged requests answered ERROR");
            disk.failReadAt = -1;
            buf.clear();
            w.front.read(1 << 20, 65536, buf).get(10, TimeUnit.SECONDS);
            buf.getBytes(0, got);
            assertArrayEquals(data, got, "the device goes on after a failed transfer");
            buf.release();
        }
    }

    /**
     * The copy path stays for other buffers: an ordinary buffer's read is a transfer elsewhere
     * (the pool's page), so the test above would see it.
     */
    @Test
    void anOrdinaryBufferIsCopiedThroughThePool() throws Exception {
        final AddressStore disk = new AddressStore();
        disk.disk.write(0, ByteBuffer.wrap(random(8192, 3)));
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), new BlkFrontConfig("x86_64-abi", 0, 0, true, 1))) {
            w.awaitConnected();
            final ByteBuf plain = Unpooled.directBuffer(4096);
            w.front.read(0, 4096, plain).get(10, TimeUnit.SECONDS);
            assertNotEquals(address(plain, 0), disk.transfers().get(disk.transfers().size() - 1)[0]);
            final byte[] got = new byte[4096];
            plain.getBytes(0, got);
            assertArrayEquals(disk.disk.snapshot(0, 4096), got);
        }
    }

    /**
     * The host closed a held buffer's share (its domain went away, or the host was closed): the
     * buffer's memory is gone, and releasing it later ends or keeps nothing and does not throw.
     */
    @Test
    void aBufferWhoseShareTheHostClosedReleasesQuietly() throws Exception {
        try (BlkWorld w = new BlkWorld(new MemoryBlockStore(DISK), BlkBackConfig.full(), new BlkFrontConfig("x86_64-abi", 0, 0, true, 1))) {
            w.awaitConnected();
            final ByteBuf b = w.front.allocateBuffer(8192);
            assertTrue(w.front.isGrantedBuffer(b));
            assertFalse(w.front.isGrantedBuffer(Unpooled.directBuffer(8192)), "an ordinary buffer is not granted");
            final GrantedBuffer g = (GrantedBuffer) b;
            g.pages.close();
            assertTrue(b.release(), "the release of a buffer whose share is closed");
            final ByteBuf next = w.front.allocateBuffer(8192);
            assertTrue(w.front.isGrantedBuffer(next), "a new buffer gets a new share");
            assertFalse(((GrantedBuffer) next).pages.isClosed());
            next.release();
        }
    }

    @Test
    void aReleasedBufferIsReusedZeroedAndItsCapacityIsFixed() throws Exception {
        try (BlkWorld w = new BlkWorld(new MemoryBlockStore(DISK), BlkBackConfig.full(), new BlkFrontConfig("x86_64-abi", 0, 0, true, 1))) {
            w.awaitConnected();
            final ByteBuf a = w.front.allocateBuffer(8192);
            final long at = address(a, 0);
            a.writeBytes(random(8192, 4));
            assertThrows(IndexOutOfBoundsException.class, () -> a.ensureWritable(1), "the memory is the granted pages: no growing");
            assertThrows(UnsupportedOperationException.class, () -> a.capacity(4096));
            assertTrue(a.release());
            final ByteBuf b = w.front.allocateBuffer(8192);
            assertEquals(at, address(b, 0), "the released pages are kept granted and reused");
            final byte[] got = new byte[8192];
            b.getBytes(0, got);
            assertArrayEquals(new byte[8192], got, "no stale data: a reused buffer is zeroed");
            assertThrows(IllegalArgumentException.class, () -> w.front.allocateBuffer(0));
            assertThrows(IllegalArgumentException.class, () -> w.front.allocateBuffer(BlkFront.MAX_BUFFER_BYTES + 1));
            b.release();
        }
    }

    /**
     * A buffer outlives its connection: after the backend crashed and a new one took over, the
     * buffer is ordinary memory to the new connection (its old grants ended), copied like any
     * other, and the data is still right both ways; a new buffer is granted to the new backend.
     */
    @Test
    void aBufferOfAnEndedConnectionIsCopiedAfterTheBackendRestarts() throws Exception {
        final MemoryBlockStore disk = new MemoryBlockStore(DISK);
        final byte[] content = random(65536, 5);
        disk.write(0, ByteBuffer.wrap(content));
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), new BlkFrontConfig("x86_64-abi", 0, 0, true, 1))) {
            w.awaitConnected();
            final ByteBuf old = w.front.allocateBuffer(65536);
            w.front.read(0, 65536, old).get(10, TimeUnit.SECONDS);
            final CompletableFuture<DiskInfo> first = w.front.connected();
            w.restartBackend();
            // The frontend notices, tears down and connects to the new backend.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            old.clear();
            while (true) {
                try {
                    w.front.read(0, 65536, old).get(10, TimeUnit.SECONDS);
                    break;
                } catch (final java.util.concurrent.ExecutionException e) {
                    assertTrue(System.nanoTime() < deadline, "no reconnection: " + e);
                    old.clear();
                    Thread.sleep(10);
                }
            }
            assertTrue(first.isDone());
            final byte[] got = new byte[65536];
            old.getBytes(0, got);
            assertArrayEquals(content, got, "a read into a buffer of the ended connection");
            old.clear().writeBytes(random(65536, 6));
            w.front.write(65536, old).get(10, TimeUnit.SECONDS);
            assertArrayEquals(random(65536, 6), disk.snapshot(65536, 65536), "a write from a buffer of the ended connection");
            final ByteBuf fresh = w.front.allocateBuffer(4096);
            assertInstanceOf(GrantedBuffer.class, fresh);
            w.front.read(4096, 4096, fresh).get(10, TimeUnit.SECONDS);
            final byte[] page = new byte[4096];
            fresh.getBytes(0, page);
            assertArrayEquals(java.util.Arrays.copyOfRange(content, 4096, 8192), page);
            assertFalse(w.front.brokenReason() != null, String.valueOf(w.front.brokenReason()));
            old.release();
            fresh.release();
            assertEquals(0, w.front.leakedGrants());
        }
    }

    @Test
    void theDefaultOfTheInterfaceAndAnUnconnectedFrontendGiveAnOrdinaryBuffer() throws Exception {
        try (BlkWorld w = new BlkWorld(new MemoryBlockStore(DISK), BlkBackConfig.full(), new BlkFrontConfig("x86_64-abi", 0, 0, true, 1))) {
            w.awaitConnected();
            final BlockDevice plain = new BlockDevice() {
                @Override
                public CompletableFuture<DiskInfo> connected() {
                    return w.front.connected();
                }

                @Override
                public CompletableFuture<Void> read(final long offset, final int length, final ByteBuf dst) {
                    return w.front.read(offset, length, dst);
                }

                @Override
                public void read(final long offset, final int length, final ByteBuf dst, final BlockCallback callback) {
                    w.front.read(offset, length, dst, callback);
                }

                @Override
                public void write(final long offset, final ByteBuf src, final BlockCallback callback) {
                    w.front.write(offset, src, callback);
                }

                @Override
                public CompletableFuture<Void> write(final long offset, final ByteBuf src) {
                    return w.front.write(offset, src);
                }

                @Override
                public CompletableFuture<Void> flush() {
                    return w.front.flush();
                }

                @Override
                public CompletableFuture<Void> writeBarrier(final long offset, final ByteBuf src) {
                    return w.front.writeBarrier(offset, src);
                }

                @Override
                public long capacityBytes() {
                    return w.front.capacityBytes();
                }

                @Override
                public void addCapacityListener(final java.util.function.Consumer<DiskInfo> listener) {
                    w.front.addCapacityListener(listener);
                }

                @Override
                public CompletableFuture<Void> discard(final long offset, final long length, final boolean secure) {
                    return w.front.discard(offset, length, secure);
                }
            };
            final ByteBuf b = plain.allocateBuffer(4096);
            assertFalse(b instanceof GrantedBuffer);
            assertEquals(4096, b.maxCapacity());
            b.release();
            w.front.close();
            final ByteBuf afterClose = w.front.allocateBuffer(4096);
            assertFalse(afterClose instanceof GrantedBuffer, "no connection: an ordinary buffer");
            afterClose.release();
        }
    }
}
