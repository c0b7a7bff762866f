package io.xen4j.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.xen4j.blk.spi.BlockStore;
import io.xen4j.blk.spi.FileBlockStore;
import io.xen4j.blk.spi.MemoryBlockStore;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stores' transfers in part of a {@link MemorySegment} (the form blkback calls for the pages
 * it maps): the bytes land in exactly the part asked for, the file store takes native memory
 * straight to its native calls and heap memory through its channel, and a part outside the
 * segment, a read into read-only memory or memory of a closed arena is refused before any I/O,
 * with the disk and the memory left as they were.
 */
@Timeout(60)
final class BlockStoreSegmentTest {
    private static final int DISK = 1 << 20;

    private static byte[] random(final long seed, final int n) {
        final byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] bytes(final MemorySegment m, final long offset, final int length) {
        return m.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    }

    /** Writes from the middle of a segment, reads into the middle of another: only that part moves. */
    private static void partsMoveAndNothingElse(final BlockStore disk) throws IOException {
        final byte[] data = random(1, 1536);
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment src = arena.allocate(4096);
            src.fill((byte) 0x5a);
            MemorySegment.copy(data, 0, src, ValueLayout.JAVA_BYTE, 100, data.length);
            disk.write(3 * 512, src, 100, data.length);
            final MemorySegment dst = arena.allocate(4096);
            dst.fill((byte) 0x33);
            disk.read(3 * 512, dst, 700, data.length);
            assertArrayEquals(data, bytes(dst, 700, data.length), "the part read");
            final byte[] before = new byte[700];
            java.util.Arrays.fill(before, (byte) 0x33);
            assertArrayEquals(before, bytes(dst, 0, 700), "nothing before the part");
            final byte[] after = new byte[4096 - 700 - data.length];
            java.util.Arrays.fill(after, (byte) 0x33);
            assertArrayEquals(after, bytes(dst, 700 + data.length, after.length), "nothing after the part");
            // The sector before the write is still zero: the write took the part, not the segment.
            final ByteBuffer sector = ByteBuffer.allocate(512);
            disk.read(2 * 512, sector);
            assertArrayEquals(new byte[512], sector.array());
        }
    }

    /** A part outside the segment, or a read into read-only memory, throws and moves no byte. */
    private static void badPartsAreRefusedAndLoseNothing(final BlockStore disk) throws IOException {
        final byte[] data = random(2, 512);
        disk.write(0, ByteBuffer.wrap(data));
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment m = arena.allocate(1024);
            m.fill((byte) 7);
            assertThrows(IndexOutOfBoundsException.class, () -> disk.read(0, m, 600, 512), "past the end");
            assertThrows(IndexOutOfBoundsException.class, () -> disk.read(0, m, -1, 512), "a negative offset");
            assertThrows(IndexOutOfBoundsException.class, () -> disk.write(0, m, 1000, 512), "a write past the end");
            final byte[] sevens = new byte[1024];
            java.util.Arrays.fill(sevens, (byte) 7);
            assertArrayEquals(sevens, m.toArray(ValueLayout.JAVA_BYTE), "the memory is untouched");
            final ByteBuffer back = ByteBuffer.allocate(512);
            disk.read(0, back);
            assertArrayEquals(data, back.array(), "the disk is untouched");
            final MemorySegment readOnly = m.asReadOnly();
            assertThrows(RuntimeException.class, () -> disk.read(0, readOnly, 0, 512), "a read into read-only memory");
            assertArrayEquals(sevens, m.toArray(ValueLayout.JAVA_BYTE), "read-only memory is not written");
            // A write from read-only memory is a write like any other.
            disk.write(512, readOnly, 0, 512);
            disk.read(512, back.clear());
            assertArrayEquals(java.util.Arrays.copyOf(sevens, 512), back.array());
            assertThrows(IOException.class, () -> disk.read(disk.sizeBytes() - 512, m, 0, 1024), "a range past the disk's end");
        }
    }

    @Test
    void theFileStoreMovesNativePartsThroughItsNativeCalls(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("parts.img");
        try (FileBlockStore disk = FileBlockStore.create(file, DISK, 512)) {
            partsMoveAndNothingElse(disk);
            assertEquals(2, disk.nativeTransfers(), "the write and the read of native memory went through pread/pwrite");
            final byte[] onDisk = Files.readAllBytes(file);
            final byte[] data = random(1, 1536);
            assertArrayEquals(data, java.util.Arrays.copyOfRange(onDisk, 3 * 512, 3 * 512 + 1536), "the file holds the part");
        }
    }

    @Test
    void theFileStoreMovesHeapPartsThroughItsChannel(@TempDir final Path dir) throws Exception {
        try (FileBlockStore disk = FileBlockStore.create(dir.resolve("heap.img"), DISK, 512)) {
            final byte[] data = random(3, 1024);
            final MemorySegment heap = MemorySegment.ofArray(new byte[4096]);
            MemorySegment.copy(data, 0, heap, ValueLayout.JAVA_BYTE, 2048, data.length);
            disk.write(4096, heap, 2048, data.length);
            final MemorySegment into = MemorySegment.ofArray(new byte[2048]);
            disk.read(4096, into, 512, data.length);
            assertArrayEquals(data, bytes(into, 512, data.length));
            assertEquals(0, disk.nativeTransfers(), "heap memory went through the channel");
        }
    }

    @Test
    void theFileStoreRefusesBadPartsBeforeAnyIo(@TempDir final Path dir) throws Exception {
        try (FileBlockStore disk = FileBlockStore.create(dir.resolve("bad.img"), DISK, 512)) {
            badPartsAreRefusedAndLoseNothing(disk);
        }
    }

    @Test
    void theFileStoreRefusesMemoryOfAClosedArena(@TempDir final Path dir) throws Exception {
        try (FileBlockStore disk = FileBlockStore.create(dir.resolve("closed.img"), DISK, 512)) {
            final MemorySegment m;
            try (Arena arena = Arena.ofShared()) {
                m = arena.allocate(4096);
            }
            final long before = disk.nativeTransfers();
            // The segment's address is still a number; the store must not hand it to the kernel.
            assertThrows(IllegalStateException.class, () -> disk.read(0, m, 0, 4096));
            assertThrows(IllegalStateException.class, () -> disk.write(0, m, 0, 4096));
            assertEquals(before, disk.nativeTransfers());
        }
    }

    @Test
    void aReadOnlyFileStoreRefusesWritesOfParts(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("ro.img");
        FileBlockStore.create(file, DISK, 512).close();
        try (FileBlockStore disk = new FileBlockStore(file, 512, true); Arena arena = Arena.ofConfined()) {
            final IOException e = assertThrows(IOException.class, () -> disk.write(0, arena.allocate(512), 0, 512));
            assertTrue(String.valueOf(e.getMessage()).contains("EROFS"), e.getMessage());
        }
    }

    @Test
    void theDirectFileStoreTakesAlignedPartsThroughODirect(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("direct.img");
        try (FileBlockStore disk = FileBlockStore.create(file, DISK, 512, true); Arena arena = Arena.ofConfined()) {
            assumeTrue(disk.direct(), "the filesystem of " + dir + " refuses O_DIRECT");
            final MemorySegment pages = arena.allocate(3 * 4096, 4096);
            final byte[] page = random(4, 4096);
            MemorySegment.copy(page, 0, pages, ValueLayout.JAVA_BYTE, 4096, page.length);
            disk.write(8192, pages, 4096, 4096);
            assertEquals(1, disk.directTransfers(), "an aligned part");
            disk.read(8192, pages, 8192, 4096);
            assertEquals(2, disk.directTransfers(), "an aligned part");
            assertArrayEquals(page, bytes(pages, 8192, 4096));
            disk.read(8192 + 512, pages, 512, 512);
            assertEquals(2, disk.directTransfers(), "a part not aligned to a page goes buffered");
            assertEquals(3, disk.nativeTransfers());
            assertArrayEquals(java.util.Arrays.copyOfRange(page, 512, 1024), bytes(pages, 512, 512));
        }
    }

    @Test
    void theMemoryStoreMovesPartsAndRefusesBadOnes() throws Exception {
        partsMoveAndNothingElse(new MemoryBlockStore(DISK));
        badPartsAreRefusedAndLoseNothing(new MemoryBlockStore(DISK));
    }

    /** {@link RecordingStore} implements only the {@link ByteBuffer} forms, as a store of the SPI's user may. */
    @Test
    void aStoreWithOnlyTheBufferFormsGetsPartsThroughTheDefaults() throws Exception {
        final RecordingStore parts = new RecordingStore(DISK);
        partsMoveAndNothingElse(parts);
        assertEquals(java.util.List.of("w:1536", "r:1536", "r:1024"), parts.log(), "the segment forms reached the buffer forms");
        badPartsAreRefusedAndLoseNothing(new RecordingStore(DISK));
    }
}
