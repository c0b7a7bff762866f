package io.xen4j.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.blk.spi.MemoryBlockStore;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.concurrent.CompositeAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Requests submitted on the agent's own thread (the one that runs {@code doWork}) skip the
 * submission queue and the concurrent op pool; requests of other threads still go through them.
 * Both kinds together keep the ordering a barrier promises and complete with the right data.
 */
@Timeout(60)
final class BlkAgentThreadSubmitTest {
    private static final long DISK = 8L << 20;

    private static byte[] random(final long seed, final int n) {
        final byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Turns of both agents on this thread, which makes it the agent's thread, until {@code done}. */
    private static void driveUntil(final CompositeAgent agents, final java.util.function.BooleanSupplier done) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            agents.doWork();
        }
        assertTrue(done.getAsBoolean(), "not done after 20 s of turns");
    }

    @Test
    void aBarrierFromTheAgentThreadStaysBehindAWriteAnotherThreadSubmittedBefore() throws Exception {
        final MemoryBlockStore disk = new MemoryBlockStore(DISK);
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), BlkFrontConfig.defaults())) {
            w.awaitConnected();
            w.stopAgents();
            final CompositeAgent agents = new CompositeAgent(w.front, w.back);
            // One turn here: from now on this thread is the agent's.
            agents.doWork();
            final byte[] first = random(1, 8192);
            final byte[] second = random(2, 8192);
            final AtomicReference<CompletableFuture<Void>> write = new AtomicReference<>();
            final Thread other = new Thread(() -> write.set(w.front.write(1L << 20, Unpooled.wrappedBuffer(first))), "other-submitter");
            other.start();
            other.join(10_000);
            // Submitted after the other thread's write (join orders them): the barrier must be
            // written after it, so its bytes are the ones left on the disk. Had the agent thread's
            // request overtaken the queued one, the earlier write would land last.
            final CompletableFuture<Void> barrier = w.front.writeBarrier(1L << 20, Unpooled.wrappedBuffer(second));
            driveUntil(agents, () -> barrier.isDone() && write.get().isDone());
            assertNull(write.get().get(1, TimeUnit.SECONDS));
            assertNull(barrier.get(1, TimeUnit.SECONDS));
            assertArrayEquals(second, disk.snapshot(1 << 20, 8192));
        }
    }

    @Test
    void readsFromTheAgentThreadAndFromAnotherThreadAtOnceAllCompleteWithTheirData() throws Exception {
        final MemoryBlockStore disk = new MemoryBlockStore(DISK);
        final byte[] content = random(3, 1 << 20);
        disk.write(0, ByteBuffer.wrap(content));
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), BlkFrontConfig.defaults())) {
            w.awaitConnected();
            w.stopAgents();
            final CompositeAgent agents = new CompositeAgent(w.front, w.back);
            agents.doWork();
            final int each = 2_000;
            final AtomicInteger otherDone = new AtomicInteger();
            final java.util.Queue<String> wrong = new java.util.concurrent.ConcurrentLinkedQueue<>();
            final Thread other = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    final int page = i % 256;
                    final ByteBuf b = Unpooled.directBuffer(4096);
                    w.front.read(page * 4096L, 4096, b, f -> {
                        if (f != null || !java.util.Arrays.equals(bytesOf(b), java.util.Arrays.copyOfRange(content, page * 4096, page * 4096 + 4096))) {
                            wrong.add("other thread read of page " + page + ": " + f);
                        }
                        otherDone.incrementAndGet();
                    });
                }
            }, "other-submitter");
            other.start();
            // This thread submits between its turns, as an application that owns its loop does.
            final int[] ownDone = new int[1];
            final ByteBuf[] own = new ByteBuf[8];
            for (int i = 0; i < own.length; i++) {
                own[i] = Unpooled.directBuffer(4096);
            }
            for (int i = 0; i < each; i += own.length) {
                final int base = i;
                final int target = ownDone[0] + own.length;
                for (int k = 0; k < own.length; k++) {
                    final int page = (base + k * 37) % 256;
                    final ByteBuf b = own[k].clear();
                    w.front.read(page * 4096L, 4096, b, f -> {
                        if (f != null || !java.util.Arrays.equals(bytesOf(b), java.util.Arrays.copyOfRange(content, page * 4096, page * 4096 + 4096))) {
                            wrong.add("agent thread read of page " + page + ": " + f);
                        }
                        ownDone[0]++;
                    });
                }
                driveUntil(agents, () -> ownDone[0] == target);
            }
            other.join(20_000);
            driveUntil(agents, () -> otherDone.get() == each);
            assertTrue(wrong.isEmpty(), String.valueOf(wrong.peek()));
            assertEquals(each, ownDone[0]);
            assertEquals(each, otherDone.get());
        }
    }

    private static byte[] bytesOf(final ByteBuf b) {
        final byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }
}
