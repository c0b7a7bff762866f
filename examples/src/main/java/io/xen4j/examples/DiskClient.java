package io.xen4j.examples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.abi.JvmFlags;
import io.xen4j.abi.blkif.BlkifFeatures;
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
import io.xen4j.store.XenStoreException;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusToolstack;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.jspecify.annotations.Nullable;

/**
 * xen4j's blkfront as a disk client: attaches to a disk another backend serves, prints what it saw
 * of that backend (its feature nodes and what was negotiated), writes 1 MiB, flushes, reads it back
 * and checks it, also in the backend's own copy of the disk.
 *
 * <pre>{@code
 * DiskClient                                                   # simulated: xen4j's blkback stands in for the backend
 * DiskClient --live --device /dev/loopN [--file F] [--vdev N]  # self-attach: this domain's kernel blkback serves /dev/loopN
 * }</pre>
 *
 * <p>With {@code --live} it does what {@code xl block-attach 0 phy:/dev/loopN,xvdb} plus the block
 * hotplug script would, for this domain serving itself: the backend directory
 * {@code backend/vbd/<me>/<devid>} with {@code physical-device} set to the block device's
 * major:minor (the node the Linux kernel's {@code xen-blkback} waits for), and the frontend
 * directory {@code device/vbd/<devid>}, which xen4j's blkfront (not the kernel's) handles. The
 * kernel's {@code xen-blkfront} must not be loaded in this domain, or it claims the device too:
 * the program refuses to start if {@code /sys/bus/xen/drivers/vbd} exists. {@code --file} names
 * the loop device's backing file, read after the flush to check the data arrived there.
 */
public final class DiskClient {
    /** Where the check writes: 1 MiB at 4 MiB. */
    static final long OFFSET = 4L << 20;
    /** How much the check writes and reads back. */
    static final int LENGTH = 1 << 20;
    /** Where the check writes through the frontend's granted buffers: 1 MiB at 8 MiB. */
    static final long GRANTED_OFFSET = 8L << 20;
    /** The backend nodes printed: what a frontend negotiates against. */
    static final List<String> FEATURES = List.of(BlkifFeatures.MAX_RING_PAGE_ORDER, BlkifFeatures.FEATURE_PERSISTENT,
        BlkifFeatures.FEATURE_MAX_INDIRECT_SEGMENTS, BlkifFeatures.MULTI_QUEUE_MAX_QUEUES,
        BlkifFeatures.FEATURE_FLUSH_CACHE, BlkifFeatures.FEATURE_BARRIER, BlkifFeatures.FEATURE_DISCARD,
        BlkifFeatures.DISCARD_GRANULARITY, BlkifFeatures.SECTORS, BlkifFeatures.SECTOR_SIZE,
        BlkifFeatures.PHYSICAL_SECTOR_SIZE, BlkifFeatures.INFO, BlkifFeatures.MODE);
    private static final String USAGE = "usage: DiskClient | DiskClient --live --device /dev/loopN [--file F] [--vdev N]";

    private DiskClient() {
    }

    /**
     * What the check saw.
     *
     * @param backendNodes the backend's feature nodes, by name; "-" for an absent one
     * @param info         what blkfront negotiated
     * @param identical    whether the data read back through blkfront is what was written
     * @param backingFile  whether the backend's file holds it too; null when no file was given
     * @param writtenCrc   crc32c of the data written
     * @param grantsStillMapped shares blkfront could not end because the backend still mapped
     *                     them, after the detach; -1 where no detach was done (the simulated run)
     * @param granted      whether {@link BlkFront#allocateBuffer} gave granted buffers (requests
     *                     on them name their own pages, no copy), not its ordinary fallback
     * @param grantedIdentical whether the 1 MiB written from a granted buffer and read back into
     *                     another is what was written
     * @param grantedBackingFile whether the backend's file holds it too; null when no file was given
     * @param grantedCrc   crc32c of the data written from the granted buffer
     */
    public record Report(Map<String, String> backendNodes, DiskInfo info, boolean identical, @Nullable Boolean backingFile,
                         long writtenCrc, int grantsStillMapped, boolean granted, boolean grantedIdentical,
                         @Nullable Boolean grantedBackingFile, long grantedCrc) {
        Report withGrantsStillMapped(final int stillMapped) {
            return new Report(backendNodes, info, identical, backingFile, writtenCrc, stillMapped, granted, grantedIdentical,
                grantedBackingFile, grantedCrc);
        }
    }

    /**
     * Runs the client.
     *
     * @param args the command line (see the class description)
     * @throws Exception if the check cannot run
     */
    public static void main(final String[] args) throws Exception {
        JvmFlags.requireAgronaAccess();
        System.exit(run(args, System.out));
    }

    static int run(final String[] args, final PrintStream out) throws IOException {
        final List<String> a = new ArrayList<>(List.of(args));
        final boolean live = a.remove("--live");
        String device = null;
        String file = null;
        int vdev = DiskServer.DEFAULT_VDEV;
        for (int i = 0; i + 1 < a.size(); i += 2) {
            switch (a.get(i)) {
                case "--device" -> device = a.get(i + 1);
                case "--file" -> file = a.get(i + 1);
                case "--vdev" -> vdev = parseVdev(a.get(i + 1));
                default -> {
                    out.println("unknown option " + a.get(i));
                    out.println(USAGE);
                    return 2;
                }
            }
        }
        if (a.size() % 2 != 0 || vdev <= 0 || live && device == null) {
            out.println(USAGE);
            return 2;
        }
        if (!live) {
            final Report r = simulated(out);
            return r.identical() && r.grantedIdentical() ? 0 : 1;
        }
        try (XenHost host = PlatformHosts.open(); XenStoreClient store = XenStoreClient.open()) {
            final Report r = selfAttach(host, store, Path.of(device), file == null ? null : Path.of(file), vdev, out);
            return r.identical() && r.grantedIdentical() && !Boolean.FALSE.equals(r.backingFile())
                && !Boolean.FALSE.equals(r.grantedBackingFile()) ? 0 : 1;
        }
    }

    private static int parseVdev(final String text) {
        try {
            return Integer.parseInt(text);
        } catch (final NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Self-attach in a live domain: this domain's kernel blkback serves {@code blockDevice} to
     * xen4j's blkfront in the same domain; then {@link #check} runs and both directories are
     * removed.
     *
     * @param host        this domain's HAL
     * @param store       a privileged xenstore connection of this domain
     * @param blockDevice the block device the kernel serves ({@code /dev/loopN})
     * @param backingFile the file behind it, read to check the data; null to skip that
     * @param vdev        the virtual device number
     * @param out         where to print
     * @return what was seen
     * @throws IOException if the device cannot be described or the I/O fails
     */
    public static Report selfAttach(final XenHost host, final XenStoreClient store, final Path blockDevice,
        final @Nullable Path backingFile, final int vdev, final PrintStream out) throws IOException {
        if (Files.exists(Path.of("/sys/bus/xen/drivers/vbd"))) {
            throw new IOException("the kernel's xen-blkfront is loaded in dom" + host.domid()
                + " (/sys/bus/xen/drivers/vbd exists): it would claim device/vbd/" + vdev + " too; rmmod xen-blkfront first");
        }
        final String name = blockDevice.getFileName().toString();
        final String majorMinor = Files.readString(Path.of("/sys/block", name, "dev")).trim();
        final String[] mm = majorMinor.split(":");
        if (mm.length != 2) {
            throw new IOException("/sys/block/" + name + "/dev = \"" + majorMinor + "\" is not major:minor");
        }
        // The block hotplug script writes physical-device as "%x:%x"; blkback reads it that way.
        final String physical = Integer.toHexString(Integer.parseInt(mm[0])) + ":" + Integer.toHexString(Integer.parseInt(mm[1]));
        final DevicePaths device = new DevicePaths("vbd", host.domid(), host.domid(), vdev);
        final XenbusToolstack toolstack = new XenbusToolstack(store);
        final Map<String, String> backendNodes = new LinkedHashMap<>();
        backendNodes.put("params", blockDevice.toString());
        backendNodes.put("type", "phy");
        backendNodes.put("mode", "w");
        backendNodes.put("device-type", "disk");
        backendNodes.put("physical-device", physical);
        backendNodes.put("physical-device-path", blockDevice.toString());
        // libxl writes the name; Linux's blkback reads it to name its ring thread and, without
        // it, connects but never serves the ring ("get blkback dev name", ENOENT, seen live).
        backendNodes.put("dev", DiskServer.diskName(vdev));
        toolstack.createDevice(device, Map.of("virtual-device", Integer.toString(vdev), "device-type", "disk"), backendNodes);
        out.println("self-attach in dom" + host.domid() + ": " + device.backend() + " (kernel blkback, physical-device "
            + physical + " = " + blockDevice + ") -> " + device.frontend() + " (xen4j blkfront)");
        try (BlkFront front = new BlkFront(host, store, device, BlkFrontConfig.defaults());
             AgentRunner runner = new AgentRunner(new BackoffIdleStrategy(), Throwable::printStackTrace, null, front)) {
            front.start();
            AgentRunner.startOnThread(runner);
            final Report r = check(store, device, front, null, backingFile, out);
            // As xl block-detach: online=0 and Closing; the frontend follows, then the kernel's
            // backend reaches Closed and lets go of the grants before blkfront ends them.
            toolstack.requestClose(device);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            String state = readOrDash(store, device.backend("state"));
            while (!state.equals("6") && !state.equals("-") && System.nanoTime() - deadline < 0) {
                sleep(20);
                state = readOrDash(store, device.backend("state"));
            }
            // blkback unmaps its ring (and persistent grants) only after blkfront went Closed;
            // blkfront ends what it set aside when it sees the backend's Closed, on its own thread.
            final long ended = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (front.leakedGrants() > 0 && System.nanoTime() - ended < 0) {
                sleep(20);
            }
            out.println("  detached: backend state " + state + ", frontend state " + readOrDash(store, device.frontend("state"))
                + ", " + front.leakedGrants() + " grant(s) still mapped by the backend");
            return r.withGrantsStillMapped(front.leakedGrants());
        } finally {
            toolstack.destroyDevice(device);
        }
    }

    /**
     * On the simulated host: xen4j's blkback in dom0 stands in for the backend, serving a
     * temporary 16 MiB file to a guest's blkfront.
     *
     * @param out where to print
     * @return what was seen
     * @throws IOException if the file cannot be made or the I/O fails
     */
    static Report simulated(final PrintStream out) throws IOException {
        final Path file = Files.createTempFile("xen4j-disk-client", ".img");
        try (SimulatedXen xen = SimulatedXen.create();
             SimulatedXenstore xenstore = SimulatedXenstore.attach(xen);
             FileBlockStore disk = FileBlockStore.create(file, 16L << 20, 512)) {
            final SimulatedDomain guest = xen.createDomain("guest1");
            try (XenStoreClient dom0 = XenStoreClient.connect(xenstore.connect(xen.dom0()));
                 XenStoreClient domU = XenStoreClient.connect(xenstore.connect(guest))) {
                final DevicePaths device = new DevicePaths("vbd", guest.domid(), 0, DiskServer.DEFAULT_VDEV);
                new XenbusToolstack(dom0).createDevice(device, Map.of("virtual-device", Integer.toString(device.devid())),
                    Map.of("params", file.toString(), "mode", "w"));
                out.println("simulated: xen4j blkback in dom0 serves a 16 MiB file to dom" + guest.domid()
                    + "'s xen4j blkfront");
                final BlkBack back = new BlkBack(xen.dom0().host(), dom0, device, disk, BlkBackConfig.full());
                final BlkFront front = new BlkFront(guest.host(), domU, device, BlkFrontConfig.defaults());
                back.start();
                front.start();
                try {
                    return check(domU, device, front, back::doWork, file, out);
                } finally {
                    back.close();
                    front.close();
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Waits for blkfront to connect, prints the backend's nodes and what was negotiated, writes
     * 1 MiB at 4 MiB, flushes, reads it back and compares, and reads the backing file if given.
     *
     * @param store       the frontend's xenstore connection (reads the backend's nodes)
     * @param device      the device
     * @param front       the frontend, started
     * @param pump        the backend's work, polled on this thread with the frontend's; null when
     *                    the frontend runs on a thread of its own
     * @param backingFile the backend's file, or null
     * @param out         where to print
     * @return what was seen
     * @throws IOException if the I/O fails or times out
     */
    static Report check(final XenStoreClient store, final DevicePaths device, final BlkFront front,
        final @Nullable IntSupplier pump, final @Nullable Path backingFile, final PrintStream out) throws IOException {
        final DiskInfo info = await(front, pump, front.connected());
        final Map<String, String> nodes = new LinkedHashMap<>();
        for (final String node : FEATURES) {
            nodes.put(node, readOrDash(store, device.backend(node)));
        }
        out.println("  backend " + device.backend() + " advertises:");
        nodes.forEach((k, v) -> out.println("    " + k + " = " + v));
        out.println("  blkfront negotiated: " + info.sectors() + " sectors of " + info.sectorSize() + " bytes, "
            + info.protocol() + ", ring pages " + info.ringPages() + ", queues " + info.queues() + ", persistent grants "
            + info.persistentGrants() + ", indirect segments " + info.maxIndirectSegments() + ", flush " + info.flush()
            + ", barrier " + info.barrier() + ", discard " + info.discard());
        final byte[] data = new byte[LENGTH];
        new Random(0x5EED).nextBytes(data);
        if (info.sectors() * info.sectorSize() < OFFSET + LENGTH) {
            throw new IOException("the disk has " + info.sectors() + " sectors: too small for 1 MiB at 4 MiB");
        }
        await(front, pump, front.write(OFFSET, Unpooled.wrappedBuffer(data)));
        if (info.flush()) {
            await(front, pump, front.flush());
        }
        final ByteBuf dst = Unpooled.buffer(LENGTH);
        await(front, pump, front.read(OFFSET, LENGTH, dst));
        final byte[] read = new byte[LENGTH];
        dst.readBytes(read);
        final boolean identical = Arrays.equals(data, read);
        out.printf("  wrote 1 MiB at 4 MiB (crc32c %08x)%s, read back crc32c %08x: %s%n", DiskServer.crc(data),
            info.flush() ? ", flushed" : "", DiskServer.crc(read), identical ? "identical" : "DIFFERENT");
        final Boolean inFile = inFile(backingFile, OFFSET, data, out);
        // Again through buffers over the frontend's own granted pages: the backend reads the
        // written data from them and writes the read data into them, no copy on this side.
        final byte[] more = new byte[LENGTH];
        new Random(0x6EED).nextBytes(more);
        final ByteBuf src = front.allocateBuffer(LENGTH);
        final ByteBuf back = front.allocateBuffer(LENGTH);
        final boolean granted;
        final boolean grantedIdentical;
        final byte[] readBack = new byte[LENGTH];
        try {
            granted = front.isGrantedBuffer(src) && front.isGrantedBuffer(back);
            src.writeBytes(more);
            await(front, pump, front.write(GRANTED_OFFSET, src));
            if (info.flush()) {
                await(front, pump, front.flush());
            }
            await(front, pump, front.read(GRANTED_OFFSET, LENGTH, back));
            back.getBytes(0, readBack);
            grantedIdentical = Arrays.equals(more, readBack);
        } finally {
            src.release();
            back.release();
        }
        out.printf("  through 2 buffers of BlkFront.allocateBuffer (%s): wrote 1 MiB at 8 MiB (crc32c %08x), read back crc32c %08x: %s%n",
            granted ? "granted pages, zero-copy" : "ordinary buffers, copied", DiskServer.crc(more), DiskServer.crc(readBack),
            grantedIdentical ? "identical" : "DIFFERENT");
        final Boolean grantedInFile = inFile(backingFile, GRANTED_OFFSET, more, out);
        return new Report(Map.copyOf(nodes), info, identical, inFile, DiskServer.crc(data), -1, granted, grantedIdentical,
            grantedInFile, DiskServer.crc(more));
    }

    /** Whether the backend's file holds {@code data} at {@code offset}, printed; null without a file. */
    private static @Nullable Boolean inFile(final @Nullable Path backingFile, final long offset, final byte[] data,
        final PrintStream out) throws IOException {
        if (backingFile == null) {
            return null;
        }
        final byte[] onDisk = new byte[data.length];
        try (FileChannel ch = FileChannel.open(backingFile, StandardOpenOption.READ)) {
            final ByteBuffer b = ByteBuffer.wrap(onDisk);
            while (b.hasRemaining() && ch.read(b, offset + b.position()) > 0) {
                // read until full or end of file
            }
        }
        final boolean same = Arrays.equals(data, onDisk);
        out.printf("  the backend's file %s holds crc32c %08x at %d MiB: %s%n", backingFile, DiskServer.crc(onDisk), offset >> 20,
            same ? "identical" : "DIFFERENT");
        return same;
    }

    private static <T> T await(final BlkFront front, final @Nullable IntSupplier pump, final CompletableFuture<T> future) throws IOException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!future.isDone() && System.nanoTime() - deadline < 0) {
            if (pump != null) {
                if (front.doWork() + pump.getAsInt() == 0) {
                    Thread.onSpinWait();
                }
            } else {
                sleep(1);
            }
        }
        if (!future.isDone()) {
            throw new IOException("blkfront " + front.roleName() + ": no answer within 60 s"
                + (front.brokenReason() == null ? "" : "; broken: " + front.brokenReason()));
        }
        return BlockDevice.await(future);
    }

    private static void sleep(final long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String readOrDash(final XenStoreClient store, final String path) {
        try {
            return store.read(path);
        } catch (final XenStoreException e) {
            return "-";
        }
    }
}
