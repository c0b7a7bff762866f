package io.xen4j.acpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.PlatformOps;
import io.xen4j.hal.api.UnsupportedServiceException;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.memory.PhysicalCpus;
import io.xen4j.hal.memory.SimulatedXen;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Xen's per-CPU idle statistics read through the simulated host's HAL, and the pure arithmetic. */
@Timeout(10)
final class PmStatisticsTest {
    @Test
    void theIdleShareOfEachCpuFollowsItsLoadOverTheInterval() {
        try (SimulatedXen xen = SimulatedXen.builder().physicalCpus(4).build()) {
            final PhysicalCpus pcpus = xen.physicalCpus();
            pcpus.setBusyPpm(1, 250_000);
            pcpus.setBusyPpm(2, PhysicalCpus.PPM);
            pcpus.setBusyPpm(3, 333_333);
            final PmStatistics stats = new PmStatistics(xen.dom0().host(), 8);
            final List<CpuIdle> idle = stats.measure(() -> xen.advanceTime(3_000_000_000L));
            assertEquals(List.of(0, 1, 2, 3), idle.stream().map(CpuIdle::cpu).toList(), "cpus 4..7 do not exist");
            assertEquals(new CpuIdle(0, 3_000_000_000L, 3_000_000_000L), idle.get(0));
            assertEquals(1.0, idle.get(0).fraction());
            assertEquals(0.75, idle.get(1).fraction());
            assertEquals(0.0, idle.get(2).fraction());
            assertEquals(2_000_001_000L, idle.get(3).idleNanos(), "666_667 ppm of 3 s");
        }
    }

    @Test
    void aLoadChangeInsideTheIntervalIsWeightedByItsDuration() {
        try (SimulatedXen xen = SimulatedXen.builder().physicalCpus(1).build()) {
            final PmStatistics stats = new PmStatistics(xen.dom0().host().platformOps(), 1);
            final IdleSample before = stats.sample();
            assertEquals(xen.nanoTime(), before.nowNanos());
            xen.advanceTime(1_000_000);
            xen.physicalCpus().setBusyPpm(0, PhysicalCpus.PPM);
            xen.advanceTime(3_000_000);
            final List<CpuIdle> idle = PmStatistics.idleBetween(before, stats.sample());
            assertEquals(0.25, idle.get(0).fraction(), "idle for 1 ms of 4 ms");
        }
    }

    @Test
    void aCpuThatWentOfflineIsLeftOut() {
        try (SimulatedXen xen = SimulatedXen.builder().physicalCpus(3).build()) {
            final PmStatistics stats = new PmStatistics(xen.dom0().host(), 3);
            final IdleSample before = stats.sample();
            assertEquals(3, before.reported().cardinality());
            xen.physicalCpus().setOnline(1, false);
            xen.advanceTime(500);
            final IdleSample after = stats.sample();
            assertFalse(after.reported(1));
            assertEquals(List.of(0, 2), PmStatistics.idleBetween(before, after).stream().map(CpuIdle::cpu).toList());
            assertThrows(IllegalArgumentException.class, () -> after.idleNanos(1));
        }
    }

    @Test
    void aCounterThatWentBackIsLeftOutAndSkewIsCappedAtTheElapsedTime() {
        final BitSet cpus = new BitSet();
        cpus.set(0, 3);
        final IdleSample before = new IdleSample(1_000, cpus, new long[] {500, 500, 500});
        // cpu 0 gained 3 ns more than the 100 ns elapsed (Xen reads it after taking now);
        // cpu 1's counter went back; cpu 2 is ordinary.
        final IdleSample after = new IdleSample(1_100, cpus, new long[] {603, 499, 560});
        final List<CpuIdle> idle = PmStatistics.idleBetween(before, after);
        assertEquals(List.of(new CpuIdle(0, 100, 100), new CpuIdle(2, 60, 100)), idle);
    }

    @Test
    void samplesOutOfOrderAndBadValuesAreRejected() {
        final BitSet one = new BitSet();
        one.set(0);
        final IdleSample a = new IdleSample(10, one, new long[] {1});
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> PmStatistics.idleBetween(a, new IdleSample(10, one, new long[] {1})));
        assertTrue(String.valueOf(e.getMessage()).contains("now=10ns then now=10ns"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new IdleSample(10, one, new long[] {-1}));
        final BitSet beyond = new BitSet();
        beyond.set(4);
        assertThrows(IllegalArgumentException.class, () -> new IdleSample(10, beyond, new long[4]));
        assertThrows(IllegalArgumentException.class, () -> new CpuIdle(0, 11, 10));
        assertThrows(IllegalArgumentException.class, () -> new PmStatistics((info, off, len, s, so, sl) -> { }, 0));
    }

    @Test
    void theSampleIsACopy() {
        final BitSet cpus = new BitSet();
        cpus.set(1);
        final long[] idle = {0, 42};
        final IdleSample s = new IdleSample(100, cpus, idle);
        cpus.clear(1);
        idle[1] = 7;
        s.reported().clear();
        assertTrue(s.reported(1));
        assertEquals(42, s.idleNanos(1));
    }

    @Test
    void aGuestAndABackendWithoutTheCallCannotRead() {
        try (SimulatedXen xen = SimulatedXen.create()) {
            assertThrows(UnsupportedServiceException.class,
                () -> new PmStatistics(xen.createDomain("guest").host(), 4));
        }
        final PlatformOps uploadOnly = (info, off, len, states, so, sl) -> { };
        final XenHalException e = assertThrows(UnsupportedServiceException.class,
            () -> new PmStatistics(uploadOnly, 4).sample());
        assertTrue(String.valueOf(e.getMessage()).contains("XENPF_getidletime"), e.getMessage());
    }
}
