package io.xen4j.blk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The close gate of the store's native descriptors: released once, by the last of the close and the uses in flight. */
@Timeout(60)
final class CloseGateTest {
    private final AtomicInteger releases = new AtomicInteger();
    private final CloseGate gate = new CloseGate(releases::incrementAndGet);

    @Test
    void aCloseWithNoUseInFlightReleasesAtOnceAndOnlyOnce() {
        assertTrue(gate.enter());
        gate.exit();
        assertEquals(0, releases.get());
        gate.close();
        assertEquals(1, releases.get());
        gate.close();
        assertEquals(1, releases.get(), "a second close releases nothing more");
        assertFalse(gate.enter(), "no use after the close");
        assertEquals(1, releases.get());
    }

    @Test
    void aCloseDuringAUseLeavesTheResourceToTheUseUntilItEnds() {
        assertTrue(gate.enter());
        assertTrue(gate.enter());
        gate.close();
        assertEquals(0, releases.get(), "two uses in flight keep it");
        assertFalse(gate.enter(), "a use that starts after the close is refused");
        assertEquals(0, releases.get(), "a refused use does not release what others still use");
        gate.exit();
        assertEquals(0, releases.get());
        gate.exit();
        assertEquals(1, releases.get(), "the last use released it");
        assertTrue(gate.released());
    }

    @Test
    void aRefusedUseThatComesLastReleases() {
        assertTrue(gate.enter());
        gate.close();
        // A use counted in after the close, then the one in flight ends, then the refused one undoes its count.
        assertFalse(gate.enter());
        gate.exit();
        assertEquals(1, releases.get());
    }

    @Test
    void underRacingUsesAndACloseTheResourceIsReleasedOnceAndNeverUsedAfter() throws Exception {
        for (int round = 0; round < 200; round++) {
            final AtomicLong usedAfterRelease = new AtomicLong();
            final AtomicInteger released = new AtomicInteger();
            final CloseGate g = new CloseGate(released::incrementAndGet);
            final CountDownLatch start = new CountDownLatch(1);
            final Thread[] users = new Thread[3];
            for (int t = 0; t < users.length; t++) {
                users[t] = new Thread(() -> {
                    try {
                        start.await();
                    } catch (final InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 10_000 && g.enter(); i++) {
                        if (released.get() != 0) {
                            usedAfterRelease.incrementAndGet();
                        }
                        g.exit();
                    }
                });
                users[t].start();
            }
            start.countDown();
            g.close();
            for (final Thread u : users) {
                u.join(TimeUnit.SECONDS.toMillis(20));
                assertFalse(u.isAlive());
            }
            assertEquals(1, released.get(), "round " + round);
            assertEquals(0, usedAfterRelease.get(), "round " + round);
        }
    }
}
