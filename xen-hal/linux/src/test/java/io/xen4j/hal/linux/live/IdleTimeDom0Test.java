package io.xen4j.hal.linux.live;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.PlatformOps;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHostOptions;
import io.xen4j.hal.linux.LinuxXenHost;
import java.util.BitSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs inside dom0 only (tag {@value Dom0TestRunner#DOM0_TAG}: the host build excludes it,
 * {@link Dom0TestRunner} runs it in the live-Xen harness): {@code XENPF_getidletime} through
 * {@code /dev/xen/privcmd} and a hypercall buffer, twice, with the values checked for sense.
 *
 * <p>Xen answers {@code ENOSYS} unless it was booted with {@code cpufreq=dom0-kernel}; the test
 * is then skipped with that reason, not passed.
 */
@Tag(Dom0TestRunner.DOM0_TAG)
@Timeout(60)
class IdleTimeDom0Test {
    @Test
    void dom0ReadsTheIdleTimeOfThePhysicalCpus() throws InterruptedException {
        try (LinuxXenHost host = LinuxXenHost.open(XenHostOptions.NONE)) {
            final PlatformOps ops = host.platformOps();
            final int asked = 256;
            final BitSet cpus = new BitSet();
            cpus.set(0, asked);
            final long[] idle = new long[asked];
            final long now;
            try {
                now = ops.idleTimes(cpus, idle);
            } catch (final XenHalException e) {
                Assumptions.assumeFalse(e.errno() == Errno.ENOSYS,
                    () -> "Xen was booted without cpufreq=dom0-kernel: " + e.getMessage());
                throw e;
            }
            assertTrue(now > 0, "now=" + now);
            assertFalse(cpus.isEmpty(), "no physical cpu reported");
            for (int cpu = cpus.nextSetBit(0); cpu >= 0; cpu = cpus.nextSetBit(cpu + 1)) {
                assertTrue(idle[cpu] > 0 && idle[cpu] <= now, "cpu " + cpu + " idle=" + idle[cpu] + " now=" + now);
            }
            Thread.sleep(50);
            final BitSet again = (BitSet) cpus.clone();
            final long[] idle2 = new long[asked];
            final long now2 = ops.idleTimes(again, idle2);
            assertTrue(now2 > now, "now did not move: " + now + " then " + now2);
            for (int cpu = again.nextSetBit(0); cpu >= 0; cpu = again.nextSetBit(cpu + 1)) {
                // Xen reads each CPU's idle time a little after it took 'now', so a fully idle CPU's
                // gain may exceed the elapsed time by that skew: allow 1 ms of it.
                assertTrue(idle2[cpu] >= idle[cpu] && idle2[cpu] - idle[cpu] <= now2 - now + 1_000_000,
                    "cpu " + cpu + " idle " + idle[cpu] + " then " + idle2[cpu] + " over " + (now2 - now) + " ns");
            }
        }
    }
}
