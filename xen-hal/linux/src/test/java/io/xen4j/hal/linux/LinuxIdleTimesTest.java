package io.xen4j.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.PlatformOps;
import java.io.IOException;
import java.nio.file.Path;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code XENPF_getidletime} on the Linux host over a fake {@code /dev/xen} whose devices are
 * {@code /dev/null}: arguments checked before any native call, and the failed hypercall named with
 * its operation, device and errno.
 */
class LinuxIdleTimesTest {
    @TempDir
    Path dir;

    @Test
    void badArgumentsFailBeforeTheHypercallAndTheCallsFailureNamesTheOp() throws IOException {
        final FakeXen xen = FakeXen.dom0(dir);
        try (LinuxXenHost host = LinuxXenHost.open(xen.options())) {
            final PlatformOps ops = host.platformOps();
            final BitSet cpus = new BitSet();
            cpus.set(4);
            final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ops.idleTimes(cpus, new long[4]));
            assertTrue(String.valueOf(bad.getMessage()).contains("cpu=4 is not below idleNanos.length=4"),
                bad.getMessage());
            assertThrows(IllegalArgumentException.class,
                () -> ops.idleTimes(new BitSet(), new long[PlatformOps.MAX_IDLE_CPUS + 1]));
            cpus.set(0, 3);
            final LinuxXenException e = assertThrows(LinuxXenException.class, () -> ops.idleTimes(cpus, new long[8]));
            assertEquals(xen.dev("privcmd").toString(), e.device());
            for (final String part : new String[] {"XENPF_getidletime", "4 of 8 physical cpus", "dom0",
                "IOCTL_PRIVCMD_HYPERCALL", "ENOTTY (25"}) {
                assertTrue(String.valueOf(e.getMessage()).contains(part), () -> "no '" + part + "' in: " + e.getMessage());
            }
            assertEquals(4, cpus.cardinality(), "a failed call leaves the question as it was");
        }
    }
}
