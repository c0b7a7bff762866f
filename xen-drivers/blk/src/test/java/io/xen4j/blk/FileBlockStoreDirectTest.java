package io.xen4j.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.blk.spi.FileBlockStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * O_DIRECT in the file store: the direct path where the filesystem allows it (ext4 and xfs do),
 * the buffered fallback where it answers EINVAL (tmpfs), and coherence between the two.
 */
@Timeout(60)
final class FileBlockStoreDirectTest {
    private static final long DISK = 8L << 20;

    private static byte[] random(final long seed, final int n) {
        final byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static boolean isTmpfs(final Path dir) {
        try {
            return Files.isDirectory(dir) && Files.isWritable(dir) && "tmpfs".equals(Files.getFileStore(dir).type());
        } catch (final IOException e) {
            return false;
        }
    }

    /** Serves the store, writes and reads back through blkfront, returns what the file holds. */
    private static void roundTrip(final FileBlockStore disk, final Path file) throws Exception {
        final byte[] big = random(1, 1 << 20);
        final byte[] odd = random(2, 1536);
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), BlkFrontConfig.defaults())) {
            w.awaitConnected();
            w.front.writeBlocking(1 << 20, Unpooled.wrappedBuffer(big));
            // 512-byte aligned only: the buffered path, on the same file.
            w.front.writeBlocking(4096 + 512, Unpooled.wrappedBuffer(odd));
            w.front.flushBlocking();
            final ByteBuf b = Unpooled.buffer(1 << 20);
            w.front.readBlocking(1 << 20, 1 << 20, b);
            final byte[] got = new byte[1 << 20];
            b.readBytes(got);
            assertArrayEquals(big, got);
            final ByteBuf page = Unpooled.buffer(8192);
            w.front.readBlocking(4096, 8192, page);
            final byte[] p = new byte[8192];
            page.readBytes(p);
            assertArrayEquals(odd, java.util.Arrays.copyOfRange(p, 512, 512 + odd.length));
        }
        final byte[] onDisk = Files.readAllBytes(file);
        assertArrayEquals(big, java.util.Arrays.copyOfRange(onDisk, 1 << 20, 2 << 20));
        assertArrayEquals(odd, java.util.Arrays.copyOfRange(onDisk, 4096 + 512, 4096 + 512 + odd.length));
    }

    @Test
    void theDirectPathWhereTheFilesystemAllowsIt(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("direct.img");
        try (FileBlockStore disk = FileBlockStore.create(file, DISK, 512, true)) {
            assumeTrue(disk.direct(), "the filesystem of " + dir + " refuses O_DIRECT (" + Files.getFileStore(dir).type() + ")");
            roundTrip(disk, file);
            assertTrue(disk.directTransfers() >= 2, "aligned transfers went through O_DIRECT: " + disk.directTransfers());
        }
    }

    @Test
    void bufferedAndDirectTransfersOfOneStoreSeeEachOther(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("mixed.img");
        try (FileBlockStore disk = FileBlockStore.create(file, DISK, 512, true)) {
            assumeTrue(disk.direct(), "the filesystem of " + dir + " refuses O_DIRECT");
            // Buffered: a heap buffer, a 512-byte aligned position.
            final byte[] small = random(3, 512);
            disk.write(512, ByteBuffer.wrap(small));
            // Direct: an aligned native buffer, an aligned position and length.
            final ByteBuffer aligned = ByteBuffer.allocateDirect(3 * 4096).alignedSlice(4096).limit(4096);
            final long before = disk.directTransfers();
            disk.read(0, aligned);
            assertEquals(before + 1, disk.directTransfers());
            final byte[] got = new byte[512];
            aligned.get(512, got);
            assertArrayEquals(small, got, "a direct read sees a buffered write");
            final byte[] page = random(4, 4096);
            aligned.clear().limit(4096);
            aligned.put(page).flip();
            disk.write(8192, aligned);
            assertEquals(before + 2, disk.directTransfers());
            final ByteBuffer heap = ByteBuffer.allocate(4096);
            disk.read(8192, heap);
            assertArrayEquals(page, heap.array(), "a buffered read sees a direct write");
        }
    }

    @Test
    void whereTheFilesystemAnswersEinvalTheStoreFallsBackToBufferedIo() throws Exception {
        // sysfs has no direct_IO: open(O_DIRECT) is EINVAL there on every kernel (tmpfs accepts
        // O_DIRECT since Linux 6.6, so it no longer shows the fallback). A 4096-byte attribute,
        // opened read-only.
        final Path attr = Path.of("/sys/kernel/uevent_seqnum");
        assumeTrue(Files.isReadable(attr), "no sysfs here");
        try (FileBlockStore disk = new FileBlockStore(attr, 512, true, true)) {
            assertFalse(disk.direct(), "sysfs answers EINVAL to O_DIRECT");
            assertEquals(4096, disk.sizeBytes());
            final ByteBuffer aligned = ByteBuffer.allocateDirect(2 * 4096).alignedSlice(4096).limit(1);
            disk.read(0, aligned);
            assertEquals(0, disk.directTransfers());
            final byte[] text = new byte[1];
            aligned.get(0, text);
            assertTrue(Character.isDigit(text[0]), "the attribute's value, read buffered: " + new String(text, java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aTmpfsFileWorksWhicheverWayTheKernelAnswers() throws Exception {
        final Path shm = Path.of("/dev/shm");
        assumeTrue(isTmpfs(shm), "no writable tmpfs at /dev/shm");
        final Path dir = Files.createTempDirectory(shm, "xen4j-blk-");
        final Path file = dir.resolve("tmpfs.img");
        try {
            try (FileBlockStore disk = FileBlockStore.create(file, DISK, 512, true)) {
                roundTrip(disk, file);
                // Before Linux 6.6 tmpfs refused O_DIRECT (fallback); since then it accepts it.
                assertEquals(disk.direct(), disk.directTransfers() > 0, "direct=" + disk.direct());
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void withoutDirectAskedForNothingGoesDirect(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("buffered.img");
        try (FileBlockStore disk = FileBlockStore.create(file, DISK, 512)) {
            assertFalse(disk.direct());
            roundTrip(disk, file);
            assertEquals(0, disk.directTransfers());
        }
    }
}
