package io.xen4j.examples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.abi.JvmFlags;
import io.xen4j.blk.BlkBack;
import io.xen4j.blk.BlkBackConfig;
import io.xen4j.blk.BlkFront;
import io.xen4j.blk.BlkFrontConfig;
import io.xen4j.blk.BlockDevice;
import io.xen4j.blk.DiskInfo;
import io.xen4j.blk.spi.FileBlockStore;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.SimulatedXenstore;
import io.xen4j.platform.PlatformHosts;
import io.xen4j.store.XenStoreClient;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusToolstack;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * A disk server: serves a file as a virtual disk to a domain, as QEMU's qdisk does. It writes the
 * toolstack's nodes (the frontend directory in the domain's {@code device/vbd/<devid>}, the
 * backend directory in this domain's {@code backend/vbd/<domid>/<devid>}) and runs xen4j's
 * blkback over the file.
 *
 * <pre>{@code
 * DiskServer [file]                                            # simulated: a guest's blkfront reads the file back
 * DiskServer <file> --live --domain D [--vdev N] [--size-mib M] [--read-only] [--seconds S]
 * }</pre>
 *
 * <p>Simulated, the file (a 1 MiB temporary file with a text in its first sector if none is
 * given) is served to a simulated guest, whose blkfront reads all of it and compares it with the
 * file. With {@code --live} it serves the file (created with {@code --size-mib}, default 16, if it
 * does not exist) to domain D as virtual device N (default 51728, {@code xvdb}) until interrupted
 * or for {@code --seconds}; the guest's kernel blkfront attaches it as a hot-plugged disk. On the
 * way out it asks the frontend to close and removes both directories.
 */
public final class DiskServer {
    /** Virtual device {@code xvdb}: major 202, minor 16. */
    static final int DEFAULT_VDEV = 51728;
    private static final int SECTOR = 512;
    private static final String USAGE = "usage: DiskServer [file] | DiskServer <file> --live --domain D [--vdev N]"
        + " [--size-mib M] [--read-only] [--seconds S]";

    private DiskServer() {
    }

    /**
     * Runs the server.
     *
     * @param args the command line (see the class description)
     * @throws Exception if the file cannot be served
     */
    public static void main(final String[] args) throws Exception {
        JvmFlags.requireAgronaAccess();
        System.exit(run(args, System.out));
    }

    /** The parsed command line. */
    private record Options(boolean live, Path file, int domain, int vdev, long sizeMib, boolean readOnly, long seconds) {
    }

    static int run(final String[] args, final PrintStream out) throws IOException, InterruptedException {
        final Options o;
        try {
            o = parse(args);
        } catch (final IllegalArgumentException e) {
            out.println(e.getMessage());
            out.println(USAGE);
            return 2;
        }
        if (o.live()) {
            return live(o, out);
        }
        final boolean temporary = o.file().toString().isEmpty();
        final Path file = temporary ? sampleFile() : o.file();
        try {
            return simulated(file, o.vdev(), out) ? 0 : 1;
        } finally {
            if (temporary) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static Options parse(final String[] args) {
        final List<String> a = new ArrayList<>(List.of(args));
        final boolean live = a.remove("--live");
        final boolean readOnly = a.remove("--read-only");
        String file = "";
        int domain = -1;
        int vdev = DEFAULT_VDEV;
        long size = 16;
        long seconds = 0;
        for (int i = 0; i < a.size(); i++) {
            final String s = a.get(i);
            if (s.startsWith("--")) {
                if (i + 1 >= a.size()) {
                    throw new IllegalArgumentException(s + " needs a number");
                }
                final long v = number(s, a.get(++i));
                switch (s) {
                    case "--domain" -> domain = (int) Math.min(v, Integer.MAX_VALUE);
                    case "--vdev" -> vdev = (int) Math.min(v, Integer.MAX_VALUE);
                    case "--size-mib" -> size = v;
                    case "--seconds" -> seconds = v;
                    default -> throw new IllegalArgumentException("unknown option " + s);
                }
            } else if (file.isEmpty()) {
                file = s;
            } else {
                throw new IllegalArgumentException("one file only, not also " + s);
            }
        }
        if (live && (file.isEmpty() || domain < 0 || domain > 0x7FEF)) {
            throw new IllegalArgumentException("--live needs the file and --domain D (0..32751)");
        }
        if (vdev <= 0 || size < 1 || size > (1L << 20)) {
            throw new IllegalArgumentException("--vdev must be positive and --size-mib 1..1048576");
        }
        return new Options(live, Path.of(file), domain, vdev, size, readOnly, seconds);
    }

    private static long number(final String option, final String text) {
        try {
            final long v = Long.decode(text);
            if (v < 0) {
                throw new NumberFormatException("negative");
            }
            return v;
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException(option + " " + text + ": not a non-negative number", e);
        }
    }

    /** A 1 MiB file with a text in sector 0 and a counter pattern after it. */
    private static Path sampleFile() throws IOException {
        final Path file = Files.createTempFile("xen4j-disk-server", ".img");
        final byte[] data = new byte[1 << 20];
        for (int i = SECTOR; i < data.length; i++) {
            data[i] = (byte) (i / SECTOR);
        }
        final byte[] text = "xen4j disk server: sector 0 of a 1 MiB file\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, data, 0, text.length);
        Files.write(file, data);
        return file;
    }

    private static Map<String, String> frontendNodes(final int vdev) {
        return Map.of("virtual-device", Integer.toString(vdev), "device-type", "disk");
    }

    private static Map<String, String> backendNodes(final Path file, final boolean readOnly, final int vdev) {
        return Map.of("params", file.toAbsolutePath().toString(), "mode", readOnly ? "r" : "w", "type", "xen4j",
            "device-type", "disk", "dev", diskName(vdev));
    }

    /**
     * The guest's name of a virtual device number, as libxl writes it in the backend's
     * {@code dev} node: {@code xvda} for 51712 (major 202, minor 0), {@code xvdb} for 51728, and
     * the extended form {@code (1 << 28) | (disk << 8)} for disks past the 16th.
     *
     * @param vdev the virtual device number
     * @return the name
     */
    static String diskName(final int vdev) {
        final int disk;
        if ((vdev & (1 << 28)) != 0) {
            disk = (vdev >> 8) & 0xFFFFF;
        } else if ((vdev >> 8) == 202) {
            disk = (vdev & 0xFF) >> 4;
        } else {
            return "xvd-" + vdev;
        }
        // Disks past z are aa, ab, ... as Linux's blkfront names them.
        return disk < 26 ? "xvd" + (char) ('a' + disk) : "xvd" + (char) ('a' + disk / 26 - 1) + (char) ('a' + disk % 26);
    }

    private static boolean simulated(final Path file, final int vdev, final PrintStream out) throws IOException {
        final long size = Files.size(file);
        if (size == 0 || size % SECTOR != 0 || size > (64L << 20)) {
            out.println("the simulated guest reads the whole file: it must be 512..64 MiB in whole sectors, not " + size
                + " bytes");
            return false;
        }
        try (SimulatedXen xen = SimulatedXen.create();
             SimulatedXenstore xenstore = SimulatedXenstore.attach(xen);
             FileBlockStore disk = new FileBlockStore(file, SECTOR, true)) {
            final SimulatedDomain guest = xen.createDomain("guest1");
            try (XenStoreClient dom0 = XenStoreClient.connect(xenstore.connect(xen.dom0()));
                 XenStoreClient domU = XenStoreClient.connect(xenstore.connect(guest))) {
                final DevicePaths device = new DevicePaths("vbd", guest.domid(), xen.dom0().domid(), vdev);
                new XenbusToolstack(dom0).createDevice(device, frontendNodes(vdev), backendNodes(file, true, vdev));
                out.println("serving " + file.getFileName() + " (" + size + " bytes, read-only) as " + device.backend()
                    + " to " + device.frontend());
                final BlkBack back = new BlkBack(xen.dom0().host(), dom0, device, disk, BlkBackConfig.full());
                final BlkFront front = new BlkFront(guest.host(), domU, device, BlkFrontConfig.defaults());
                back.start();
                front.start();
                final DiskInfo info = pump(front, back, front.connected());
                out.println("  dom" + guest.domid() + "'s blkfront connected: " + info.sectors() + " sectors of "
                    + info.sectorSize() + " bytes, read-only " + info.readOnly() + ", " + info.ringPages()
                    + " ring page(s), " + info.queues() + " queue(s), persistent grants " + info.persistentGrants()
                    + ", indirect segments " + info.maxIndirectSegments());
                final ByteBuf dst = Unpooled.buffer((int) size);
                pump(front, back, front.read(0, (int) size, dst));
                final byte[] read = new byte[(int) size];
                dst.readBytes(read);
                final byte[] onDisk = Files.readAllBytes(file);
                final boolean same = Arrays.equals(read, onDisk);
                out.printf("  the guest read %d bytes, crc32c %08x; the file has crc32c %08x: %s%n", read.length, crc(read),
                    crc(onDisk), same ? "identical" : "DIFFERENT");
                out.println("  sector 0 as the guest sees it: \"" + firstLine(read) + "\"");
                // The backend lets go of the ring first, so that the guest can end its grants.
                back.close();
                front.close();
                new XenbusToolstack(dom0).destroyDevice(device);
                return same;
            }
        }
    }

    private static int live(final Options o, final PrintStream out) throws IOException, InterruptedException {
        if (!Files.exists(o.file())) {
            FileBlockStore.create(o.file(), o.sizeMib() << 20, SECTOR).close();
            out.println("created " + o.file() + " (" + o.sizeMib() + " MiB)");
        }
        try (XenHost host = PlatformHosts.open();
             XenStoreClient store = XenStoreClient.open();
             FileBlockStore disk = new FileBlockStore(o.file(), SECTOR, o.readOnly())) {
            // backend/xen4j-vbd, not backend/vbd: the kernel's xen-blkback, loaded in most dom0s,
            // serves every device under backend/vbd and would bind the guest's event channel first
            // (EINVAL for ours, seen live). The guest's blkfront follows the backend path it is given.
            final DevicePaths device = new DevicePaths("vbd", o.domain(), host.domid(), o.vdev())
                .withBackendKind(BlkBack.USERSPACE_KIND);
            final XenbusToolstack toolstack = new XenbusToolstack(store);
            toolstack.createDevice(device, frontendNodes(o.vdev()), backendNodes(o.file(), o.readOnly(), o.vdev()));
            out.println("serving " + o.file() + " (" + disk.sizeBytes() + " bytes" + (o.readOnly() ? ", read-only" : "")
                + ") as " + device.backend() + " to " + device.frontend());
            final CountDownLatch stop = new CountDownLatch(1);
            final Thread hook = new Thread(stop::countDown, "disk-server-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try (BlkBack back = new BlkBack(host, store, device, disk, BlkBackConfig.full());
                 AgentRunner runner = new AgentRunner(new BackoffIdleStrategy(), Throwable::printStackTrace, null, back)) {
                back.start();
                AgentRunner.startOnThread(runner);
                out.println(o.seconds() > 0 ? "serving for " + o.seconds() + " s" : "serving until interrupted (Ctrl-C)");
                final long until = o.seconds() > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(o.seconds()) : Long.MAX_VALUE;
                boolean saidConnected = false;
                while (!stop.await(200, TimeUnit.MILLISECONDS) && System.nanoTime() - until < 0) {
                    if (!saidConnected && back.isConnected()) {
                        saidConnected = true;
                        out.println("  dom" + o.domain() + " connected: " + frontendView(store, device));
                    }
                    final String broken = back.brokenReason();
                    if (broken != null) {
                        out.println("  the backend broke: " + broken);
                        break;
                    }
                }
                out.println("  served " + back.served() + " request(s); asking the frontend to close");
                toolstack.requestClose(device);
                final long closeBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (back.isConnected() && System.nanoTime() - closeBy < 0) {
                    Thread.sleep(50);
                }
            } finally {
                toolstack.destroyDevice(device);
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (final IllegalStateException shuttingDown) {
                    // Already on the way out: the hook has run.
                }
            }
        }
        return 0;
    }

    /** What the frontend wrote, as the backend read it: its ring and features. */
    private static String frontendView(final XenStoreClient store, final DevicePaths device) {
        final StringBuilder b = new StringBuilder();
        for (final String node : List.of("protocol", "ring-page-order", "multi-queue-num-queues", "feature-persistent")) {
            String value;
            try {
                value = store.read(device.frontend(node));
            } catch (final RuntimeException e) {
                // Absent: the frontend did not ask for it.
                value = "-";
            }
            b.append(node).append('=').append(value).append(' ');
        }
        return b.toString().trim();
    }

    private static <T> T pump(final BlkFront front, final BlkBack back, final CompletableFuture<T> future)
        throws IOException {
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (!future.isDone() && System.nanoTime() < deadline) {
            if (front.doWork() + back.doWork() == 0) {
                Thread.onSpinWait();
            }
        }
        return BlockDevice.await(future);
    }

    private static String firstLine(final byte[] data) {
        int end = 0;
        while (end < Math.min(data.length, 80) && data[end] >= 0x20 && data[end] < 0x7f) {
            end++;
        }
        return new String(data, 0, end, StandardCharsets.US_ASCII);
    }

    static long crc(final byte[] bytes) {
        final CRC32C c = new CRC32C();
        c.update(bytes);
        return c.getValue();
    }
}
