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
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;
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

    /** A minimal {@code xenpf_set_processor_pminfo}: id, type, a zeroed union. */
    static UnsafeBuffer pminfo(final int acpiId, final int type) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[8 + 104]);
        b.putInt(0, acpiId, ByteOrder.LITTLE_ENDIAN);
        b.putInt(4, type, ByteOrder.LITTLE_ENDIAN);
        return b;
    }
}
