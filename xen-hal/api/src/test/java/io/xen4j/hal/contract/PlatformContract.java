package io.xen4j.hal.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.CxStatistics;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.GuestType;
import io.xen4j.hal.api.PlatformInfo;
import io.xen4j.hal.api.PlatformOps;
import io.xen4j.hal.api.PxStatistics;
import io.xen4j.hal.api.UnsupportedServiceException;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.api.XenService;
import io.xen4j.hal.api.XenHalException;
import java.nio.ByteOrder;
import java.util.BitSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link PlatformInfo} and {@link PlatformOps}.
 */
public abstract class PlatformContract extends HalContract {
    @Test
    void everyDomainKnowsItRunsOnXenAndWhichDomainItIs() {
        for (final XenHost h : new XenHost[] {bed().privileged(), bed().guest()}) {
            final PlatformInfo p = h.platform();
            assertTrue(p.xen());
            assertNotEquals(GuestType.NONE, p.guestType());
            assertEquals(h.domid(), p.domid());
            assertTrue(p.versionMajor() >= 3);
            assertTrue(p.version().startsWith(p.versionMajor() + "." + p.versionMinor()));
        }
    }

    @Test
    void thePrivilegedDomainIsPrivilegedAndTheGuestIsNot() {
        assertTrue(bed().privileged().platform().privileged());
        final PlatformInfo guest = bed().guest().platform();
        assertFalse(guest.privileged());
        assertFalse(guest.initialDomain());
    }

    @Test
    void aProcessorPmUploadIsAccepted() {
        final UnsafeBuffer info = pminfo(1, PlatformOps.XEN_PM_PX);
        final UnsafeBuffer states = new UnsafeBuffer(new byte[48]);
        try {
            bed().privileged().platformOps().setProcessorPmInfo(info, 0, info.capacity(), states, 0, states.capacity());
        } catch (final XenHalException e) {
            // Xen booted with cpufreq=dom0-kernel (as the live harness boots it, for XENPF_getidletime)
            // leaves P-states to dom0's kernel and refuses their upload with ENOSYS.
            Assumptions.assumeFalse(e.errno() == Errno.ENOSYS,
                () -> "Xen leaves P-states to dom0 (cpufreq=dom0-kernel) and refuses their upload: " + e.getMessage());
            throw e;
        }
    }

    @Test
    void anUnknownUploadTypeFailsWithEinvalNamingTheProcessor() {
        final UnsafeBuffer info = pminfo(7, 42);
        final var e = assertErrno(Errno.EINVAL, () -> bed().privileged().platformOps()
            .setProcessorPmInfo(info, 0, info.capacity(), info, 0, 0));
        assertMentions(e, "ACPI processor 7");
    }

    @Test
    void aGuestHasNoPlatformOps() {
        assertFalse(bed().guest().supports(XenService.PLATFORM_OPS));
        final UnsupportedServiceException e = assertThrows(UnsupportedServiceException.class, bed().guest()::platformOps);
        assertEquals(XenService.PLATFORM_OPS, e.service());
    }

    @Test
    void idleTimesAreSaneAndOnlyForCpusAskedAbout() {
        final PlatformOps ops = bed().privileged().platformOps();
        final int asked = 64;
        final BitSet cpus = new BitSet();
        cpus.set(0, asked);
        final long[] idle = new long[asked + 1];
        idle[asked] = -7;
        final long now = idleTimesOrAbort(ops, cpus, idle);
        assertTrue(now > 0, "now=" + now);
        assertFalse(cpus.isEmpty(), "no cpu reported");
        assertTrue(cpus.length() <= asked, "reported " + cpus + " beyond the " + asked + " asked");
        for (int cpu = cpus.nextSetBit(0); cpu >= 0; cpu = cpus.nextSetBit(cpu + 1)) {
            final int c = cpu;
            assertTrue(idle[cpu] > 0 && idle[cpu] <= now, () -> "cpu " + c + " idle=" + idle[c] + " now=" + now);
        }
        assertEquals(-7, idle[asked], "an entry not asked about was written");
        // A second reading never goes back: idle time and now only grow.
        final BitSet again = (BitSet) cpus.clone();
        final long[] idle2 = new long[asked];
        final long now2 = ops.idleTimes(again, idle2);
        assertTrue(now2 >= now, "now went back: " + now + " then " + now2);
        for (int cpu = again.nextSetBit(0); cpu >= 0; cpu = again.nextSetBit(cpu + 1)) {
            assertTrue(idle2[cpu] >= idle[cpu], "cpu " + cpu + " idle went back");
        }
    }

    @Test
    void idleTimesRejectsACpuBeyondTheArrayBeforeAsking() {
        final PlatformOps ops = bed().privileged().platformOps();
        final BitSet cpus = new BitSet();
        cpus.set(8);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ops.idleTimes(cpus, new long[8]));
        assertMentions(e, "cpu=8", "idleNanos.length=8");
        assertThrows(IllegalArgumentException.class, () -> ops.idleTimes(new BitSet(), new long[0]));
        assertThrows(IllegalArgumentException.class,
            () -> ops.idleTimes(new BitSet(), new long[PlatformOps.MAX_IDLE_CPUS + 1]));
    }

    @Test
    void cStateStatisticsOfCpu0AreSaneAndOnlyGrow() {
        final PlatformOps ops = bed().privileged().platformOps();
        final CxStatistics a;
        try {
            a = ops.cxStatistics(0);
        } catch (final XenHalException e) {
            Assumptions.assumeFalse(e.errno() == Errno.ENODEV, () -> "Xen manages no C-states: " + e.getMessage());
            throw e;
        }
        Assumptions.assumeTrue(a.stateCount() > 0, () -> "no C-state data for pcpu 0: " + a);
        assertEquals(0, a.cpu());
        assertTrue(a.lastState() < a.stateCount(), a::toString);
        assertEquals(PlatformOps.PACKAGE_COUNTER_SLOTS, a.packageCounterSlots());
        assertEquals(PlatformOps.CORE_COUNTER_SLOTS, a.coreCounterSlots());
        final CxStatistics b = ops.cxStatistics(0);
        assertEquals(a.stateCount(), b.stateCount());
        assertTrue(Long.compareUnsigned(b.idleNanos(), a.idleNanos()) >= 0, () -> a + " then " + b);
        for (int c = 1; c < a.stateCount(); c++) {
            assertTrue(Long.compareUnsigned(b.usage(c), a.usage(c)) >= 0, "C" + c + " usage went back");
            assertTrue(Long.compareUnsigned(b.residencyNanos(c), a.residencyNanos(c)) >= 0, "C" + c + " residency");
        }
    }

    @Test
    void pStateStatisticsAreSaneOrRefusedWithTheReason() {
        final PlatformOps ops = bed().privileged().platformOps();
        try {
            final PxStatistics px = ops.pxStatistics(0);
            assertTrue(px.current() < px.stateCount() && px.last() < px.stateCount(), px::toString);
            assertTrue(px.usable() <= px.stateCount(), px::toString);
        } catch (final XenHalException e) {
            // No cpufreq driver in Xen (ENODEV), no P-states uploaded (EINVAL), no statistics (ENODATA).
            assertTrue(e.errno() == Errno.ENODEV || e.errno() == Errno.EINVAL || e.errnoNumber() == 61, e::toString);
            assertMentions(e, "pcpu 0");
        }
    }

    @Test
    void pmStatisticsOfACpuThatDoesNotExistAreEinvalAndANegativeCpuIsRefusedBeforeAsking() {
        final PlatformOps ops = bed().privileged().platformOps();
        assertThrows(IllegalArgumentException.class, () -> ops.cxStatistics(-1));
        assertThrows(IllegalArgumentException.class, () -> ops.pxStatistics(-1));
        final XenHalException e = assertThrows(XenHalException.class, () -> ops.cxStatistics(65_535));
        Assumptions.assumeFalse(e.errno() == Errno.ENODEV, () -> "Xen manages no C-states: " + e.getMessage());
        assertEquals(Errno.EINVAL, e.errno(), e::toString);
        assertMentions(e, "pcpu 65535");
    }

    /**
     * Reads idle times; on a real Xen booted without {@code cpufreq=dom0-kernel} the hypervisor
     * answers ENOSYS, which skips the test with that reason rather than passing it.
     */
    private static long idleTimesOrAbort(final PlatformOps ops, final BitSet cpus, final long[] idle) {
        try {
            return ops.idleTimes(cpus, idle);
        } catch (final XenHalException e) {
            Assumptions.assumeFalse(e.errno() == Errno.ENOSYS,
                () -> "XENPF_getidletime needs Xen booted with cpufreq=dom0-kernel: " + e.getMessage());
            throw e;
        }
    }

    /** A minimal {@code xenpf_set_processor_pminfo}: id, type, a zeroed union. */
    static UnsafeBuffer pminfo(final int acpiId, final int type) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[8 + 104]);
        b.putInt(0, acpiId, ByteOrder.LITTLE_ENDIAN);
        b.putInt(4, type, ByteOrder.LITTLE_ENDIAN);
        return b;
    }
}
