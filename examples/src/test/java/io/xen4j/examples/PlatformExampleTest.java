package io.xen4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class PlatformExampleTest {
    @TempDir
    Path root;

    private void file(final String rel, final String content) throws IOException {
        final Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void reportsAXenPvhGuestFromAFakeTree() throws IOException {
        file("sys/hypervisor/type", "xen\n");
        file("sys/hypervisor/guest_type", "PVH\n");
        file("sys/hypervisor/version/major", "4\n");
        file("sys/hypervisor/version/minor", "17\n");
        file("sys/hypervisor/version/extra", ".3\n");
        file("sys/hypervisor/properties/pagesize", "4096\n");
        file("proc/xen/capabilities", "\n");
        file("dev/xen/evtchn", "");
        file("dev/xen/privcmd", "");
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PlatformExample.run(new String[] {root.toString()}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("Xen 4.17.3 PVH guest, /dev/xen: evtchn privcmd"), out);
        assertTrue(out.contains("property pagesize = 4096"), out);
        assertTrue(out.contains("/dev/xen/gntdev         absent"), out);
        assertTrue(out.contains("evidence: sys/hypervisor/guest_type: PVH"), out);
    }

    @Test
    void reportsBareMetalForAnEmptyTree() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PlatformExample.run(new String[] {root.toString()}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith("no hypervisor detected (bare metal)"));
    }
}
