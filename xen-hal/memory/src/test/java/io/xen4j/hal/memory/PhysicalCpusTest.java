package io.xen4j.hal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.PlatformOps;
import io.xen4j.hal.api.XenHalException;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The simulated host's physical CPUs: idle counters driven by the virtual clock and the load
 * tests set, read through {@code XENPF_getidletime} ({@link PlatformOps#idleTimes}).
 */
@Timeout(10)
final class PhysicalCpusTest {
    @Test
    void idleTimeGrowsByTheIdleShareOfEachStep() {
        try (SimulatedXen xen = SimulatedXen.builder().startTimeNanos(1_000).physicalCpus(3).build()) {
            final PhysicalCpus pcpus = xen.physicalCpus();
            assertEquals(3, pcpus.count());
            assertEquals(1_000, pcpus.idleNanos(0), "idle since Xen time 0");
            pcpus.setBusyPpm(1, 250_000);
            pcpus.setBusyPpm(2, PhysicalCpus.PPM);
            xen.advanceTime(4_000_000);
            assertEquals(4_001_000, pcpus.idleNanos(0));
            assertEquals(1_000 + 3_000_000, pcpus.idleNanos(1));
            assertEquals(1_000, pcpus.idleNanos(2), "a fully busy cpu gains nothing");
            pcpus.setBusyPpm(1, 0);
            xen.advanceTime(7);
            assertEquals(3_001_007, pcpus.idleNanos(1), "the change applies from now on only");
        }
    }

    @Test
    void theHypercallReportsOnlineCpusAndClearsTheOthers() {
        try (SimulatedXen xen = SimulatedXen.builder().physicalCpus(4).build()) {
            final PhysicalCpus pcpus = xen.physicalCpus();
            pcpus.setBusyPpm(0, 500_000);
            pcpus.setOnline(2, false);
            xen.advanceTime(2_000_000_000L);
            final BitSet cpus = new BitSet();
            cpus.set(0, 6);
            final long[] idle = new long[8];
            idle[2] = -1;
            final long now = xen.dom0().host().platformOps().idleTimes(cpus, idle);
            assertEquals(3_000_000_000L, now);
            assertEquals(BitSet.valueOf(new long[] {0b1011}), cpus, "cpu 2 offline, 4 and 5 do not exist");
            assertEquals(2_000_000_000L, idle[0], "1 s idle since 0, then half of 2 s");
            assertEquals(3_000_000_000L, idle[1]);
            assertEquals(-1, idle[2], "an unreported cpu's entry is left alone");
            assertEquals(3_000_000_000L, idle[3]);
        }
    }

    @Test
    void anOfflineCpuKeepsItsCounterAndACpuWithNoIdleTimeIsNotReported() {
        try (SimulatedXen xen = SimulatedXen.builder().startTimeNanos(0).physicalCpus(2).build()) {
            final PlatformOps ops = xen.dom0().host().platformOps();
            final BitSet cpus = new BitSet();
            cpus.set(0, 2);
            ops.idleTimes(cpus, new long[2]);
            assertTrue(cpus.isEmpty(), "at Xen time 0 no cpu has idle time, and Xen leaves those out: " + cpus);
            xen.advanceTime(100);
            xen.physicalCpus().setOnline(1, false);
            xen.advanceTime(100);
            assertEquals(100, xen.physicalCpus().idleNanos(1), "frozen while offline");
            xen.physicalCpus().setOnline(1, true);
            xen.advanceTime(100);
            assertEquals(200, xen.physicalCpus().idleNanos(1));
            assertEquals(300, xen.physicalCpus().idleNanos(0));
        }
    }

    @Test
    void theCountersCannotOverflowOnLongRuns() {
        try (SimulatedXen xen = SimulatedXen.builder().physicalCpus(1).build()) {
            xen.physicalCpus().setBusyPpm(0, 1);
            xen.advanceTime(Long.MAX_VALUE / 2);
            final long elapsed = Long.MAX_VALUE / 2;
            // floor(elapsed * 999_999 / 1_000_000), computed without overflow another way.
            final long expected = 1_000_000_000L + elapsed - (elapsed / 1_000_000 + (elapsed % 1_000_000 > 0 ? 1 : 0));
            assertEquals(expected, xen.physicalCpus().idleNanos(0));
        }
    }

    @Test
    void badArgumentsAreRejectedNamingTheCpu() {
        try (SimulatedXen xen = SimulatedXen.builder().physicalCpus(2).build()) {
            final PhysicalCpus pcpus = xen.physicalCpus();
            assertTrue(String.valueOf(assertThrows(IllegalArgumentException.class, () -> pcpus.setBusyPpm(2, 0))
                .getMessage()).contains("pcpu 2"));
            assertTrue(String.valueOf(assertThrows(IllegalArgumentException.class,
                () -> pcpus.setBusyPpm(0, PhysicalCpus.PPM + 1)).getMessage()).contains("busyPpm=1000001"));
            assertThrows(IllegalArgumentException.class, () -> pcpus.setOnline(-1, true));
            assertThrows(IllegalArgumentException.class, () -> SimulatedXen.builder().physicalCpus(0));
        }
    }

    @Test
    void aClosedHostRefusesTheCall() {
        final SimulatedXen xen = SimulatedXen.builder().build();
        final PlatformOps ops = xen.dom0().host().platformOps();
        xen.close();
        final BitSet cpus = new BitSet();
        cpus.set(0);
        final XenHalException e = assertThrows(XenHalException.class, () -> ops.idleTimes(cpus, new long[1]));
        assertTrue(String.valueOf(e.getMessage()).contains("XENPF_getidletime"), e.getMessage());
    }
}
