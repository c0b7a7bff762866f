package io.xen4j.hal.linux.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs inside dom0 only (tag {@value Dom0TestRunner#DOM0_TAG}: the host build excludes it,
 * {@link Dom0TestRunner} runs it in the live-Xen harness). The first tests of the Linux HAL's
 * ground: the platform facts and a hypercall through {@code /dev/xen/privcmd}.
 */
@Tag(Dom0TestRunner.DOM0_TAG)
class XenVersionDom0Test {
    @Test
    void thisIsDom0OfXen() throws IOException {
        assertEquals("xen", Files.readString(Path.of("/sys/hypervisor/type"), StandardCharsets.US_ASCII).trim());
        assertTrue(Files.readString(Path.of("/proc/xen/capabilities"), StandardCharsets.US_ASCII).contains("control_d"),
            "/proc/xen/capabilities lacks control_d: not dom0");
        for (final String device : new String[] {"privcmd", "hypercall", "evtchn", "gntdev", "gntalloc", "xenbus",
            "xenbus_backend"}) {
            assertTrue(Files.exists(Path.of("/dev/xen", device)), "/dev/xen/" + device + " missing");
        }
    }

    @Test
    void xenVersionHypercallMatchesSysfs() throws Throwable {
        final int version = XenVersionProbe.xenVersion();
        final int major = Integer.parseInt(Files.readString(Path.of("/sys/hypervisor/version/major")).trim());
        final int minor = Integer.parseInt(Files.readString(Path.of("/sys/hypervisor/version/minor")).trim());
        assertEquals(major, version >>> 16, "major");
        assertEquals(minor, version & 0xffff, "minor");
        assertEquals(0x40011, version, "the harness boots Xen 4.17");
    }
}
