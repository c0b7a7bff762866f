package io.xen4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenbus.XenbusState;
import io.xen4j.blk.BlkBack;
import io.xen4j.blk.BlkBackConfig;
import io.xen4j.blk.spi.FileBlockStore;
import io.xen4j.hal.api.XenHostOptions;
import io.xen4j.hal.linux.LinuxXenHost;
import io.xen4j.hal.linux.LiveXen;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusStates;
import io.xen4j.xenbus.XenbusToolstack;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * blkback in Java, frontend in Linux: dom0 creates a disk for the harness's running domU with
 * xen4j's toolstack part (the frontend {@code device/vbd/51728}, which Linux names xvdb, and the
 * backend {@code backend/xen4j-vbd/<domid>/51728} in dom0, out of the way of the kernel's
 * blkback, which serves {@code backend/vbd}), serves a file in dom0's {@code /tmp} with
 * xen4j's {@link BlkBack} over the Linux HAL ({@code /dev/xen/gntdev}, {@code /dev/xen/evtchn},
 * the xenstored socket), and the guest's kernel {@code xen-blkfront} finds the disk. The guest's
 * {@code /init} checks every disk that appears: it prints blkfront's view of the negotiation,
 * writes a line at 4 KiB, reads it back past its page cache, and reads the first line, which
 * dom0 wrote; this test waits for those console lines, then reads the guest's line from the file
 * in dom0, and detaches the disk (backend Closing, Linux closes, the backend unmaps).
 */
@LiveXen
class LinuxBlkfrontTest {
    /** xvdb: major 202, minor 16 ({@code (202 << 8) | (1 << 4)}). */
    static final int XVDB = 51728;
    /** dom0's line in the first 4 KiB of the disk; the guest prints the disk's first line. */
    static final String DOM0_MARKER = "xen4j-dom0-wrote-this-for-xen4j-blkback";
    private static final long DISK_BYTES = 16L << 20;

    @Test
    @Timeout(value = 175, unit = TimeUnit.SECONDS)
    void linuxBlkfrontReadsAndWritesAFileServedByXen4jBlkback() throws Exception {
        try (LiveDomU domU = LiveDomU.find();
             LinuxXenHost host = LinuxXenHost.open(XenHostOptions.NONE)) {
            final Path image = Path.of("/tmp/xen4j-e2e-xvdb.img");
            makeImage(image);
            // Not backend/vbd: dom0's kernel blkback serves every device there (see BlkBack.USERSPACE_KIND).
            final DevicePaths device = new DevicePaths("vbd", domU.domid(), host.domid(), XVDB)
                .withBackendKind(BlkBack.USERSPACE_KIND);
            final XenbusToolstack toolstack = new XenbusToolstack(domU.store());
            final String name = "xvdb";
            try (FileBlockStore disk = new FileBlockStore(image, 512, false, false)) {
                final BlkBack back = new BlkBack(host, domU.store(), device, disk, BlkBackConfig.full());
                // As libxl lays a disk out, with this backend named in type (libxl says phy or qdisk).
                toolstack.createDevice(device,
                    Map.of("virtual-device", Integer.toString(XVDB), "device-type", "disk"),
                    Map.of("params", image.toString(), "type", "xen4j", "mode", "w", "dev", name,
                        "device-type", "disk", "removable", "0", "bootable", "1"));
                final long started = System.nanoTime();
                try (Agents running = Agents.start(host, back)) {
                    back.start();
                    final GuestConsoleLog console = domU.console();
                    final String result = console.await(l -> l.startsWith("blk " + name + " write/read ")
                        || l.startsWith("blk " + name + " FAIL"), Duration.ofSeconds(120), "the guest's check of " + name,
                        back::brokenReason);
                    final double seconds = (System.nanoTime() - started) / 1e9;
                    final List<String> lines = console.marks().stream().filter(l -> l.startsWith("blk " + name + " ")).toList();
                    System.out.printf("[e2e-blk] the guest checked %s %.1f s after the device was created; its lines:%n", name, seconds);
                    lines.forEach(l -> System.out.println("[e2e-blk]   XEN4J-DOMU: " + l));
                    System.out.println("[e2e-blk] what Linux's blkfront wrote in " + device.frontend() + ": "
                        + LiveDomU.dump(domU.store(), device.frontend()));
                    System.out.printf("[e2e-blk] xen4j blkback: connected=%s served=%d persistent-grants=%d rejected=%s%n",
                        back.isConnected(), back.served(), back.persistentGrants(), back.rejectedByRule());

                    assertNull(back.brokenReason(), () -> "blkback stopped: " + back.brokenReason());
                    assertNull(running.error(), () -> "the agent threw: " + running.error());
                    assertTrue(result.startsWith("blk " + name + " write/read ok: "), () -> "the guest's check failed: " + lines);
                    final String guestWrote = result.substring(("blk " + name + " write/read ok: ").length());
                    // The guest's line reached the file, at 4 KiB, through xen4j's blkback.
                    assertEquals(guestWrote, lineAt(image, 4096), "the guest's line at 4 KiB of " + image);
                    assertEquals(DOM0_MARKER, console.await(l -> l.startsWith("blk " + name + " sector0: "),
                        Duration.ofSeconds(30), "the guest's read of sector 0").substring(("blk " + name + " sector0: ").length()),
                        "the guest read dom0's line at 0");
                    assertTrue(lines.stream().anyMatch(l -> l.startsWith("blk " + name + " negotiated: blkfront: " + name + ":")),
                        () -> "no blkfront negotiation line: " + lines);
                    assertTrue(back.served() > 0, "blkback served no read or write");
                    assertTrue(back.rejectedByRule().isEmpty(), () -> "requests rejected: " + back.rejectedByRule());

                    // Detach as xl block-detach: the backend asks to close, Linux's blkfront closes.
                    toolstack.requestClose(device);
                    final int front = awaitFrontendState(domU, device, XenbusState.XENBUS_STATE_CLOSED, Duration.ofSeconds(60));
                    System.out.println("[e2e-blk] after the detach request the frontend is in state " + front
                        + ", blkback connected=" + back.isConnected());
                    assertEquals(XenbusState.XENBUS_STATE_CLOSED, front, "Linux's blkfront did not close");
                } finally {
                    back.close();
                    toolstack.destroyDevice(device);
                }
            } finally {
                Files.deleteIfExists(image);
            }
        }
    }

    /** A sparse 16 MiB file with dom0's marker line at 0. */
    private static void makeImage(final Path image) throws IOException {
        Files.deleteIfExists(image);
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(DISK_BYTES);
            f.seek(0);
            f.write((DOM0_MARKER + "\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** The first line of the file at {@code offset} (up to 4 KiB). */
    private static String lineAt(final Path image, final long offset) throws IOException {
        final byte[] block = new byte[4096];
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "r")) {
            f.seek(offset);
            f.readFully(block);
        }
        final String text = new String(block, StandardCharsets.US_ASCII);
        final int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    /** Waits until the frontend's state is {@code wanted} (or its directory is gone: Closed too). */
    private static int awaitFrontendState(final LiveDomU domU, final DevicePaths device, final int wanted, final Duration timeout)
        throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            final int state = XenbusStates.read(domU.store(), device.frontend());
            if (state == wanted || System.nanoTime() - deadline >= 0) {
                return state;
            }
            Thread.sleep(100);
        }
    }
}
