package io.xen4j.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.Xen;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.GrantCopyBatch;
import io.xen4j.hal.api.GuestType;
import io.xen4j.hal.api.PlatformInfo;
import io.xen4j.hal.api.UnsupportedServiceException;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenService;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Linux host over a fake {@code /dev/xen} whose devices are {@code /dev/null}: platform facts,
 * services, argument checks before any native call, and errors that name the device, the ioctl
 * and the errno.
 */
class LinuxXenHostTest {
    @TempDir
    Path dir;

    private static void assertMentions(final Throwable e, final String... parts) {
        for (final String p : parts) {
            assertTrue(String.valueOf(e.getMessage()).contains(p), () -> "no '" + p + "' in: " + e.getMessage());
        }
    }

    @Test
    void platformFactsComeFromSysfsAndProcXen() throws IOException {
        final FakeXen xen = FakeXen.dom0(dir);
        try (LinuxXenHost host = LinuxXenHost.open(xen.options())) {
            final PlatformInfo p = host.platform();
            assertTrue(p.xen());
            assertEquals(GuestType.PV, p.guestType());
            assertEquals("4.17.7", p.version());
            assertEquals(0x40011, p.packedVersion());
            assertTrue(p.privileged());
            assertTrue(p.initialDomain());
            assertEquals(0, p.domid());
            assertEquals(0, host.domid());
            assertEquals("linux", host.backendName());
        }
    }

    @Test
    void dom0HasEverythingButWhatTheKernelOwns() throws IOException {
        try (LinuxXenHost host = LinuxXenHost.open(FakeXen.dom0(dir).options())) {
            assertEquals(EnumSet.of(XenService.EVENT_CHANNELS, XenService.GRANT_TABLES, XenService.FOREIGN_MEMORY,
                XenService.HYPERCALLS, XenService.PLATFORM_OPS, XenService.PLATFORM), host.services());
            final UnsupportedServiceException timers = assertThrows(UnsupportedServiceException.class, host::timers);
            assertEquals(XenService.TIMERS, timers.service());
            assertMentions(timers, "timers on backend linux for dom0", "VCPUOP_set_singleshot_timer");
            assertMentions(assertThrows(UnsupportedServiceException.class, host::memoryReservation), "balloon");
            assertMentions(assertThrows(UnsupportedServiceException.class, host::clock), "vcpu_time_info");
        }
    }

    @Test
    void anUnprivilegedGuestHasNoForeignMemoryNorPlatformOps() throws IOException {
        final FakeXen xen = new FakeXen(dir, false, "evtchn", "gntalloc", "gntdev", "privcmd");
        try (LinuxXenHost host = LinuxXenHost.open(xen.options().with(LinuxXenHost.OPTION_DOMID, "5"))) {
            assertEquals(5, host.domid());
            assertFalse(host.platform().privileged());
            assertFalse(host.platform().initialDomain());
            assertFalse(host.supports(XenService.FOREIGN_MEMORY));
            final UnsupportedServiceException e = assertThrows(UnsupportedServiceException.class, host::foreignMemory);
            assertMentions(e, "privcmd", "dom5", "control_d");
            assertThrows(UnsupportedServiceException.class, host::platformOps);
            assertTrue(host.supports(XenService.HYPERCALLS));
        }
    }

    @Test
    void aMissingDeviceIsAMissingServiceThatSaysWhy() throws IOException {
        final FakeXen xen = new FakeXen(dir, true, "privcmd");
        try (LinuxXenHost host = LinuxXenHost.open(xen.options())) {
            final UnsupportedServiceException e = assertThrows(UnsupportedServiceException.class, host::eventChannels);
            assertMentions(e, "evtchn does not exist", "xen-evtchn");
            assertThrows(UnsupportedServiceException.class, host::grantTables);
            assertTrue(host.supports(XenService.FOREIGN_MEMORY));
        }
    }

    @Test
    void everyIoctlFailureNamesTheDeviceTheIoctlAndTheErrno() throws IOException {
        final FakeXen xen = FakeXen.dom0(dir);
        try (LinuxXenHost host = LinuxXenHost.open(xen.options())) {
            final LinuxXenException bind = assertThrows(LinuxXenException.class,
                () -> host.eventChannels().allocateUnbound(1, ch -> { }));
            assertEquals(xen.dev("evtchn").toString(), bind.device());
            assertMentions(bind, "allocate an unbound port in dom0 for dom1", "IOCTL_EVTCHN_BIND_UNBOUND_PORT",
                "ENOTTY (25");
            assertMentions(assertThrows(LinuxXenException.class, () -> host.grantTables().share(1, 2, true)),
                "share 2 pages of dom0 with dom1", "IOCTL_GNTALLOC_ALLOC_GREF", xen.dev("gntalloc").toString());
            assertMentions(assertThrows(LinuxXenException.class, () -> host.grantTables().map(1, 8, false)),
                "map grant dom1 refs [8]", "IOCTL_GNTDEV_MAP_GRANT_REF", xen.dev("gntdev").toString());
            final GrantCopyBatch batch = new GrantCopyBatch(1);
            batch.addGrantToLocal(1, 8, 0, new UnsafeBuffer(new byte[8]), 0, 8);
            assertMentions(assertThrows(LinuxXenException.class, () -> host.grantTables().copy(batch)),
                "IOCTL_GNTDEV_GRANT_COPY");
            assertMentions(assertThrows(LinuxXenException.class,
                () -> host.hypercalls().hypercall(Xen.HYPERVISOR_XEN_VERSION, 0, 0)),
                "hypercall 17 (xen_version) by dom0", "IOCTL_PRIVCMD_HYPERCALL", xen.dev("privcmd").toString());
            assertMentions(assertThrows(LinuxXenException.class, () -> host.restrictPrivcmd(3)), "IOCTL_PRIVCMD_RESTRICT");
            // /dev/null cannot be mapped: the mmap that reserves a foreign mapping fails first.
            final LinuxXenException map = assertThrows(LinuxXenException.class,
                () -> host.foreignMemory().mapFrames(3, new long[] {0x1000}, false));
            assertEquals("mmap", map.call());
            assertMentions(map, "map 1 frame [0x1000] of dom3 read-only into dom0");
        }
    }

    @Test
    void argumentsAreCheckedBeforeAnyNativeCall() throws IOException {
        // No devices at all: an argument error must come before any attempt to open one.
        final FakeXen xen = new FakeXen(dir, true, "evtchn", "gntalloc", "gntdev", "privcmd");
        try (LinuxXenHost host = LinuxXenHost.open(xen.options())) {
            assertEquals(Errno.EINVAL, assertThrows(XenHalException.class, () -> host.grantTables().share(1, 0, true)).errno());
            assertEquals(Errno.EINVAL, assertThrows(XenHalException.class, () -> host.grantTables().share(-1, 1, true)).errno());
            assertEquals(Errno.EINVAL,
                assertThrows(XenHalException.class, () -> host.grantTables().share(Xen.DOMID_SELF, 1, true)).errno());
            assertEquals(Errno.EINVAL, assertThrows(XenHalException.class, () -> host.grantTables().map(1, new int[0], true)).errno());
            assertThrows(IllegalArgumentException.class,
                () -> host.hypercalls().hypercall(Xen.HYPERVISOR_XEN_VERSION, 1, 2, 3, 4, 5, 6));
            assertThrows(IllegalArgumentException.class, () -> host.hypercalls().hypercall(200));
            assertEquals(Errno.EINVAL, assertThrows(XenHalException.class,
                () -> host.foreignMemory().mapFrames(1, new long[0], false)).errno());
            assertEquals(Errno.EINVAL, assertThrows(XenHalException.class,
                () -> host.foreignMemory().mapResource(1, 1, 0, 0, 0, false)).errno());
            assertEquals(Errno.EINVAL, assertThrows(XenHalException.class, () -> host.restrictPrivcmd(-1)).errno());
            assertThrows(IllegalArgumentException.class, () -> host.platformOps()
                .setProcessorPmInfo(new UnsafeBuffer(new byte[4]), 0, 4, new UnsafeBuffer(new byte[0]), 0, 0));
            assertEquals(0, host.core().handleCount());
        }
    }

    @Test
    void aClosedHostRefusesNewWork() throws IOException {
        final LinuxXenHost host = LinuxXenHost.open(FakeXen.dom0(dir).options());
        host.close();
        host.close();
        assertTrue(host.isClosed());
        assertEquals(Errno.EBADF, assertThrows(XenHalException.class,
            () -> host.eventChannels().allocateUnbound(1, ch -> { })).errno());
        assertEquals(Errno.EBADF, assertThrows(XenHalException.class, () -> host.grantTables().share(1, 1, true)).errno());
        assertEquals(Errno.EBADF, assertThrows(XenHalException.class,
            () -> host.hypercalls().hypercall(Xen.HYPERVISOR_XEN_VERSION)).errno());
        assertEquals(0, host.eventChannels().poll(4));
    }

    @Test
    void eprmOnPrivcmdReadsAsNotPrivileged() {
        final LinuxXenException e = new LinuxXenException("hypercall 17 (xen_version) by dom3", "/dev/xen/privcmd",
            "ioctl IOCTL_PRIVCMD_HYPERCALL", 1, "not permitted: this domain is not privileged");
        assertEquals(Errno.EPERM, e.errno());
        assertEquals("EPERM", e.errnoName());
        assertMentions(e, "hypercall 17 (xen_version) by dom3 failed: EPERM (1)",
            "ioctl IOCTL_PRIVCMD_HYPERCALL on /dev/xen/privcmd: EPERM (1, Operation not permitted)", "not privileged");
    }
}
