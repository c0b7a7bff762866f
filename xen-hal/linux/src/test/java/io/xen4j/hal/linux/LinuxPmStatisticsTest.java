package io.xen4j.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.PlatformOps;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code XEN_SYSCTL_get_pmstat} on the Linux host over a fake {@code /dev/xen} whose devices are
 * {@code /dev/null}: arguments checked before any native call, and the failed sysctl named with its
 * request, CPU, device and errno.
 */
@Timeout(30)
class LinuxPmStatisticsTest {
    @TempDir
    Path dir;

    @Test
    void badCpusFailBeforeTheSysctlAndEachFailureNamesTheRequest() throws IOException {
        final FakeXen xen = FakeXen.dom0(dir);
        try (LinuxXenHost host = LinuxXenHost.open(xen.options())) {
            final PlatformOps ops = host.platformOps();
            assertTrue(String.valueOf(assertThrows(IllegalArgumentException.class, () -> ops.cxStatistics(-1))
                .getMessage()).contains("cpu=-1"));
            assertThrows(IllegalArgumentException.class, () -> ops.pxStatistics(-2));
            assertThrows(IllegalArgumentException.class, () -> ops.resetPxStatistics(-3));
            expectSysctlFailure(xen, () -> ops.cxStatistics(2), "C-state statistics", "PMSTAT_get_max_cx", "pcpu 2");
            expectSysctlFailure(xen, () -> ops.pxStatistics(3), "P-state statistics", "PMSTAT_get_max_px", "pcpu 3");
            expectSysctlFailure(xen, () -> ops.resetPxStatistics(4), "PMSTAT_reset_pxstat", "pcpu 4");
        }
    }

    @Test
    void aClosedHostRefusesBeforeAsking() throws IOException {
        final FakeXen xen = FakeXen.dom0(dir);
        final LinuxXenHost host = LinuxXenHost.open(xen.options());
        final PlatformOps ops = host.platformOps();
        host.close();
        final var e = assertThrows(io.xen4j.hal.api.XenHalException.class, () -> ops.cxStatistics(0));
        assertEquals(io.xen4j.hal.api.Errno.EBADF, e.errno());
    }

    private static void expectSysctlFailure(final FakeXen xen, final Executable call, final String... parts) {
        final LinuxXenException e = assertThrows(LinuxXenException.class, call);
        assertEquals(xen.dev("privcmd").toString(), e.device());
        for (final String part : parts) {
            assertTrue(String.valueOf(e.getMessage()).contains(part), () -> "no '" + part + "' in: " + e.getMessage());
        }
        for (final String part : new String[] {"XEN_SYSCTL_get_pmstat", "dom0", "IOCTL_PRIVCMD_HYPERCALL", "ENOTTY (25"}) {
            assertTrue(String.valueOf(e.getMessage()).contains(part), () -> "no '" + part + "' in: " + e.getMessage());
        }
    }
}
