package io.xen4j.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHosts;
import io.xen4j.hal.spi.XenHostProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider: found by ServiceLoader, available exactly where /dev/xen is, explains why not. */
class LinuxXenHostProviderTest {
    private static final boolean ON_XEN = Files.exists(Path.of("/dev/xen/privcmd"));

    @Test
    void serviceLoaderFindsTheLinuxBackend() {
        final List<XenHostProvider> all = XenHosts.providers();
        assertTrue(all.stream().anyMatch(p -> p instanceof LinuxXenHostProvider), all::toString);
        final LinuxXenHostProvider p = new LinuxXenHostProvider();
        assertEquals("linux", p.name());
        assertTrue(p.selectedByDetection());
        assertTrue(p.priority() > 0);
    }

    @Test
    void availabilityFollowsDevXen() {
        final LinuxXenHostProvider p = new LinuxXenHostProvider();
        assertEquals(ON_XEN || Files.exists(Path.of("/dev/xen/evtchn")), p.isAvailable());
        assertTrue(p.unavailableReason().startsWith("/dev/xen/privcmd missing"), p.unavailableReason());
        if (!p.isAvailable()) {
            final XenHalException e = assertThrows(XenHalException.class, () -> XenHosts.open("linux"));
            assertEquals(Errno.ENODEV, e.errno());
            assertTrue(String.valueOf(e.getMessage()).contains("not available: /dev/xen/privcmd missing"), e.getMessage());
        }
    }

    @Test
    void aMissingEnableNativeAccessIsExplained(@TempDir final Path dir) throws IOException, InterruptedException {
        FakeXen.dom0(dir);
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process p = new ProcessBuilder(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), OpenWithoutNativeAccess.class.getName(), dir.toString())
            .redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(out.contains("--enable-native-access=ALL-UNNAMED"), out);
        assertTrue(out.contains("open xen4j HAL backend linux failed"), out);
        assertFalse(out.contains("OPENED"), out);
        assertEquals(3, p.exitValue(), out);
    }
}
