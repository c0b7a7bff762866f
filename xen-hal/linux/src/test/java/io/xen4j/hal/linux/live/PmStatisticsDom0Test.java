package io.xen4j.hal.linux.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.CxStatistics;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.PlatformOps;
import io.xen4j.hal.api.PxStatistics;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHostOptions;
import io.xen4j.hal.linux.LinuxXenHost;
import java.util.BitSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs inside dom0 only (tag {@value Dom0TestRunner#DOM0_TAG}): {@code XEN_SYSCTL_get_pmstat}
 * through {@code /dev/xen/privcmd}'s sysctl hypercall. C-states: two readings checked for sense
 * and against {@code XENPF_getidletime}; P-states: read when Xen runs a cpufreq driver, else
 * skipped with Xen's errno (with {@code cpufreq=dom0-kernel}, as the harness boots it, Xen has
 * none and answers {@code ENODEV}). Every reading is printed, so the harness log shows what the
 * hypervisor said.
 */
@Tag(Dom0TestRunner.DOM0_TAG)
@Timeout(60)
class PmStatisticsDom0Test {
    @Test
    void dom0ReadsTheCStateStatisticsOfCpu0TwiceAndTheyOnlyGrow() throws InterruptedException {
        try (LinuxXenHost host = LinuxXenHost.open(XenHostOptions.NONE)) {
            final PlatformOps ops = host.platformOps();
            final CxStatistics a = cxOrAbort(ops, 0);
            System.out.println("xen4j dom0 pmstat: " + a);
            Assumptions.assumeTrue(a.stateCount() > 0, "Xen keeps no C-state data for pcpu 0: " + a);
            assertTrue(a.stateCount() >= 2, "C0 and at least C1: " + a);
            assertTrue(a.idleNanos() > 0, "idle time: " + a);
            Thread.sleep(50);
            final CxStatistics b = ops.cxStatistics(0);
            System.out.println("xen4j dom0 pmstat: " + b);
            assertEquals(a.stateCount(), b.stateCount());
            assertTrue(b.idleNanos() >= a.idleNanos(), "idle time went back: " + a + " then " + b);
            for (int c = 1; c < a.stateCount(); c++) {
                assertTrue(b.usage(c) >= a.usage(c), "C" + c + " usage went back: " + a + " then " + b);
                assertTrue(b.residencyNanos(c) >= a.residencyNanos(c), "C" + c + " residency went back");
            }
            // The same counter as XENPF_getidletime (get_cpu_idle_time), read after: never less.
            final BitSet cpus = new BitSet();
            cpus.set(0);
            final long[] idle = new long[1];
            try {
                ops.idleTimes(cpus, idle);
                System.out.println("xen4j dom0 getidletime: pcpu 0 idle " + idle[0] + " ns");
                if (cpus.get(0)) {
                    assertTrue(idle[0] >= b.idleNanos(), "getidletime " + idle[0] + " < get_cxstat " + b.idleNanos());
                }
            } catch (final XenHalException e) {
                System.out.println("xen4j dom0 getidletime: " + e.getMessage());
                if (e.errno() != Errno.ENOSYS) {
                    throw e;
                }
            }
        }
    }

    @Test
    void dom0ReadsThePStateStatisticsWhenXenRunsACpufreqDriver() {
        try (LinuxXenHost host = LinuxXenHost.open(XenHostOptions.NONE)) {
            final PxStatistics px;
            try {
                px = host.platformOps().pxStatistics(0);
            } catch (final XenHalException e) {
                System.out.println("xen4j dom0 pmstat px: " + e.getMessage());
                Assumptions.assumeFalse(e.errno() == Errno.ENODEV || e.errno() == Errno.EINVAL
                    || e.errnoNumber() == 61, () -> "Xen keeps no P-state statistics here: " + e.getMessage());
                throw e;
            }
            System.out.println("xen4j dom0 pmstat: " + px);
            assertTrue(px.stateCount() >= 1 && px.current() < px.stateCount(), px.toString());
            assertTrue(px.frequencyMhz(0) > 0, px.toString());
        }
    }

    @Test
    void aCpuXenDoesNotHaveIsEinvalNamingIt() {
        try (LinuxXenHost host = LinuxXenHost.open(XenHostOptions.NONE)) {
            final XenHalException e = assertThrows(XenHalException.class, () -> host.platformOps().cxStatistics(65_535));
            System.out.println("xen4j dom0 pmstat pcpu 65535: " + e.getMessage());
            Assumptions.assumeFalse(e.errno() == Errno.ENODEV, () -> "Xen manages no C-states: " + e.getMessage());
            assertEquals(Errno.EINVAL, e.errno(), e.getMessage());
            assertTrue(String.valueOf(e.getMessage()).contains("pcpu 65535"), e.getMessage());
        }
    }

    private static CxStatistics cxOrAbort(final PlatformOps ops, final int cpu) {
        try {
            return ops.cxStatistics(cpu);
        } catch (final XenHalException e) {
            System.out.println("xen4j dom0 pmstat cx: " + e.getMessage());
            Assumptions.assumeFalse(e.errno() == Errno.ENODEV, () -> "Xen manages no C-states: " + e.getMessage());
            throw e;
        }
    }
}
