package io.xen4j.hal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.CxStatistics;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.PlatformOps;
import io.xen4j.hal.api.PxStatistics;
import io.xen4j.hal.api.XenHalException;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The simulated host's C- and P-state statistics ({@code XEN_SYSCTL_get_pmstat}) on the virtual
 * clock: exact residencies, usage and transitions for loads and moves the test makes.
 */
@Timeout(10)
final class PmStatisticsSimTest {
    @Test
    void idleTimeGoesToTheIdleStateAndC0GetsTheRest() {
        try (SimulatedXen xen = SimulatedXen.builder().startTimeNanos(0).physicalCpus(2).build()) {
            final PhysicalCpus pcpus = xen.physicalCpus();
            final PlatformOps ops = xen.dom0().host().platformOps();
            final CxStatistics atBoot = ops.cxStatistics(0);
            assertEquals(2, atBoot.stateCount(), "C0 and C1, as Xen reports without an uploaded _CST");
            assertEquals(0, atBoot.lastState(), "never idle yet");

            pcpus.setCStates(0, 4);
            pcpus.setBusyPpm(0, 250_000);
            xen.advanceTime(8_000_000);             // 6 ms idle in C1
            pcpus.setIdleState(0, 3);
            xen.advanceTime(4_000_500);             // 3 000 375 ns idle in C3
            final CxStatistics s = ops.cxStatistics(0);
            assertEquals(4, s.stateCount());
            assertEquals(3, s.lastState());
            assertEquals(9_000_375, s.idleNanos());
            assertEquals(6_000_000, s.residencyNanos(1));
            assertEquals(0, s.residencyNanos(2));
            assertEquals(3_000_375, s.residencyNanos(3));
            assertEquals(12_000_500 - 9_000_375, s.residencyNanos(0), "C0: the time not idle");
            assertEquals(6, s.usage(1), "one entry per started 1 ms of residency");
            assertEquals(0, s.usage(2));
            assertEquals(4, s.usage(3));
            assertEquals(10, s.usage(0), "every idle period ends in C0");
            assertEquals(CxStatistics.NO_COUNTER, s.packageResidency(2));
            assertEquals(CxStatistics.NO_COUNTER, s.coreResidency(7));

            final BitSet cpus = new BitSet();
            cpus.set(0);
            final long[] idle = new long[1];
            ops.idleTimes(cpus, idle);
            assertEquals(s.idleNanos(), idle[0], "the same counter as XENPF_getidletime");
        }
    }

    @Test
    void pStatesCountTransitionsAndResidencyOnTheClock() {
        try (SimulatedXen xen = SimulatedXen.builder().startTimeNanos(1_000).physicalCpus(1).build()) {
            final PhysicalCpus pcpus = xen.physicalCpus();
            final PlatformOps ops = xen.dom0().host().platformOps();
            assertEquals(Errno.ENODEV, assertThrows(XenHalException.class, () -> ops.pxStatistics(0)).errno(),
                "no P-states yet: as Xen without a cpufreq driver");
            pcpus.setPStates(0, 2400, 1800, 1200);
            xen.advanceTime(500);
            pcpus.setPState(0, 2);
            xen.advanceTime(300);
            pcpus.setPState(0, 2);
            pcpus.setPState(0, 0);
            xen.advanceTime(70);
            final PxStatistics s = ops.pxStatistics(0);
            assertEquals(3, s.stateCount());
            assertEquals(3, s.usable());
            assertEquals(0, s.current());
            assertEquals(2, s.last());
            assertEquals(1200, s.frequencyMhz(2));
            assertEquals(570, s.residencyNanos(0));
            assertEquals(0, s.residencyNanos(1));
            assertEquals(300, s.residencyNanos(2));
            assertEquals(1, s.count(0));
            assertEquals(1, s.count(2));
            assertEquals(1, s.transitions(0, 2));
            assertEquals(1, s.transitions(2, 0));
            assertEquals(0, s.transitions(2, 2), "staying is no transition");

            ops.resetPxStatistics(0);
            xen.advanceTime(5);
            final PxStatistics r = ops.pxStatistics(0);
            assertEquals(5, r.residencyNanos(0));
            assertEquals(0, r.count(2));
            assertEquals(0, r.transitions(0, 2));
            assertEquals(0, r.current(), "a reset keeps the current state");
        }
    }

    @Test
    void missingOrOfflineCpusAreEinvalNamingTheCpu() {
        try (SimulatedXen xen = SimulatedXen.builder().physicalCpus(2).build()) {
            final PlatformOps ops = xen.dom0().host().platformOps();
            final XenHalException none = assertThrows(XenHalException.class, () -> ops.cxStatistics(2));
            assertEquals(Errno.EINVAL, none.errno());
            assertTrue(String.valueOf(none.getMessage()).contains("pcpu 2"), none.getMessage());
            xen.physicalCpus().setOnline(1, false);
            final XenHalException offline = assertThrows(XenHalException.class, () -> ops.cxStatistics(1));
            assertTrue(String.valueOf(offline.getMessage()).contains("offline"), offline.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ops.cxStatistics(-1));
        }
    }

    @Test
    void badSettingsAreRejectedNamingTheCpu() {
        try (SimulatedXen xen = SimulatedXen.builder().physicalCpus(1).build()) {
            final PhysicalCpus pcpus = xen.physicalCpus();
            assertThrows(IllegalArgumentException.class, () -> pcpus.setCStates(0, 1));
            assertThrows(IllegalArgumentException.class, () -> pcpus.setCStates(0, PhysicalCpus.MAX_C_STATES + 1));
            assertTrue(String.valueOf(assertThrows(IllegalArgumentException.class, () -> pcpus.setIdleState(0, 2))
                .getMessage()).contains("C1..C1"));
            assertThrows(IllegalArgumentException.class, () -> pcpus.setPState(0, 0));
            assertThrows(IllegalArgumentException.class, () -> pcpus.setPStates(0));
            assertThrows(IllegalArgumentException.class, () -> pcpus.setPStates(0, 2000, 0));
            pcpus.setPStates(0, 2000);
            assertThrows(IllegalArgumentException.class, () -> pcpus.setPState(0, 1));
            pcpus.setCStates(0, 3);
            pcpus.setIdleState(0, 2);
            pcpus.setCStates(0, 2);
            xen.advanceTime(1_000);
            assertEquals(1, xen.dom0().host().platformOps().cxStatistics(0).lastState(), "idle state moved down");
        }
    }

    @Test
    void aClosedHostRefusesTheStatistics() {
        final SimulatedXen xen = SimulatedXen.builder().build();
        final PlatformOps ops = xen.dom0().host().platformOps();
        xen.close();
        final XenHalException e = assertThrows(XenHalException.class, () -> ops.cxStatistics(0));
        assertTrue(String.valueOf(e.getMessage()).contains("XEN_SYSCTL_get_pmstat"), e.getMessage());
    }
}
