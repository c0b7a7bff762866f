package io.xen4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.blk.DiskInfo;
import io.xen4j.examples.DiskClient;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.linux.LiveXen;
import io.xen4j.platform.PlatformHosts;
import io.xen4j.store.XenStoreClient;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * xen4j's blkfront against the Linux kernel's blkback, in dom0: a loop device over a 16 MiB file
 * is served by dom0's {@code xen-blkback} ({@code backend/vbd/0/51760} with its
 * {@code physical-device}) to dom0 itself, where xen4j's blkfront, not the kernel's (the module
 * {@code xen-blkfront} is not loaded in the harness's dom0), handles {@code device/vbd/51760}. It
 * prints what blkfront saw of Linux's blkback (its feature nodes and what was negotiated), writes
 * 1 MiB, flushes, reads it back, and checks it also in the loop device's file, then the same
 * through two buffers of {@code BlkFront.allocateBuffer} (granted pages, zero-copy); persistent grants
 * must be negotiated (with persistent indirect pages), and after the detach no grant may be left
 * mapped. The work is
 * {@link DiskClient#selfAttach}, the example that runs the same check from the command line.
 *
 * <p>Runs inside the live-xen dom0 only ({@link LiveXen}); {@code -Plive-xen -pl e2e -am verify}
 * runs it with the other dom0 tests, and {@code Dom0TestRunner <dir> e2e-blkfront-linux} alone.
 */
@LiveXen
@Tag("e2e-blkfront-linux")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BlkfrontOnLinuxBlkbackTest {
    /** {@code xvdc}: not the disk the harness's domU might have from dom0 ({@code xvda}). */
    private static final int VDEV = 51760;
    private static final long SIZE = 16L << 20;

    private Path file;
    private String loop;

    @BeforeEach
    void loopDevice() throws IOException, InterruptedException {
        assertFalse(Files.exists(Path.of("/sys/bus/xen/drivers/vbd")),
            "dom0's kernel xen-blkfront is loaded: it would claim device/vbd/" + VDEV + " too");
        file = Files.createTempFile("xen4j-e2e-blk", ".img");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(SIZE);
        }
        loop = run("losetup", "-f", "--show", file.toString()).trim();
        assertTrue(loop.startsWith("/dev/loop"), "losetup said " + loop);
    }

    @AfterEach
    void detach() throws IOException, InterruptedException {
        if (loop != null) {
            run("losetup", "-d", loop);
        }
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void writesAndReadsBackThroughTheKernelsBlkback() throws IOException {
        final DiskClient.Report r;
        try (XenHost host = PlatformHosts.open(); XenStoreClient store = XenStoreClient.open()) {
            assertEquals(0, host.domid(), "runs in dom0");
            r = DiskClient.selfAttach(host, store, Path.of(loop), file, VDEV, System.out);
        }
        // What Linux's blkback published: each feature a frontend negotiates against is there.
        for (final String node : List.of("max-ring-page-order", "feature-persistent", "feature-max-indirect-segments",
            "multi-queue-max-queues", "feature-flush-cache", "feature-discard")) {
            assertNotEquals("-", r.backendNodes().get(node), node + " missing from Linux's blkback: " + r.backendNodes());
        }
        assertEquals(Long.toString(SIZE / 512), r.backendNodes().get("sectors"), r.backendNodes().toString());
        final DiskInfo info = r.info();
        assertEquals(SIZE / 512, info.sectors());
        assertEquals("x86_64-abi", info.protocol());
        assertEquals(1 << Integer.parseInt(r.backendNodes().getOrDefault("max-ring-page-order", "-1")), info.ringPages(),
            "blkfront asks for 16 pages; blkback's max-ring-page-order bounds it: " + info);
        // Persistent grants: Linux's blkback writes feature-persistent=1 only when it connects;
        // blkfront decides then, with its indirect pages persistent too (Linux maps them so).
        assertEquals("1", r.backendNodes().get("feature-persistent"), r.backendNodes().toString());
        assertTrue(info.persistentGrants(), "persistent grants not negotiated against Linux's blkback: " + info);
        assertEquals(Math.min(256, Integer.parseInt(r.backendNodes().get("feature-max-indirect-segments"))),
            info.maxIndirectSegments(), "1 MiB goes as one request of 256 indirect segments: " + info);
        assertTrue(r.identical(), "the data read back through Linux's blkback differs from what was written");
        assertEquals(Boolean.TRUE, r.backingFile(), "the loop device's file does not hold the data");
        // 1 MiB through BlkFront.allocateBuffer: the HAL's gntalloc pages have a ByteBuffer, so
        // these are granted buffers (one request of 256 indirect segments naming their own pages).
        assertTrue(r.granted(), "allocateBuffer fell back to ordinary buffers on the Linux HAL");
        assertTrue(r.grantedIdentical(), "the data read back into a granted buffer differs from what was written from one");
        assertEquals(Boolean.TRUE, r.grantedBackingFile(), "the loop device's file does not hold the granted buffer's data");
        // Detach: blkback unmapped the ring and its persistent grants after blkfront went Closed.
        assertEquals(0, r.grantsStillMapped(), "grants still mapped by Linux's blkback after the detach");
    }

    private static String run(final String... command) throws IOException, InterruptedException {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        final String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + text);
        return text;
    }
}
