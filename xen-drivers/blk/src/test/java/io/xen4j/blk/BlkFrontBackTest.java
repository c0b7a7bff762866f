package io.xen4j.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.abi.blkif.Blkif;
import io.xen4j.blk.spi.BlockStore;
import io.xen4j.blk.spi.FileBlockStore;
import io.xen4j.blk.spi.MemoryBlockStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** blkfront against blkback through the simulated host: the feature matrix, data checked by CRC32C. */
final class BlkFrontBackTest {
    private static final long DISK = 8L << 20;

    static Stream<Arguments> matrix() {
        final List<Arguments> out = new ArrayList<>();
        for (final String protocol : new String[] {"x86_64-abi", "x86_32-abi"}) {
            for (final int order : new int[] {0, 2, 4}) {
                for (final int indirect : new int[] {0, 64}) {
                    for (final int sectorSize : new int[] {512, 4096}) {
                        for (final boolean persistent : new boolean[] {false, true}) {
                            for (final int queues : new int[] {1, 3}) {
                                out.add(Arguments.of(protocol, order, indirect, sectorSize, persistent, queues));
                            }
                        }
                    }
                }
            }
        }
        return out.stream();
    }

    private static long crc(final byte[] bytes) {
        final CRC32C c = new CRC32C();
        c.update(bytes);
        return c.getValue();
    }

    private static byte[] random(final Random rnd, final int n) {
        final byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    @ParameterizedTest(name = "{0} ring-order={1} indirect={2} sector={3} persistent={4} queues={5}")
    @MethodSource("matrix")
    void writesAndReadsBackEveryFeatureCombination(final String protocol, final int order, final int indirect,
                                                   final int sectorSize, final boolean persistent, final int queues) throws Exception {
        writeAndReadBack(new MemoryBlockStore(DISK, sectorSize, 4096, false), protocol, order, indirect, sectorSize, persistent, queues);
    }

    /**
     * The same matrix on a file (with O_DIRECT where the filesystem allows it): blkback's transfers
     * straight between the pages it keeps and the file, through its bounce buffer for pages that are
     * not one run of memory, each as part of a segment the store hands to {@code pread}/{@code pwrite}.
     */
    @ParameterizedTest(name = "file: {0} ring-order={1} indirect={2} sector={3} persistent={4} queues={5}")
    @MethodSource("matrix")
    void theFileStoreServesEveryFeatureCombination(final String protocol, final int order, final int indirect, final int sectorSize,
                                                   final boolean persistent, final int queues, @TempDir final Path dir) throws Exception {
        try (FileBlockStore disk = FileBlockStore.create(dir.resolve("matrix.img"), DISK, sectorSize, true)) {
            writeAndReadBack(disk, protocol, order, indirect, sectorSize, persistent, queues);
            assertTrue(disk.nativeTransfers() > 0, "transfers through pread/pwrite");
        }
    }

    private static byte[] snapshot(final BlockStore disk, final long position, final int length) throws java.io.IOException {
        final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(length);
        disk.read(position, b);
        return b.array();
    }

    private static void writeAndReadBack(final BlockStore disk, final String protocol, final int order, final int indirect,
                                         final int sectorSize, final boolean persistent, final int queues) throws Exception {
        final BlkBackConfig bc = new BlkBackConfig(order, indirect, true, true, persistent, 4);
        try (BlkWorld w = new BlkWorld(disk, bc, new BlkFrontConfig(protocol, order, indirect, persistent, queues))) {
            final DiskInfo info = w.awaitConnected();
            assertEquals(DISK / 512, info.sectors());
            assertEquals(sectorSize, info.sectorSize());
            assertEquals(1 << order, info.ringPages());
            assertEquals(indirect, info.maxIndirectSegments());
            assertEquals(protocol, info.protocol());
            assertEquals(queues, info.queues());
            assertEquals(persistent, info.persistentGrants());
            final Random rnd = new Random(order * 31L + indirect + sectorSize);
            // Concurrent requests of mixed sizes, some larger than a ring request (split); on
            // 512-byte sectors also two that start and end inside a page (segments whose first
            // and last sectors are not the page's).
            final int[] sizes = sectorSize == 512 ? new int[] {4096, 8192, 45056, 65536, 262144, 1 << 20, 1536, 9216}
                : new int[] {4096, 8192, 45056, 65536, 262144, 1 << 20};
            final List<CompletableFuture<Void>> writes = new ArrayList<>();
            final List<byte[]> data = new ArrayList<>();
            final long[] offsets = new long[sizes.length];
            long at = 0;
            for (int i = 0; i < sizes.length; i++) {
                offsets[i] = at + (sizes[i] % 4096 == 0 ? 0 : 1024);
                data.add(random(rnd, sizes[i]));
                writes.add(w.front.write(offsets[i], Unpooled.wrappedBuffer(data.get(i))));
                at += sizes[i] + 4096L * 3;
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            w.front.flushBlocking();
            final List<CompletableFuture<Void>> reads = new ArrayList<>();
            final List<ByteBuf> bufs = new ArrayList<>();
            for (int i = 0; i < sizes.length; i++) {
                final ByteBuf b = Unpooled.buffer(sizes[i]);
                bufs.add(b);
                reads.add(w.front.read(offsets[i], sizes[i], b));
            }
            CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < sizes.length; i++) {
                final byte[] got = new byte[sizes[i]];
                bufs.get(i).readBytes(got);
                assertEquals(crc(data.get(i)), crc(got), "read back " + i);
                assertEquals(crc(data.get(i)), crc(snapshot(disk, offsets[i], sizes[i])), "on disk " + i);
            }
            // Into and out of a buffer of the device from inside its first page: the store moves
            // the bytes straight between the disk and the pages, from an offset inside them.
            final ByteBuf granted = w.front.allocateBuffer(3 * 4096);
            try {
                final int inPage = sectorSize == 512 ? 1024 : 0;
                final int length = 2 * 4096 - inPage;
                granted.writerIndex(inPage);
                w.front.readBlocking(offsets[5], length, granted);
                final byte[] got = new byte[length];
                granted.getBytes(inPage, got);
                assertArrayEquals(java.util.Arrays.copyOf(data.get(5), length), got, "read into a granted buffer at " + inPage);
                final byte[] again = random(rnd, length);
                granted.setBytes(inPage, again);
                granted.readerIndex(inPage).writerIndex(inPage + length);
                w.front.writeBlocking(offsets[5] + 4096, granted);
                assertArrayEquals(again, snapshot(disk, offsets[5] + 4096, length), "written from a granted buffer at " + inPage);
            } finally {
                granted.release();
            }
            assertNull(w.back.brokenReason());
            assertNull(w.front.brokenReason());
            assertEquals(0, w.front.leakedGrants());
            assertEquals(persistent, w.back.persistentGrants() > 0, "persistent grants kept by the backend");
        }
    }

    @Test
    void flushIsOrderedAfterTheWritesBeforeIt() throws Exception {
        final MemoryBlockStore disk = new MemoryBlockStore(DISK);
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), BlkFrontConfig.defaults())) {
            w.awaitConnected();
            final byte[] a = random(new Random(1), 65536);
            final List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                writes.add(w.front.write(i * 65536L, Unpooled.wrappedBuffer(a)));
            }
            final CompletableFuture<Void> flush = w.front.flush();
            flush.get(20, TimeUnit.SECONDS);
            // Every write issued before the flush completed before it.
            for (final CompletableFuture<Void> f : writes) {
                assertTrue(f.isDone() && !f.isCompletedExceptionally());
            }
            assertEquals(1, disk.flushes());
        }
    }

    @Test
    void discardAndSecureDiscardZeroTheRange() throws Exception {
        final MemoryBlockStore disk = new MemoryBlockStore(DISK);
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), BlkFrontConfig.defaults())) {
            final DiskInfo info = w.awaitConnected();
            assertTrue(info.discard() && info.discardSecure());
            w.front.writeBlocking(0, Unpooled.wrappedBuffer(random(new Random(2), 16384)));
            w.front.discardBlocking(4096, 4096, false);
            w.front.discardBlocking(8192, 4096, true);
            final byte[] zeros = new byte[8192];
            assertArrayEquals(zeros, disk.snapshot(4096, 8192));
        }
    }

    @Test
    void featuresTheBackendDoesNotOfferFailWithEopnotsupp() throws Exception {
        final MemoryBlockStore disk = new MemoryBlockStore(DISK);
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.minimal(), BlkFrontConfig.defaults())) {
            final DiskInfo info = w.awaitConnected();
            assertFalse(info.flush());
            assertFalse(info.discardSecure());
            final BlockIoException e = assertThrows(BlockIoException.class, () -> w.front.flushBlocking());
            assertEquals(Blkif.BLKIF_RSP_EOPNOTSUPP, e.status());
            assertTrue(String.valueOf(e.getMessage()).contains("vbd-"), e.getMessage());
            assertThrows(BlockIoException.class, () -> w.front.discardBlocking(0, 4096, true));
        }
    }

    @Test
    void aReadOnlyDiskReadsButRefusesWritesAndDiscards() throws Exception {
        final MemoryBlockStore disk = new MemoryBlockStore(DISK, 512, 512, true);
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), BlkFrontConfig.defaults())) {
            assertTrue(w.awaitConnected().readOnly());
            final ByteBuf b = Unpooled.buffer(4096);
            w.front.readBlocking(0, 4096, b);
            assertEquals(4096, b.readableBytes());
            final BlockIoException e = assertThrows(BlockIoException.class,
                () -> w.front.writeBlocking(0, Unpooled.wrappedBuffer(new byte[4096])));
            assertTrue(String.valueOf(e.getMessage()).contains("read-only"), e.getMessage());
            assertThrows(BlockIoException.class, () -> w.front.discardBlocking(0, 4096, false));
            assertThrows(BlockIoException.class, () -> w.front.readBlocking(DISK, 4096, Unpooled.buffer(4096)));
        }
    }

    @Test
    void aFileServedAsADiskKeepsItsData(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("disk.img");
        final byte[] data = random(new Random(3), 1 << 20);
        try (FileBlockStore disk = FileBlockStore.create(file, DISK, 512);
             BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), BlkFrontConfig.defaults())) {
            w.awaitConnected();
            w.front.writeBlocking(1 << 20, Unpooled.wrappedBuffer(data));
            w.front.flushBlocking();
            w.front.discardBlocking(1 << 20, 4096, false);
        }
        final byte[] onDisk = java.nio.file.Files.readAllBytes(file);
        final byte[] expect = data.clone();
        java.util.Arrays.fill(expect, 0, 4096, (byte) 0);
        assertArrayEquals(expect, java.util.Arrays.copyOfRange(onDisk, 1 << 20, 2 << 20));
    }

    @Test
    void aBackendCrashMidRequestThenRestartedLosesNoWrite() throws Exception {
        final MemoryBlockStore disk = new MemoryBlockStore(DISK);
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), BlkFrontConfig.defaults())) {
            w.awaitConnected();
            final Random rnd = new Random(4);
            final List<CompletableFuture<Void>> writes = new ArrayList<>();
            final List<byte[]> data = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                data.add(random(rnd, 16384));
                writes.add(w.front.write(i * 16384L, Unpooled.wrappedBuffer(data.get(i))));
                if (i == 20) {
                    w.restartBackend();
                }
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 64; i++) {
                final ByteBuf b = Unpooled.buffer(16384);
                w.front.readBlocking(i * 16384L, 16384, b);
                final byte[] got = new byte[16384];
                b.readBytes(got);
                assertArrayEquals(data.get(i), got, "write " + i);
            }
        }
    }
}
