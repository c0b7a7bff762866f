package io.xen4j.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.Xen;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.ForeignMapping;
import io.xen4j.hal.api.Hypercalls;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.api.XenHostOptions;
import io.xen4j.hal.api.XenHosts;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the contract suites do not ask but the Linux HAL promises, checked inside dom0: detection,
 * {@code EPERM} that reads as such, and 10^4 foreign map/unmap cycles that leak nothing.
 */
@LiveXen
class LinuxLiveTest {
    @Test
    void detectionPicksTheLinuxBackendInDom0() {
        try (XenHost host = XenHosts.open()) {
            assertInstanceOf(LinuxXenHost.class, host);
            assertEquals(0, host.domid());
            assertTrue(host.platform().privileged());
            assertTrue(host.platform().versionMajor() >= 4, host.platform()::toString);
            final long v = host.hypercalls().hypercall(Xen.HYPERVISOR_XEN_VERSION, Hypercalls.XENVER_VERSION, 0);
            assertEquals(host.platform().packedVersion(), v);
        }
    }

    @Test
    void aRestrictedPrivcmdRefusesHypercallsWithEperm() {
        try (LinuxXenHost host = LinuxXenHost.open(XenHostOptions.NONE)) {
            host.restrictPrivcmd(1);
            final LinuxXenException e = assertThrows(LinuxXenException.class,
                () -> host.hypercalls().hypercall(Xen.HYPERVISOR_XEN_VERSION, Hypercalls.XENVER_VERSION, 0));
            assertEquals(Errno.EPERM, e.errno());
            assertEquals("/dev/xen/privcmd", e.device());
            final String m = String.valueOf(e.getMessage());
            assertTrue(m.contains("EPERM (1)") && m.contains("IOCTL_PRIVCMD_HYPERCALL") && m.contains("not permitted"), m);
        }
    }

    @Test
    void tenThousandForeignMapUnmapCyclesLeaveNothingHeld() {
        try (LinuxTestBed bed = new LinuxTestBed()) {
            final long gfn = bed.populatedGuestFrame();
            final Map<String, Long> before = bed.resources();
            for (int i = 0; i < 10_000; i++) {
                final ForeignMapping m = bed.privileged().foreignMemory().mapFrames(0, new long[] {gfn}, (i & 1) == 0);
                m.buffer().getLong(0);
                m.close();
            }
            assertEquals(before, bed.resources());
        }
    }

    @Test
    void tryEndAccessEndsAGrantNoOneMaps() {
        try (LinuxXenHost host = LinuxXenHost.open(XenHostOptions.NONE)) {
            final SharedPages s = host.grantTables().share(0, 2, true);
            final int before = host.linuxGrantTables().ownTable().countInUse("count");
            assertTrue(s.tryEndAccess());
            assertEquals(before - 2, host.linuxGrantTables().ownTable().countInUse("count"));
            s.close();
        }
    }
}
