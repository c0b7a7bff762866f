package io.xen4j.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.blk.spi.FileBlockStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file store's native calls ({@code pread}/{@code pwrite} through FFM) for transfers in native
 * memory: that they are taken where native access is enabled (as in these tests) and agree with
 * the channel, that a close while other threads transfer never lets one of them reach another
 * file through a reused descriptor (the number names a dead pipe until the store is collected),
 * and that without native access the store says which flag is
 * missing and works through its channel.
 */
@Timeout(120)
final class FileBlockStoreNativeTest {
    private static final int DISK = 4 << 20;

    private static byte[] random(final long seed, final int n) {
        final byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void directBuffersGoThroughNativeCallsAndAgreeWithTheChannel(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("native.img");
        try (FileBlockStore disk = FileBlockStore.create(file, DISK, 512)) {
            final byte[] data = random(1, 1536);
            // Sector-aligned, not page-aligned: native calls take any native memory and position.
            final ByteBuffer src = ByteBuffer.allocateDirect(1536).put(data).flip();
            disk.write(3 * 512, src);
            assertEquals(1, disk.nativeTransfers());
            assertFalse(src.hasRemaining(), "the source is consumed as by a channel write");
            final ByteBuffer heap = ByteBuffer.allocate(1536);
            disk.read(3 * 512, heap);
            assertEquals(1, disk.nativeTransfers(), "a heap buffer goes through the channel");
            assertArrayEquals(data, heap.array(), "the channel sees the native write");
            final ByteBuffer dst = ByteBuffer.allocateDirect(2048).position(512);
            disk.read(3 * 512, dst);
            assertEquals(2, disk.nativeTransfers());
            assertEquals(2048, dst.position(), "the destination is filled as by a channel read");
            final byte[] got = new byte[1536];
            dst.get(512, got);
            assertArrayEquals(data, got);
            assertArrayEquals(data, java.util.Arrays.copyOfRange(Files.readAllBytes(file), 3 * 512, 3 * 512 + 1536));
            assertEquals(0, disk.directTransfers(), "nothing was opened with O_DIRECT");
        }
    }

    @Test
    void aReadIntoAReadOnlyDirectBufferIsRefusedAsByTheChannel(@TempDir final Path dir) throws Exception {
        try (FileBlockStore disk = FileBlockStore.create(dir.resolve("ro.img"), DISK, 512)) {
            final ByteBuffer readOnly = ByteBuffer.allocateDirect(512).asReadOnlyBuffer();
            assertThrows(IllegalArgumentException.class, () -> disk.read(0, readOnly));
            assertEquals(0, disk.nativeTransfers());
        }
    }

    @Test
    void blkbackServesThroughNativeCalls(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("served.img");
        final byte[] data = random(2, 64 * 1024);
        try (FileBlockStore disk = FileBlockStore.create(file, DISK, 512);
             BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), BlkFrontConfig.defaults())) {
            w.awaitConnected();
            w.front.writeBlocking(8192, Unpooled.wrappedBuffer(data));
            final ByteBuf back = Unpooled.buffer(data.length);
            w.front.readBlocking(8192, data.length, back);
            final byte[] got = new byte[data.length];
            back.readBytes(got);
            assertArrayEquals(data, got);
            // blkback hands the store direct buffers over the pages it maps.
            assertTrue(disk.nativeTransfers() >= 2, "native transfers: " + disk.nativeTransfers());
        }
    }

    /**
     * Readers on four threads while the store is closed and other files are opened at once (their
     * descriptors likely take the number just freed): every read either returns this file's bytes
     * or fails saying the store is closed, and no descriptor names the file afterwards.
     */
    @Test
    void aCloseWhileOthersReadNeverLetsThemReachAnotherFile(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("mine.img");
        final Path other = dir.resolve("other.img");
        final byte[] mine = new byte[DISK];
        java.util.Arrays.fill(mine, (byte) 0xA5);
        Files.write(file, mine);
        final byte[] theirs = new byte[DISK];
        java.util.Arrays.fill(theirs, (byte) 0x5A);
        Files.write(other, theirs);
        final int before = descriptorsOf(file);
        final FileBlockStore disk = new FileBlockStore(file, 512, true);
        assertEquals(before + 2, descriptorsOf(file), "the channel and the native descriptor");
        final AtomicLong reads = new AtomicLong();
        final ExecutorService pool = Executors.newFixedThreadPool(4);
        final List<Future<String>> ends = new ArrayList<>();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            for (int t = 0; t < 4; t++) {
                final int seed = t;
                ends.add(pool.submit(() -> {
                    final ByteBuffer buf = ByteBuffer.allocateDirect(4096);
                    final SplittableRandom r = new SplittableRandom(seed);
                    while (System.nanoTime() < deadline) {
                        buf.clear();
                        try {
                            disk.read((long) r.nextInt(DISK / 4096) * 4096, buf);
                        } catch (final IOException e) {
                            return e.getMessage();
                        }
                        for (int i = 0; i < 4096; i++) {
                            if (buf.get(i) != (byte) 0xA5) {
                                return "WRONG DATA: byte " + i + " is " + buf.get(i);
                            }
                        }
                        reads.incrementAndGet();
                    }
                    return "still reading at the deadline";
                }));
            }
            while (reads.get() < 2_000 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            disk.close();
            // Descriptors opened right after the close: one may take the number just freed.
            final List<java.nio.channels.FileChannel> opened = new ArrayList<>();
            try {
                for (int i = 0; i < 16; i++) {
                    opened.add(java.nio.channels.FileChannel.open(other));
                }
                for (final Future<String> end : ends) {
                    final String why = end.get(60, TimeUnit.SECONDS);
                    assertNotNull(why);
                    assertTrue(why.contains("the file store is closed") || why.contains("Closed"), why);
                }
            } finally {
                for (final java.nio.channels.FileChannel c : opened) {
                    c.close();
                }
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
        assertTrue(reads.get() >= 2_000, "reads before the close: " + reads.get());
        assertEquals(before, descriptorsOf(file), "neither descriptor names the file after the close");
    }

    /** Descriptors of this process open on a file (Linux's /proc/self/fd). */
    private static int descriptorsOf(final Path file) throws IOException {
        return numbersOf(file.toRealPath()).size();
    }

    @Test
    void aCloseLetsGoOfTheFileAtOnceAndItsNumberWhenCollected(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("closed.img");
        FileBlockStore.create(file, DISK, 512).close();
        final Path number = openUseAndClose(file);
        final Path deadPipe = Files.readSymbolicLink(number);
        // Nothing refers to the store any more: its number is closed when it is collected.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (deadPipe.equals(linkOrNull(number)) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertNotEquals(deadPipe, linkOrNull(number), "the number " + number + " is closed once the store is collected");
    }

    /**
     * A store opened, used, closed and checked, kept by no one after this returns.
     *
     * @return the /proc/self/fd entry of its native descriptor
     */
    private static Path openUseAndClose(final Path file) throws IOException {
        final Path real = file.toRealPath();
        final List<Path> before = numbersOf(real);
        final FileBlockStore disk = new FileBlockStore(file, 512, false);
        final List<Path> open = numbersOf(real);
        open.removeAll(before);
        assertEquals(2, open.size(), "the channel and the native descriptor: " + open);
        final ByteBuffer page = ByteBuffer.allocateDirect(4096);
        disk.read(0, page);
        disk.close();
        assertEquals(before, numbersOf(real), "no descriptor names the file after the close");
        final List<Path> pipes = open.stream().filter(n -> String.valueOf(linkOrNull(n)).startsWith("pipe:")).toList();
        assertEquals(1, pipes.size(), "the native descriptor's number names the dead pipe until the store is collected: " + pipes);
        final IOException e = assertThrows(IOException.class, () -> disk.read(0, page.clear()));
        final String why = String.valueOf(e.getMessage());
        assertTrue(why.contains("closed") && why.contains(file.toString()), why);
        assertThrows(IOException.class, () -> disk.write(0, page.clear()));
        return pipes.get(0);
    }

    /** The /proc/self/fd entries that name a file. */
    private static List<Path> numbersOf(final Path real) throws IOException {
        final List<Path> numbers = new ArrayList<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (final Path fd : (Iterable<Path>) fds::iterator) {
                if (real.equals(linkOrNull(fd))) {
                    numbers.add(fd);
                }
            }
        }
        return numbers;
    }

    /** What a /proc/self/fd entry names, or null once it is closed. */
    private static @Nullable Path linkOrNull(final Path fd) {
        try {
            return Files.readSymbolicLink(fd);
        } catch (final IOException e) {
            return null;
        }
    }

    @Test
    void withoutNativeAccessTheStoreNamesTheFlagAndUsesItsChannel(@TempDir final Path dir) throws Exception {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process p = new ProcessBuilder(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), StoreWithoutNativeAccess.class.getName(), dir.resolve("plain.img").toString())
            .redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("O_DIRECT asked for but not available"), out);
        assertTrue(out.contains("--enable-native-access=ALL-UNNAMED"), out);
        assertTrue(out.contains("ROUND TRIP OK native=0 direct=false"), out);
        // The store checks before it links anything: the JDK has no restricted call to warn about.
        assertFalse(out.contains("restricted method"), out);
    }
}
