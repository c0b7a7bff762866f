package io.xen4j.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.xen4j.blk.spi.MemoryBlockStore;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * On a persistent connection blkback keeps the frontend's indirect descriptor pages mapped like
 * its data pages (Linux's blkback does the same): a frontend that reuses its indirect pages has
 * them mapped once, not once per request; beyond {@link BlkBack#MAX_PERSISTENT} an indirect page
 * is mapped for its request only and unmapped after it.
 */
@Timeout(60)
final class BlkPersistentIndirectTest {
    private static final int KIB64 = 64 * 1024;
    private static final int MIB4 = 4 << 20;

    private static byte[] random(final int length, final long seed) {
        final byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void anIndirectPageIsMappedOnceAndKept() throws Exception {
        final MemoryBlockStore disk = new MemoryBlockStore(1 << 20);
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), new BlkFrontConfig("x86_64-abi", 0, 32, true, 1))) {
            w.awaitConnected();
            final ByteBuf buf = w.front.allocateBuffer(KIB64);
            final byte[] data = random(KIB64, 6);
            buf.writeBytes(data);
            // 16 segments: more than a request holds directly, so one indirect request.
            w.front.write(KIB64, buf).get(20, TimeUnit.SECONDS);
            assertArrayEquals(data, disk.snapshot(KIB64, KIB64));
            final long mappingsBefore = w.xen.dom0().resources().grantMappings();
            final int keptBefore = w.back.persistentGrants();
            // The 16 data pages and the indirect page(s) the frontend's pool gave.
            assertTrue(keptBefore > KIB64 / 4096, "indirect page kept beside the 16 data pages: " + keptBefore);
            for (int i = 0; i < 20; i++) {
                buf.clear();
                w.front.read(KIB64, KIB64, buf).get(20, TimeUnit.SECONDS);
                final byte[] got = new byte[KIB64];
                buf.getBytes(0, got);
                assertArrayEquals(data, got, "read " + i);
            }
            assertEquals(keptBefore, w.back.persistentGrants(), "the same pages again: nothing new kept");
            assertEquals(mappingsBefore, w.xen.dom0().resources().grantMappings(), "no mapping left behind or added");
            buf.release();
        }
    }

    @Test
    void indirectPagesBeyondTheLimitAreMappedPerRequest() throws Exception {
        final MemoryBlockStore disk = new MemoryBlockStore(2L * MIB4);
        // Two rings' worth of slots: both buffers' 32 indirect requests each are in flight at once,
        // so the second buffer's requests bring indirect pages of their own after the limit.
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), new BlkFrontConfig("x86_64-abi", 1, 32, true, 1))) {
            w.awaitConnected();
            final ByteBuf a = w.front.allocateBuffer(MIB4);
            final ByteBuf b = w.front.allocateBuffer(MIB4);
            final byte[] first = random(MIB4, 1);
            final byte[] second = random(MIB4, 2);
            a.writeBytes(first);
            b.writeBytes(second);
            final CompletableFuture<Void> wa = w.front.write(0, a);
            final CompletableFuture<Void> wb = w.front.write(MIB4, b);
            CompletableFuture.allOf(wa, wb).get(20, TimeUnit.SECONDS);
            assertArrayEquals(first, disk.snapshot(0, MIB4));
            assertArrayEquals(second, disk.snapshot(MIB4, MIB4));
            assertEquals(BlkBack.MAX_PERSISTENT, w.back.persistentGrants(), "kept up to the limit, the rest per request");
            final long mappings = w.xen.dom0().resources().grantMappings();
            a.clear();
            b.clear();
            final CompletableFuture<Void> ra = w.front.read(MIB4, MIB4, a);
            final CompletableFuture<Void> rb = w.front.read(0, MIB4, b);
            CompletableFuture.allOf(ra, rb).get(20, TimeUnit.SECONDS);
            final byte[] got = new byte[MIB4];
            a.getBytes(0, got);
            assertArrayEquals(second, got);
            b.getBytes(0, got);
            assertArrayEquals(first, got);
            assertEquals(BlkBack.MAX_PERSISTENT, w.back.persistentGrants());
            assertEquals(mappings, w.xen.dom0().resources().grantMappings(), "every per-request mapping was unmapped");
            a.release();
            b.release();
        }
    }
}
