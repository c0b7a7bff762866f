package io.xen4j.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.GuestType;
import io.xen4j.hal.linux.internal.LinuxPaths;
import io.xen4j.hal.linux.internal.PlatformFacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Platform facts from sysfs and xenfs; missing files mean "not Xen" or "unknown". */
class PlatformFactsTest {
    @TempDir
    Path dir;

    @Test
    void nothingThereIsNotXen() {
        final PlatformFacts f = PlatformFacts.read(new LinuxPaths(dir.resolve("dev"), dir.resolve("sys"), dir.resolve("proc")));
        assertFalse(f.xen());
        assertEquals(GuestType.NONE, f.guestType());
        assertFalse(f.versionKnown());
        assertFalse(f.controlDomain());
    }

    @Test
    void anHvmGuestWithoutControlD() throws IOException {
        final FakeXen xen = new FakeXen(dir, false);
        Files.writeString(dir.resolve("sys/hypervisor/guest_type"), "HVM\n", StandardCharsets.US_ASCII);
        final PlatformFacts f = PlatformFacts.read(new LinuxPaths(xen.root.resolve("dev/xen"),
            xen.root.resolve("sys/hypervisor"), xen.root.resolve("proc/xen")));
        assertTrue(f.xen());
        assertEquals(GuestType.HVM, f.guestType());
        assertEquals(4, f.versionMajor());
        assertEquals(17, f.versionMinor());
        assertEquals(".7", f.versionExtra());
        assertFalse(f.controlDomain());
    }

    @Test
    void thisMachine() {
        // Here (no Xen) or in dom0 (live-xen): whatever it is, the facts agree with the files.
        final PlatformFacts f = PlatformFacts.read(LinuxPaths.DEFAULT);
        assertEquals(Files.exists(Path.of("/proc/xen/capabilities")) || Files.exists(Path.of("/dev/xen")), f.xen());
    }
}
