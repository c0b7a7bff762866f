package io.xen4j.rings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.xen4j.abi.ring.RingSizes;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A frontend thread and a backend thread on one ring for 10^7 requests (and 10^6 on a 16-page ring
 * at an odd depth). The backend checks that
 * request {@code n} is the n-th it sees (nothing lost, nothing duplicated, every field intact) and
 * the frontend does the same for responses. Both sides poll for a while, then re-arm their event
 * index with the final check and park until the other side unparks them, as the event-suppression
 * protocol says; a lost wake-up would hang the test until its timeout.
 */
final class RingConcurrencyTest {
    private static final int SPIN = 100;

    @ParameterizedTest(name = "pages={0} depth={1} requests={2}")
    @CsvSource({"1, 32, 10000000", "16, 7, 1000000"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void noRequestLostOrDuplicated(final int pages, final int depth, final int count) throws InterruptedException {
        final UnsafeBuffer ring = new UnsafeBuffer(BufferUtil.allocateDirectAligned(pages * 4096, 4096));
        final FrontRing front = new FrontRing("mt.front", BlkifTraffic.REQUEST, BlkifTraffic.RESPONSE).init(ring);
        final BackRing back = new BackRing("mt.back", BlkifTraffic.REQUEST, BlkifTraffic.RESPONSE).init(ring);
        final AtomicReference<Thread> frontThread = new AtomicReference<>();
        final AtomicReference<Thread> backThread = new AtomicReference<>();
        final AtomicReference<String> backFailure = new AtomicReference<>("");
        final Backend backend = new Backend(back, ring, frontThread, count);
        final Thread backend0 = Thread.ofPlatform().name("ring-backend").start(() -> {
            try {
                backend.run();
            } catch (final Throwable t) {
                backFailure.set(t.toString());
                LockSupport.unpark(frontThread.get());
            }
        });
        backThread.set(backend0);
        frontThread.set(Thread.currentThread());
        final Frontend frontend = new Frontend(front, ring, backThread, count);
        final long started = System.nanoTime();
        frontend.run(depth, backFailure);
        backend0.join(TimeUnit.SECONDS.toMillis(30));
        final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals("", backFailure.get());
        assertEquals(count, backend.handled);
        assertEquals(count, frontend.done);
        assertEquals(count, front.requestProducer());
        assertEquals(count, back.responseProducer());
        System.out.printf("xen-rings threads pages=%d depth=%d: %d requests in %d ms, front parks=%d, back parks=%d%n",
            pages, depth, count, millis, frontend.parks, backend.parks);
    }

    private static final class Frontend {
        private final FrontRing front;
        private final UnsafeBuffer ring;
        private final AtomicReference<Thread> peer;
        private final BlkifTraffic traffic = new BlkifTraffic();
        private final SlotHandler check = this::onResponse;
        private final int count;
        int done;
        long parks;

        Frontend(final FrontRing front, final UnsafeBuffer ring, final AtomicReference<Thread> peer, final int count) {
            this.front = front;
            this.ring = ring;
            this.peer = peer;
            this.count = count;
        }

        private void onResponse(final DirectBuffer copy, final int index) {
            final int bad = BlkifTraffic.checkResponse(copy, 0, done);
            if (bad != 0 || index != done) {
                throw new AssertionError("response " + done + " at index " + index + ": wrong field " + bad);
            }
            done++;
        }

        void run(final int depth, final AtomicReference<String> backFailure) {
            int sent = 0;
            int idle = 0;
            while (done < count) {
                boolean produced = false;
                while (sent < count && sent - done < depth) {
                    final int slot = front.claimRequest();
                    if (slot == FrontRing.NO_SLOT) {
                        break;
                    }
                    traffic.fillRequest(ring, slot, sent++);
                    produced = true;
                }
                if (produced && front.pushRequestsAndCheckNotify()) {
                    LockSupport.unpark(peer.get());
                }
                final int got = front.pollResponses(check, Integer.MAX_VALUE);
                assertFalse(front.isBroken(), front.brokenReason());
                if (got > 0 || produced) {
                    idle = 0;
                    continue;
                }
                if (++idle < SPIN) {
                    Thread.onSpinWait();
                    continue;
                }
                idle = 0;
                if (!front.finalCheckForResponses()) {
                    parks++;
                    LockSupport.park(this);
                    assertEquals("", backFailure.get());
                }
            }
        }
    }

    private static final class Backend {
        private final BackRing back;
        private final UnsafeBuffer ring;
        private final AtomicReference<Thread> peer;
        private final BlkifTraffic traffic = new BlkifTraffic();
        private final SlotHandler serve = this::onRequest;
        private final int count;
        int handled;
        long parks;

        Backend(final BackRing back, final UnsafeBuffer ring, final AtomicReference<Thread> peer, final int count) {
            this.back = back;
            this.ring = ring;
            this.peer = peer;
            this.count = count;
        }

        private void onRequest(final DirectBuffer copy, final int index) {
            final int bad = BlkifTraffic.checkRequest(copy, 0, handled);
            if (bad != 0 || index != handled) {
                throw new AssertionError("request " + handled + " at index " + index + ": wrong field " + bad);
            }
            traffic.fillResponse(ring, back.claimResponse(), handled);
            handled++;
        }

        void run() {
            int idle = 0;
            while (handled < count) {
                final int consumed = back.pollRequests(serve, Integer.MAX_VALUE);
                if (back.isBroken()) {
                    throw new AssertionError(back.brokenReason());
                }
                if (consumed > 0) {
                    if (back.pushResponsesAndCheckNotify()) {
                        LockSupport.unpark(peer.get());
                    }
                    idle = 0;
                    continue;
                }
                if (++idle < SPIN) {
                    Thread.onSpinWait();
                    continue;
                }
                idle = 0;
                if (!back.finalCheckForRequests()) {
                    parks++;
                    LockSupport.park(this);
                }
            }
        }
    }

    static {
        // Both rings of the test use blkif slots: 32 per page.
        assert RingSizes.ringSize(4096, BlkifTraffic.SLOT) == 32;
    }
}
