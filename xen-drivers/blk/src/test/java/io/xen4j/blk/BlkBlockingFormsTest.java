package io.xen4j.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.blk.spi.MemoryBlockStore;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.concurrent.CompositeAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * blkfront's blocking forms, which wait on a reused per-thread waiter instead of a future: the
 * same results and failures as the future API (checked beside it), and a call that gives up
 * never takes a late completion for a later call's.
 */
@Timeout(60)
final class BlkBlockingFormsTest {
    private static final long DISK = 8L << 20;

    private static byte[] random(final long seed, final int n) {
        final byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] bytes(final ByteBuf b) {
        final byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }

    @Test
    void everyBlockingFormDoesWhatItsFutureDoes() throws Exception {
        final MemoryBlockStore disk = new MemoryBlockStore(DISK);
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), BlkFrontConfig.defaults())) {
            w.awaitConnected();
            for (final int size : new int[] {512, 4096, 65536, 192 * 1024}) {
                final byte[] data = random(size, size);
                final long at = 1L << 20;
                w.front.writeBlocking(at, Unpooled.wrappedBuffer(data));
                assertArrayEquals(data, disk.snapshot((int) at, size), size + " bytes on the disk");
                final ByteBuf back = Unpooled.directBuffer(size);
                w.front.readBlocking(at, size, back);
                assertArrayEquals(data, bytes(back), size + " bytes read back");
            }
            final long flushes = disk.flushes();
            w.front.flushBlocking();
            assertTrue(disk.flushes() > flushes, "the flush reached the store");
            w.front.writeBarrierBlocking(2L << 20, Unpooled.wrappedBuffer(random(3, 4096)));
            assertArrayEquals(random(3, 4096), disk.snapshot(2 << 20, 4096));
            w.front.discardBlocking(2L << 20, 4096, false);
            assertArrayEquals(new byte[4096], disk.snapshot(2 << 20, 4096), "discarded reads as zeros");

            // Failures: refused at once on the calling thread, or answered by the backend.
            final BlockIoException odd = assertThrows(BlockIoException.class,
                () -> w.front.readBlocking(100, 512, Unpooled.buffer(512)));
            assertTrue(String.valueOf(odd.getMessage()).contains("multiples of 512"), odd.getMessage());
            final BlockIoException outside = assertThrows(BlockIoException.class,
                () -> w.front.writeBlocking(DISK, Unpooled.wrappedBuffer(new byte[512])));
            assertTrue(String.valueOf(outside.getMessage()).contains("outside the disk"), outside.getMessage());

            // The futures: join, get, and a failure as CompletionException/ExecutionException.
            final ByteBuf viaFuture = Unpooled.buffer(4096);
            assertNull(w.front.read(2L << 20, 4096, viaFuture).join());
            assertArrayEquals(new byte[4096], bytes(viaFuture));
            assertNull(w.front.write(3L << 20, Unpooled.wrappedBuffer(random(4, 512))).get(10, TimeUnit.SECONDS));
            assertNull(w.front.flush().get());
            final CompletableFuture<Void> bad = w.front.read(DISK, 512, Unpooled.buffer(512));
            assertInstanceOf(BlockIoException.class, assertThrows(CompletionException.class, bad::join).getCause());
            assertInstanceOf(BlockIoException.class, assertThrows(ExecutionException.class, bad::get).getCause());
            // Derived stages are ordinary futures and see the result.
            assertEquals("done", w.front.flush().thenApply(v -> "done").get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aFutureWaitTimesOutWhileNothingServesIt() throws Exception {
        try (BlkWorld w = new BlkWorld(new MemoryBlockStore(DISK), BlkBackConfig.full(), BlkFrontConfig.defaults())) {
            w.awaitConnected();
            w.stopAgents();
            final CompletableFuture<Void> f = w.front.read(0, 512, Unpooled.buffer(512));
            final long start = System.nanoTime();
            assertThrows(TimeoutException.class, () -> f.get(50, TimeUnit.MILLISECONDS));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50), "waited the whole timeout");
            // Served at last, by hand: the same future completes.
            final CompositeAgent agents = new CompositeAgent(w.front, w.back);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!f.isDone() && System.nanoTime() < deadline) {
                agents.doWork();
            }
            assertNull(f.get(1, TimeUnit.SECONDS));
        }
    }

    @Test
    void anInterruptedBlockingCallGivesUpAndTheThreadsNextCallWaitsForItsOwnRequest() throws Exception {
        final MemoryBlockStore disk = new MemoryBlockStore(DISK);
        final byte[] first = random(10, 4096);
        final byte[] second = random(11, 65536);
        disk.write(0, ByteBuffer.wrap(first));
        disk.write(1L << 20, ByteBuffer.wrap(second));
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), BlkFrontConfig.defaults())) {
            w.awaitConnected();
            w.stopAgents();
            final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
            final AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
            final AtomicReference<Throwable> secondFailure = new AtomicReference<>();
            final ByteBuf secondBuf = Unpooled.directBuffer(65536);
            final java.util.concurrent.CountDownLatch goOn = new java.util.concurrent.CountDownLatch(1);
            final Thread caller = new Thread(() -> {
                try {
                    w.front.readBlocking(0, 4096, Unpooled.buffer(4096));
                } catch (final BlockIoException e) {
                    firstFailure.set(e);
                }
                stillInterrupted.set(Thread.interrupted());
                try {
                    goOn.await();
                    w.front.readBlocking(1L << 20, 65536, secondBuf);
                } catch (final BlockIoException | InterruptedException e) {
                    secondFailure.set(e);
                }
            }, "blocking-caller");
            caller.start();
            // Interrupt it once it is parked (nothing serves its request).
            final long parkDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (caller.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < parkDeadline) {
                Thread.sleep(1);
            }
            caller.interrupt();
            final long failDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (stillInterrupted.get() == null && System.nanoTime() < failDeadline) {
                Thread.sleep(1);
            }
            assertInstanceOf(BlockIoException.class, firstFailure.get());
            assertTrue(String.valueOf(firstFailure.get().getMessage()).contains("interrupted"), firstFailure.get().getMessage());
            assertEquals(true, stillInterrupted.get(), "the interrupt status is kept");

            // Serve by hand: the abandoned read completes (into the waiter it gave up), and only
            // then does the thread call again. Had the waiter been kept, the second call would
            // find it done and return before its own read.
            final CompositeAgent agents = new CompositeAgent(w.front, w.back);
            final long served = w.front.completedRequests();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (w.front.completedRequests() == served && System.nanoTime() < deadline) {
                agents.doWork();
            }
            assertEquals(served + 1, w.front.completedRequests(), "the abandoned read was served");
            goOn.countDown();
            while (caller.isAlive() && System.nanoTime() < deadline) {
                agents.doWork();
            }
            caller.join(1000);
            assertNull(secondFailure.get());
            assertArrayEquals(second, bytes(secondBuf));
        }
    }
}
