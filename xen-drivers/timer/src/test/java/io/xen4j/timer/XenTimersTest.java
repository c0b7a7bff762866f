package io.xen4j.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.memory.DomainConfig;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Timers multiplexed on the vCPUs' one-shot timers, on the simulated host's virtual clock. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class XenTimersTest {
    private SimulatedXen xen;
    private SimulatedDomain guest;
    private XenTimers timers;
    private final List<String> log = new ArrayList<>();
    private long t0;

    @BeforeEach
    void setUp() {
        xen = SimulatedXen.create();
        guest = xen.createDomain(DomainConfig.guest("timers").withVcpus(2));
        timers = new XenTimers(guest.host());
        t0 = xen.nanoTime();
    }

    @AfterEach
    void tearDown() {
        timers.close();
        xen.close();
    }

    private TimerCallback note(final String name) {
        return (task, now) -> log.add(name + "@" + (now - t0));
    }

    @Test
    void manyOneShotTimersOnOneVcpuFireInDeadlineOrderAtTheirDeadlines() {
        timers.at(0, t0 + 300, note("c"));
        timers.at(0, t0 + 100, note("a"));
        timers.at(0, t0 + 200, note("b"));
        timers.at(0, t0 + 200, note("b2"));
        assertEquals(4, timers.pending(0));
        assertEquals(t0 + 100, timers.armedDeadline(0));
        xen.advanceTime(99);
        assertEquals(List.of(), log);
        xen.advanceTime(1);
        assertEquals(List.of("a@100"), log);
        assertEquals(t0 + 200, timers.armedDeadline(0));
        xen.advanceTime(1_000);
        assertEquals(List.of("a@100", "b@200", "b2@200", "c@300"), log);
        assertEquals(-1, timers.armedDeadline(0));
        assertEquals(0, timers.pending(0));
    }

    @Test
    void anEarlierTimerReArmsTheVcpuAndCancellingTheHeadMovesItBack() {
        final XenTimerTask late = timers.at(1, t0 + 1_000, note("late"));
        assertEquals(t0 + 1_000, timers.armedDeadline(1));
        final XenTimerTask early = timers.at(1, t0 + 10, note("early"));
        assertEquals(t0 + 10, timers.armedDeadline(1));
        assertTrue(early.cancel());
        assertFalse(early.cancel());
        assertEquals(t0 + 1_000, timers.armedDeadline(1));
        xen.advanceTime(2_000);
        assertEquals(List.of("late@1000"), log);
        assertFalse(late.isPending());
        assertEquals(1, late.expirations());
        assertTrue(early.isCancelled());
    }

    @Test
    void vcpusAreIndependent() {
        timers.at(0, t0 + 50, note("v0"));
        timers.at(1, t0 + 40, note("v1"));
        assertEquals(t0 + 50, timers.armedDeadline(0));
        assertEquals(t0 + 40, timers.armedDeadline(1));
        xen.advanceTime(100);
        assertEquals(List.of("v1@40", "v0@50"), log);
    }

    @Test
    void periodicTimersRunAtFixedRateAndSkipMissedPeriodsWhenLate() {
        final XenTimerTask p = timers.periodic(0, t0 + 10, 10, note("p"));
        xen.advanceTime(35);
        assertEquals(List.of("p@10", "p@20", "p@30"), log);
        assertEquals(t0 + 40, p.deadlineNanos());
        assertTrue(p.cancel());
        xen.advanceTime(100);
        assertEquals(3, p.expirations());
    }

    @Test
    void aCallbackMaySchedulePeriodicCascadesAndCancelOthers() {
        final XenTimerTask[] victim = new XenTimerTask[1];
        timers.at(0, t0 + 5, (task, now) -> {
            log.add("first@" + (now - t0));
            timers.after(0, 5, note("child"));
            victim[0].cancel();
        });
        victim[0] = timers.at(0, t0 + 5, note("victim"));
        xen.advanceTime(20);
        assertEquals(List.of("first@5", "child@10"), log);
    }

    @Test
    void aPastDeadlineFiresAtTheNextAdvance() {
        xen.advanceTime(1_000);
        t0 = xen.nanoTime();
        timers.at(0, t0 - 500, note("past"));
        xen.advanceTime(0);
        assertEquals(List.of("past@0"), log);
    }

    @Test
    void aThrowingPeriodicCallbackIsCancelledOthersGoOn() {
        final XenTimerTask bad = timers.periodic(0, t0 + 10, 10, (t, now) -> {
            throw new IllegalStateException("boom");
        });
        timers.periodic(0, t0 + 10, 10, note("good"));
        xen.advanceTime(30);
        assertTrue(bad.isCancelled());
        assertEquals(1, bad.expirations());
        assertEquals(List.of("good@10", "good@20", "good@30"), log);
    }

    @Test
    void badArgumentsAndClosedTimersAreRefusedNamingTheVcpu() {
        final XenHalException e = assertThrows(XenHalException.class, () -> timers.at(2, t0, note("x")));
        assertTrue(String.valueOf(e.getMessage()).contains("vcpu 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> timers.periodic(0, t0, 0, note("x")));
        final XenTimerTask t = timers.at(0, t0 + 10, note("x"));
        timers.close();
        assertTrue(t.isCancelled());
        assertEquals(-1, timers.armedDeadline(0));
        assertThrows(XenHalException.class, () -> timers.at(0, t0 + 10, note("y")));
        xen.advanceTime(100);
        assertEquals(List.of(), log);
    }

    @Test
    void hugeDelaysSaturate() {
        final XenTimerTask t = timers.after(0, Long.MAX_VALUE, note("never"));
        assertEquals(Long.MAX_VALUE, t.deadlineNanos());
        xen.advanceTime(1L << 40);
        assertTrue(t.isPending());
    }
}
