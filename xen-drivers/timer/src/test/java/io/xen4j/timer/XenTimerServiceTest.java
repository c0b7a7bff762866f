package io.xen4j.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.memory.DomainConfig;
import io.xen4j.hal.memory.SimulatedXen;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ScheduledExecutorService facade, on virtual time: every assertion follows an explicit clock advance. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class XenTimerServiceTest {
    private static final long MS = 1_000_000L;
    private SimulatedXen xen;
    private XenTimers timers;
    private XenTimerService service;
    private final List<String> log = new ArrayList<>();
    private long t0;

    @BeforeEach
    void setUp() {
        xen = SimulatedXen.create();
        timers = new XenTimers(xen.createDomain(DomainConfig.guest("svc").withVcpus(4)).host());
        service = new XenTimerService(timers);
        t0 = xen.nanoTime();
    }

    @AfterEach
    void tearDown() {
        service.shutdownNow();
        timers.close();
        xen.close();
    }

    private Runnable note(final String name) {
        return () -> log.add(name + "@" + (xen.nanoTime() - t0) / MS);
    }

    @Test
    void scheduleRunsAfterTheDelayOnTheXenClock() throws Exception {
        final ScheduledFuture<String> f = service.schedule(() -> "done@" + (xen.nanoTime() - t0) / MS, 5, TimeUnit.MILLISECONDS);
        assertEquals(5, f.getDelay(TimeUnit.MILLISECONDS));
        xen.advanceTime(4 * MS);
        assertFalse(f.isDone());
        xen.advanceTime(MS);
        assertTrue(f.isDone());
        assertEquals("done@5", f.get());
        assertEquals(0, service.pendingTasks());
    }

    @Test
    void fixedRateAndFixedDelayInterleaveDeterministically() {
        final ScheduledFuture<?> rate = service.scheduleAtFixedRate(note("rate"), 10, 10, TimeUnit.MILLISECONDS);
        final ScheduledFuture<?> delay = service.scheduleWithFixedDelay(note("delay"), 5, 15, TimeUnit.MILLISECONDS);
        xen.advanceTime(40 * MS);
        assertEquals(List.of("delay@5", "rate@10", "delay@20", "rate@20", "rate@30", "delay@35", "rate@40"), log);
        assertTrue(((java.util.concurrent.RunnableScheduledFuture<?>) rate).isPeriodic());
        assertTrue(rate.cancel(false));
        xen.advanceTime(100 * MS);
        assertFalse(log.contains("rate@50"));
        assertTrue(log.contains("delay@50"));
        assertTrue(delay.cancel(false));
        assertTrue(rate.isCancelled());
    }

    @Test
    void aThrowingPeriodicTaskStopsWithItsException() {
        final int[] runs = {0};
        final ScheduledFuture<?> f = service.scheduleAtFixedRate(() -> {
            if (++runs[0] == 3) {
                throw new IllegalStateException("third run fails");
            }
        }, 1, 1, TimeUnit.MILLISECONDS);
        xen.advanceTime(10 * MS);
        assertEquals(3, runs[0]);
        assertTrue(f.isDone());
        final ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertEquals("java.lang.IllegalStateException: third run fails", String.valueOf(e.getCause()));
    }

    @Test
    void shutdownRunsDelayedOneShotsCancelsPeriodicAndRejectsNewTasks() throws Exception {
        service.schedule(note("one-shot"), 20, TimeUnit.MILLISECONDS);
        final ScheduledFuture<?> p = service.scheduleAtFixedRate(note("tick"), 10, 10, TimeUnit.MILLISECONDS);
        xen.advanceTime(10 * MS);
        service.shutdown();
        assertTrue(service.isShutdown());
        assertTrue(p.isCancelled());
        assertFalse(service.isTerminated());
        assertThrows(RejectedExecutionException.class, () -> service.execute(note("late")));
        xen.advanceTime(50 * MS);
        assertEquals(List.of("tick@10", "one-shot@20"), log);
        assertTrue(service.awaitTermination(1, TimeUnit.SECONDS));
        assertTrue(service.isTerminated());
    }

    @Test
    void shutdownNowReturnsWhatNeverRan() {
        service.schedule(note("a"), 1, TimeUnit.SECONDS);
        service.schedule(note("b"), 2, TimeUnit.SECONDS);
        service.execute(note("c"));
        assertEquals(3, service.shutdownNow().size());
        xen.advanceTime(5_000 * MS);
        assertEquals(List.of(), log);
        assertTrue(service.isTerminated());
    }

    @Test
    void submitAndInvokeAllWorkThroughExecute() throws Exception {
        final var f = service.submit(() -> 42);
        xen.advanceTime(0);
        assertEquals(42, f.get(1, TimeUnit.SECONDS));
    }

    @Test
    void tasksSpreadOverVcpusOrStayOnOne() {
        for (int i = 0; i < 8; i++) {
            service.schedule(note("t" + i), 100, TimeUnit.MILLISECONDS);
        }
        for (int v = 0; v < 4; v++) {
            assertEquals(2, timers.pending(v), "vcpu " + v);
        }
        final XenTimerService one = new XenTimerService(timers, 3);
        one.schedule(note("x"), 100, TimeUnit.MILLISECONDS);
        assertEquals(3, timers.pending(3));
        assertThrows(IllegalArgumentException.class, () -> new XenTimerService(timers, 4));
        xen.advanceTime(100 * MS);
        assertEquals(9, log.size());
    }

    @Test
    void tasksScheduledFromManyThreadsWhileTimeAdvancesRunExactlyOnce() throws Exception {
        final java.util.concurrent.atomic.AtomicIntegerArray runs = new java.util.concurrent.atomic.AtomicIntegerArray(1000);
        final Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            final int base = t * 250;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 250; i++) {
                    final int id = base + i;
                    service.schedule(() -> runs.incrementAndGet(id), 1 + id % 7, TimeUnit.MILLISECONDS);
                }
            });
            threads[t].start();
        }
        // Advance while they schedule; then long enough for the last one.
        for (int i = 0; i < 50; i++) {
            xen.advanceTime(MS / 4);
        }
        for (final Thread th : threads) {
            th.join(10_000);
        }
        xen.advanceTime(100 * MS);
        for (int i = 0; i < 1000; i++) {
            assertEquals(1, runs.get(i), "task " + i);
        }
        assertEquals(0, service.pendingTasks());
        for (int v = 0; v < timers.vcpuCount(); v++) {
            assertEquals(-1, timers.armedDeadline(v), "vcpu " + v);
        }
    }
}
