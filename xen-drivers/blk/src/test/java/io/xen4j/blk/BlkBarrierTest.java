package io.xen4j.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.xen4j.abi.blkif.Blkif;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** BLKIF_OP_WRITE_BARRIER from blkfront to blkback: advertised, ordered, emulated with flushes, or EOPNOTSUPP. */
@Timeout(60)
final class BlkBarrierTest {
    private static final long DISK = 8L << 20;
    private static final long BARRIER_AT = 2L << 20;
    private static final long LATER_AT = 3L << 20;

    private static byte[] random(final long seed, final int n) {
        final byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /**
     * Submits 16 writes, a barrier write, 16 writes, all at once; returns the store's log after
     * checking that the earlier writes completed before the barrier did.
     */
    private static List<String> writesAroundABarrier(final BlkWorld w, final RecordingStore disk, final int barrierBytes) throws Exception {
        final List<CompletableFuture<Void>> before = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            before.add(w.front.write(i * 65536L, Unpooled.wrappedBuffer(random(i, 65536))));
        }
        final byte[] payload = random(99, barrierBytes);
        final CompletableFuture<Void> barrier = w.front.writeBarrier(BARRIER_AT, Unpooled.wrappedBuffer(payload));
        final List<CompletableFuture<Void>> after = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            after.add(w.front.write(LATER_AT + i * 65536L, Unpooled.wrappedBuffer(random(100 + i, 65536))));
        }
        barrier.get(30, TimeUnit.SECONDS);
        for (final CompletableFuture<Void> f : before) {
            assertTrue(f.isDone() && !f.isCompletedExceptionally(), "an earlier write completed before the barrier");
        }
        CompletableFuture.allOf(after.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertArrayEquals(payload, disk.disk.snapshot((int) BARRIER_AT, barrierBytes));
        assertNull(w.front.brokenReason());
        assertNull(w.back.brokenReason());
        return disk.log();
    }

    /** Checks the log: earlier writes, flush, the barrier's write(s), flush, later writes. */
    private static void assertOrdered(final List<String> log, final int barrierWrites) {
        final int first = log.indexOf("w:" + BARRIER_AT);
        assertTrue(first > 0, log.toString());
        assertEquals("flush", log.get(first - 1), "a flush right before the barrier write: " + log);
        final int last = first + barrierWrites - 1;
        for (int i = first; i <= last; i++) {
            assertTrue(log.get(i).startsWith("w:"), log.toString());
            final long at = Long.parseLong(log.get(i).substring(2));
            assertTrue(at >= BARRIER_AT && at < LATER_AT, "the barrier's own writes: " + log);
        }
        assertEquals("flush", log.get(last + 1), "a flush right after the barrier write: " + log);
        for (int i = 0; i < log.size(); i++) {
            if (!log.get(i).startsWith("w:")) {
                continue;
            }
            final long at = Long.parseLong(log.get(i).substring(2));
            if (at < BARRIER_AT) {
                assertTrue(i < first - 1, "earlier write " + at + " before the barrier's flush: " + log);
            } else if (at >= LATER_AT) {
                assertTrue(i > last + 1, "later write " + at + " after the barrier's flush: " + log);
            }
        }
    }

    @Test
    void theBackendAdvertisesAndOrdersABarrier() throws Exception {
        final RecordingStore disk = new RecordingStore(DISK);
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), BlkFrontConfig.defaults())) {
            final DiskInfo info = w.awaitConnected();
            assertTrue(info.barrier());
            assertEquals("1", w.dom0Store.read(w.device.backend("feature-barrier")));
            assertOrdered(writesAroundABarrier(w, disk, 16384), 1);
            assertEquals(1, w.back.barriers());
        }
    }

    @Test
    void aBarrierLargerThanElevenSegmentsIsSplitIntoOrderedBarriers() throws Exception {
        final RecordingStore disk = new RecordingStore(DISK);
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), BlkFrontConfig.defaults())) {
            w.awaitConnected();
            final byte[] payload = random(7, 65536);
            w.front.writeBarrierBlocking(BARRIER_AT, Unpooled.wrappedBuffer(payload));
            assertEquals(2, w.back.barriers(), "45056 + 20480 bytes");
            assertArrayEquals(payload, disk.disk.snapshot((int) BARRIER_AT, payload.length));
            assertEquals(List.of("flush", "w:" + BARRIER_AT, "flush", "flush", "w:" + (BARRIER_AT + 45056), "flush"), disk.log());
        }
    }

    @Test
    void anEmptyBarrierOnlyOrders() throws Exception {
        final RecordingStore disk = new RecordingStore(DISK);
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), BlkFrontConfig.defaults())) {
            w.awaitConnected();
            w.front.writeBlocking(0, Unpooled.wrappedBuffer(random(1, 4096)));
            w.front.writeBarrierBlocking(0, Unpooled.EMPTY_BUFFER);
            assertEquals(List.of("w:0", "flush"), disk.log());
            assertEquals(1, w.back.barriers());
        }
    }

    @Test
    void withoutFeatureBarrierTheFrontendFallsBackToFlushWriteFlush() throws Exception {
        final RecordingStore disk = new RecordingStore(DISK);
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full().withBarrier(false), BlkFrontConfig.defaults())) {
            final DiskInfo info = w.awaitConnected();
            assertFalse(info.barrier());
            assertTrue(info.flush());
            assertEquals("0", w.dom0Store.read(w.device.backend("feature-barrier")));
            assertOrdered(writesAroundABarrier(w, disk, 16384), 1);
            assertEquals(0, w.back.barriers(), "no barrier reached the backend");
        }
    }

    @Test
    void withNeitherBarrierNorFlushABarrierFailsWithEopnotsupp() throws Exception {
        final RecordingStore disk = new RecordingStore(DISK);
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.minimal(), BlkFrontConfig.defaults())) {
            final DiskInfo info = w.awaitConnected();
            assertFalse(info.barrier() || info.flush());
            final BlockIoException e = assertThrows(BlockIoException.class,
                () -> w.front.writeBarrierBlocking(0, Unpooled.wrappedBuffer(new byte[4096])));
            assertEquals(Blkif.BLKIF_RSP_EOPNOTSUPP, e.status());
            assertTrue(String.valueOf(e.getMessage()).contains("write barrier"), e.getMessage());
            assertEquals(List.of(), disk.log(), "nothing reached the disk");
            // The device goes on.
            w.front.writeBlocking(0, Unpooled.wrappedBuffer(new byte[4096]));
            assertNull(w.front.brokenReason());
        }
    }
}
