package io.xen4j.acpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.CxStatistics;
import io.xen4j.hal.api.PxStatistics;
import io.xen4j.hal.memory.PhysicalCpus;
import io.xen4j.hal.memory.SimulatedXen;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Xen's C- and P-state statistics ({@code XEN_SYSCTL_get_pmstat}) read through the simulated
 * host's HAL, and the share of each state between two readings.
 */
@Timeout(10)
final class PmStateSharesTest {
    @Test
    void cStateSharesFollowTheLoadAndTheIdleState() {
        try (SimulatedXen xen = SimulatedXen.builder().physicalCpus(2).build()) {
            final PhysicalCpus pcpus = xen.physicalCpus();
            pcpus.setCStates(1, 3);
            pcpus.setBusyPpm(1, 500_000);
            final PmStatistics stats = new PmStatistics(xen.dom0().host(), 2);
            final CxStatistics before = stats.cStates(1);
            xen.advanceTime(4_000_000);             // 2 ms idle in C1
            pcpus.setIdleState(1, 2);
            xen.advanceTime(4_000_000);             // 2 ms idle in C2
            final List<StateShare> shares = PmStatistics.cStatesBetween(before, stats.cStates(1));
            assertEquals(3, shares.size());
            assertEquals(new StateShare(0, 4, 4_000_000, 8_000_000), shares.get(0));
            assertEquals(0.25, shares.get(1).fraction());
            assertEquals(0.25, shares.get(2).fraction());
            assertEquals(2, shares.get(2).entries(), "two 1 ms idle periods in C2");
        }
    }

    @Test
    void pStateSharesAndTheMeanFrequency() {
        try (SimulatedXen xen = SimulatedXen.builder().physicalCpus(1).build()) {
            final PhysicalCpus pcpus = xen.physicalCpus();
            pcpus.setPStates(0, 3000, 2000, 1000);
            final PmStatistics stats = new PmStatistics(xen.dom0().host(), 1);
            final PxStatistics before = stats.pStates(0);
            xen.advanceTime(1_000);                 // P0
            pcpus.setPState(0, 2);
            xen.advanceTime(3_000);                 // P2
            final PxStatistics after = stats.pStates(0);
            final List<StateShare> shares = PmStatistics.pStatesBetween(before, after);
            assertEquals(new StateShare(0, 0, 1_000, 4_000), shares.get(0));
            assertEquals(new StateShare(2, 1, 3_000, 4_000), shares.get(2));
            assertEquals(1500, PmStatistics.averageFrequencyMhz(before, after), "(1 x 3000 + 3 x 1000) / 4");
            assertEquals(1000, PmStatistics.averageFrequencyMhz(after, after), "no time: the current state's");
        }
    }

    @Test
    void anUploadGivesTheSimulatedCpuItsStatesAndTheStatisticsShowThem() {
        try (SimulatedXen xen = SimulatedXen.builder().physicalCpus(8).build()) {
            final PmStatistics stats = new PmStatistics(xen.dom0().host(), 8);
            assertEquals(2, stats.cStates(7).stateCount(), "before: C0 and C1");
            new AcpiProcessorUploader(xen.dom0().host()).upload(Samples.CPU0);   // ACPI id 7
            assertEquals(4, stats.cStates(7).stateCount(), "C0 and the three uploaded C-states");
            final PxStatistics px = stats.pStates(7);
            assertEquals(3, px.stateCount());
            assertEquals(2901, px.frequencyMhz(0));
            assertEquals(1200, px.frequencyMhz(2));
            assertEquals(2, stats.cStates(6).stateCount(), "another cpu is untouched");
        }
    }

    @Test
    void readingsOfOtherCpusOrAcrossAResetAreRefused() {
        try (SimulatedXen xen = SimulatedXen.builder().physicalCpus(2).build()) {
            final PhysicalCpus pcpus = xen.physicalCpus();
            pcpus.setPStates(0, 2000, 1000);
            pcpus.setPStates(1, 2000, 1000);
            final PmStatistics stats = new PmStatistics(xen.dom0().host(), 2);
            assertThrows(IllegalArgumentException.class,
                () -> PmStatistics.cStatesBetween(stats.cStates(0), stats.cStates(1)));
            assertThrows(IllegalArgumentException.class,
                () -> PmStatistics.pStatesBetween(stats.pStates(0), stats.pStates(1)));
            xen.advanceTime(10);
            final PxStatistics before = stats.pStates(0);
            xen.dom0().host().platformOps().resetPxStatistics(0);
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PmStatistics.pStatesBetween(before, stats.pStates(0)));
            assertTrue(String.valueOf(e.getMessage()).contains("reset"), e.getMessage());
        }
    }

    @Test
    void unsignedCountersAreComparedUnsigned() {
        final long big = 0x8000_0000_0000_0010L;
        final PxStatistics a = new PxStatistics(0, 1, 0, 0, new long[] {1000}, new long[] {big}, new long[] {1},
            new long[] {0});
        final PxStatistics b = new PxStatistics(0, 1, 0, 0, new long[] {1000}, new long[] {big + 5}, new long[] {1},
            new long[] {0});
        assertEquals(5, PmStatistics.pStatesBetween(a, b).get(0).residencyNanos(), "past 2^63 is still growth");
        assertThrows(IllegalArgumentException.class, () -> PmStatistics.pStatesBetween(b, a));
        assertThrows(IllegalArgumentException.class, () -> new StateShare(0, 0, 2, 1));
    }
}
