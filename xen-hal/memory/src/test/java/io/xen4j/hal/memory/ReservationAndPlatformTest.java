package io.xen4j.hal.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.Xen;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.GuestType;
import io.xen4j.hal.api.MemoryReservation;
import io.xen4j.hal.api.PlatformOps;
import io.xen4j.hal.api.XenHalException;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Memory accounting of the simulated host, and what it records of platform operations.
 */
final class ReservationAndPlatformTest {
    @Test
    void aDomainCannotGrowPastItsMaximum() {
        try (SimulatedXen xen = SimulatedXen.create()) {
            final SimulatedDomain g = xen.createDomain(DomainConfig.guest("g").withPages(10, 8));
            final MemoryReservation r = g.host().memoryReservation();
            assertEquals(8, r.currentPages());
            assertEquals(10, r.maximumPages());
            assertEquals(2, r.increaseReservation(new long[] {100, 101, 102, 103}, 4), "stops at the maximum");
            assertEquals(10, g.currentPages());
            assertEquals(3, r.decreaseReservation(new long[] {0, 1, 100, 5000}, 4), "stops at the first unpopulated frame");
            assertEquals(7, r.currentPages());
            assertThrows(XenHalException.class, () -> r.increaseReservation(new long[1], 2));
        }
    }

    @Test
    void theHostsMemoryIsSharedByEveryDomain() {
        try (SimulatedXen xen = SimulatedXen.builder().hostPages(100).dom0(DomainConfig.privileged("dom0").withPages(50, 40))
            .build()) {
            assertEquals(60, xen.freeHostPages());
            final SimulatedDomain g = xen.createDomain(DomainConfig.guest("g").withPages(100, 50));
            assertEquals(10, xen.freeHostPages());
            assertEquals(10, g.host().memoryReservation().increaseReservation(new long[] {
                200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211}, 12), "the host ran out");
            assertEquals(0, xen.freeHostPages());
            final XenHalException e = assertThrows(XenHalException.class, () -> xen.createDomain(DomainConfig.guest("h")));
            assertEquals(Errno.ENOMEM, e.errno());
            g.destroy();
            assertEquals(60, xen.freeHostPages());
        }
    }

    @Test
    void processorPmUploadsAreRecordedForTheDriverTests() {
        try (SimulatedXen xen = SimulatedXen.create()) {
            final UnsafeBuffer info = new UnsafeBuffer(new byte[16]);
            info.putInt(0, 3, ByteOrder.LITTLE_ENDIAN);
            info.putInt(4, PlatformOps.XEN_PM_CX, ByteOrder.LITTLE_ENDIAN);
            final UnsafeBuffer states = new UnsafeBuffer(new byte[] {1, 2, 3, 4});
            xen.dom0().host().platformOps().setProcessorPmInfo(info, 0, 16, states, 1, 2);
            final PmUpload u = xen.platformUploads().get(0);
            assertEquals(0, u.domid());
            assertEquals(3, u.acpiId());
            assertEquals(PlatformOps.XEN_PM_CX, u.type());
            assertEquals(16, u.pminfo().length);
            assertArrayEquals(new byte[] {2, 3}, u.states());
            assertTrue(u.toString().contains("ACPI id 3"));
        }
    }

    @Test
    void thePlatformIsWhatTheBuilderSays() {
        try (SimulatedXen xen = SimulatedXen.builder().version(4, 17, ".3").build()) {
            final SimulatedDomain g = xen.createDomain(DomainConfig.guest("hvm").withGuestType(GuestType.HVM).withVcpus(4));
            assertEquals("4.17.3", xen.dom0().host().platform().version());
            assertEquals(GuestType.PV, xen.dom0().host().platform().guestType());
            assertEquals(GuestType.HVM, g.host().platform().guestType());
            assertEquals(4, g.host().timers().vcpuCount());
            assertEquals((4L << 16) | 17, g.host().hypercalls().hypercall(Xen.HYPERVISOR_XEN_VERSION, 0));
        }
    }

    @Test
    void domainConfigurationsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> DomainConfig.guest("x").withPages(4, 5));
        assertThrows(IllegalArgumentException.class, () -> DomainConfig.guest("x").withVcpus(0));
        assertThrows(IllegalArgumentException.class, () -> DomainConfig.guest("x").withGuestType(GuestType.NONE));
        assertThrows(IllegalArgumentException.class,
            () -> SimulatedXen.builder().dom0(DomainConfig.guest("unprivileged dom0")).build());
    }
}
