package io.xen4j.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.blk.spi.MemoryBlockStore;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * blkback keeps at most {@link BlkBack#MAX_PERSISTENT} grants mapped; a request whose segments
 * go beyond maps those for itself only and unmaps them after. Two granted buffers of 1024 pages
 * each make 2048 distinct grants: the data still goes both ways, and the count stays at the limit.
 */
@Timeout(60)
final class BlkPersistentLimitTest {
    private static final int BUFFER = 4 << 20;

    private static byte[] random(final long seed) {
        final byte[] b = new byte[BUFFER];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void grantsBeyondTheLimitAreMappedPerRequestAndTheDataIsRight() throws Exception {
        final MemoryBlockStore disk = new MemoryBlockStore(4L * BUFFER);
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), new BlkFrontConfig("x86_64-abi", 0, 0, true, 1))) {
            w.awaitConnected();
            final ByteBuf a = w.front.allocateBuffer(BUFFER);
            final ByteBuf b = w.front.allocateBuffer(BUFFER);
            assertTrue(w.front.isGrantedBuffer(a) && w.front.isGrantedBuffer(b));
            final byte[] first = random(1);
            final byte[] second = random(2);
            a.writeBytes(first);
            b.writeBytes(second);
            w.front.write(0, a).get(20, TimeUnit.SECONDS);
            w.front.write(BUFFER, b).get(20, TimeUnit.SECONDS);
            assertArrayEquals(first, disk.snapshot(0, BUFFER));
            assertArrayEquals(second, disk.snapshot(BUFFER, BUFFER));
            assertEquals(BlkBack.MAX_PERSISTENT, w.back.persistentGrants(), "kept up to the limit, the rest per request");
            // Reads into the pages beyond the limit too: the second buffer gets the first's data.
            b.clear();
            w.front.read(0, BUFFER, b).get(20, TimeUnit.SECONDS);
            final byte[] got = new byte[BUFFER];
            b.getBytes(0, got);
            assertArrayEquals(first, got);
            final ByteBuf plain = Unpooled.directBuffer(BUFFER);
            w.front.read(BUFFER, BUFFER, plain).get(20, TimeUnit.SECONDS);
            plain.getBytes(0, got);
            assertArrayEquals(second, got);
            assertEquals(BlkBack.MAX_PERSISTENT, w.back.persistentGrants());
            a.release();
            b.release();
        }
    }
}
