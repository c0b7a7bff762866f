package io.xen4j.hal.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.HandleClosedException;
import io.xen4j.hal.api.Timer;
import io.xen4j.hal.api.Timers;
import io.xen4j.hal.api.XenClock;
import io.xen4j.hal.api.XenHalException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Timers} and {@link XenClock}: one one-shot timer per vCPU on a monotonic
 * clock.
 */
public abstract class TimersContract extends HalContract {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private Timers timers() {
        return bed().guest().timers();
    }

    private XenClock clock() {
        return bed().guest().clock();
    }

    @Test
    void theClockIsMonotonicAndSharedByDomains() {
        final long a = clock().nanoTime();
        bed().advanceTime(MS);
        final long b = bed().privileged().clock().nanoTime();
        assertTrue(b - a >= MS, () -> "advanced " + (b - a) + "ns");
    }

    @Test
    void aTimerFiresOnceAtOrAfterItsDeadline() {
        final AtomicInteger fired = new AtomicInteger();
        final AtomicLong firedAt = new AtomicLong();
        final long deadline = clock().nanoTime() + 5 * MS;
        try (Timer t = timers().schedule(0, deadline, (timer, now) -> {
            fired.incrementAndGet();
            firedAt.set(now);
        })) {
            assertTrue(t.isPending());
            assertEquals(deadline, t.deadlineNanos());
            assertEquals(0, t.vcpu());
            bed().advanceTime(MS);
            assertEquals(0, fired.get());
            bed().advanceTime(10 * MS);
            awaitFired(fired, 1);
            assertTrue(firedAt.get() >= deadline);
            assertFalse(t.isPending());
            bed().advanceTime(10 * MS);
            assertEquals(1, fired.get(), "one-shot");
        }
    }

    @Test
    void aClosedTimerNeverFires() {
        final AtomicInteger fired = new AtomicInteger();
        final Timer t = timers().schedule(0, clock().nanoTime() + 2 * MS, (timer, now) -> fired.incrementAndGet());
        t.close();
        assertFalse(t.isPending());
        bed().advanceTime(5 * MS);
        assertEquals(0, fired.get());
    }

    @Test
    void aDeadlineInThePastFiresSoon() {
        final AtomicInteger fired = new AtomicInteger();
        try (Timer t = timers().schedule(0, clock().nanoTime() - MS, (timer, now) -> fired.incrementAndGet())) {
            bed().advanceTime(MS);
            awaitFired(fired, 1);
            assertFalse(t.isPending());
        }
    }

    @Test
    void aVcpuHasOneTimerAtATime() {
        final long far = clock().nanoTime() + 1_000 * MS;
        final Timer first = timers().schedule(0, far, (timer, now) -> { });
        final XenHalException e = assertErrno(Errno.EBUSY, () -> timers().schedule(0, far, (timer, now) -> { }));
        assertMentions(e, "vcpu 0");
        first.close();
        timers().schedule(0, far, (timer, now) -> { }).close();
    }

    @Test
    void anUnknownVcpuFailsWithEinval() {
        final int n = timers().vcpuCount();
        assertTrue(n >= 1);
        assertErrno(Errno.EINVAL, () -> timers().schedule(n, 0, (timer, now) -> { }));
        assertErrno(Errno.EINVAL, () -> timers().schedule(-1, 0, (timer, now) -> { }));
    }

    @Test
    void closeAfterFiringIsAllowedOnceThenHandleClosed() {
        final AtomicInteger fired = new AtomicInteger();
        final Timer t = timers().schedule(0, clock().nanoTime(), (timer, now) -> fired.incrementAndGet());
        bed().advanceTime(MS);
        awaitFired(fired, 1);
        t.close();
        final HandleClosedException e = assertThrows(HandleClosedException.class, t::close);
        assertMentions(e, "timer", "vcpu 0");
    }

    private static void awaitFired(final AtomicInteger fired, final int count) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (fired.get() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(count, fired.get());
    }
}
