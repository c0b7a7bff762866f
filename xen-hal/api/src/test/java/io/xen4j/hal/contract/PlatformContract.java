package io.xen4j.hal.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.GuestType;
import io.xen4j.hal.api.PlatformInfo;
import io.xen4j.hal.api.PlatformOps;
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
        bed().privileged().platformOps().setProcessorPmInfo(info, 0, info.capacity(), states, 0, states.capacity());
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
