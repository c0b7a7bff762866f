package io.xen4j.hal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.xen4j.abi.Xen;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.Timers;
import io.xen4j.hal.contract.CountingHandler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The virtual clock: timers fire in deadline order, each at its deadline, and raise VIRQ_TIMER.
 */
final class TimeTest {
    @Test
    void theClockStartsWhereTheBuilderSaysAndMovesOnlyWhenAdvanced() {
        try (SimulatedXen xen = SimulatedXen.builder().startTimeNanos(5).build()) {
            assertEquals(5, xen.nanoTime());
            assertEquals(5, xen.dom0().host().clock().nanoTime());
            xen.advanceTime(10);
            assertEquals(15, xen.clock().nanoTime());
            assertThrows(IllegalArgumentException.class, () -> xen.advanceTime(-1));
        }
    }

    @Test
    void timersFireInDeadlineOrderEachAtItsDeadline() {
        try (SimulatedXen xen = SimulatedXen.builder().startTimeNanos(0).build()) {
            final SimulatedDomain g = xen.createDomain(DomainConfig.guest("g").withVcpus(3));
            final Timers timers = g.host().timers();
            final List<String> fired = new ArrayList<>();
            timers.schedule(0, 300, (t, now) -> fired.add("vcpu0@" + now));
            timers.schedule(1, 100, (t, now) -> {
                fired.add("vcpu1@" + now);
                // A handler may arm the next timer within the same step.
                timers.schedule(1, now + 50, (t2, now2) -> fired.add("vcpu1-again@" + now2));
            });
            timers.schedule(2, 1_000, (t, now) -> fired.add("vcpu2@" + now));
            xen.advanceTime(500);
            assertEquals(List.of("vcpu1@100", "vcpu1-again@150", "vcpu0@300"), fired);
            assertEquals(500, xen.nanoTime());
        }
    }

    @Test
    void anExpiredTimerRaisesVirqTimer() {
        try (SimulatedXen xen = SimulatedXen.create()) {
            final SimulatedDomain g = xen.createDomain("g");
            final CountingHandler h = new CountingHandler();
            try (EventChannel v = g.host().eventChannels().bindVirq(Xen.VIRQ_TIMER, h)) {
                g.host().timers().schedule(0, xen.nanoTime() + 10, (t, now) -> { });
                xen.advanceTime(10);
                assertEquals(1, g.host().eventChannels().poll(8));
                assertEquals(Xen.VIRQ_TIMER, v.virq());
            }
        }
    }
}
