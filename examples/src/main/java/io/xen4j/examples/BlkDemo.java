package io.xen4j.examples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.blk.BlkBack;
import io.xen4j.blk.BlkBackConfig;
import io.xen4j.blk.BlkFront;
import io.xen4j.blk.BlkFrontConfig;
import io.xen4j.blk.BlockIoException;
import io.xen4j.blk.DiskInfo;
import io.xen4j.blk.spi.FileBlockStore;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.InProcessTransport;
import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.store.XenStoreClient;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusToolstack;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;

/**
 * The demo's block part: dom0 serves a file as a disk (blkback over a {@link FileBlockStore}) to a
 * simulated guest, whose blkfront writes 1 MiB, flushes and reads it back; both agents are polled
 * on this thread, so the run is the same every time.
 */
final class BlkDemo {
    private static final long DISK = 4L << 20;
    private static final int DATA = 1 << 20;

    private BlkDemo() {
    }

    static void run(final PrintStream out) {
        final Path file;
        try {
            file = Files.createTempFile("xen4j-demo-disk", ".img");
        } catch (final IOException e) {
            throw new UncheckedIOException("blk demo: cannot create a temporary disk file", e);
        }
        try (SimulatedXen xen = SimulatedXen.create();
             FileBlockStore disk = FileBlockStore.create(file, DISK, 512)) {
            final SimulatedDomain guest = xen.createDomain("guest");
            final XenstoreService xenstore = new XenstoreService();
            xenstore.run(core -> {
                core.createDomainHome(0, "Domain-0");
                core.introduceDomain(guest.domid());
                core.createDomainHome(guest.domid(), "guest");
            });
            try (XenStoreClient dom0 = XenStoreClient.connect(InProcessTransport.connect(xenstore, 0));
                 XenStoreClient domU = XenStoreClient.connect(InProcessTransport.connect(xenstore, guest.domid()))) {
                final DevicePaths device = new DevicePaths("vbd", guest.domid(), 0, 51712);
                new XenbusToolstack(dom0).createDevice(device, Map.of("virtual-device", "51712"), Map.of("params", "demo.img"));
                out.println("A 4 MiB file served by dom0 as " + device.backend() + " to " + device.frontend());
                final BlkBack back = new BlkBack(xen.dom0().host(), dom0, device, disk, BlkBackConfig.full());
                final BlkFront front = new BlkFront(guest.host(), domU, device, BlkFrontConfig.defaults());
                back.start();
                front.start();
                final DiskInfo info = pump(front, back, front.connected());
                out.println("  connected: " + info.sectors() + " sectors of " + info.sectorSize() + " bytes, "
                    + info.protocol() + ", " + info.ringPages() + " ring pages, " + info.maxIndirectSegments()
                    + " indirect segments, flush " + info.flush() + ", discard " + info.discard());
                final byte[] data = new byte[DATA];
                new Random(42).nextBytes(data);
                pump(front, back, front.write(DISK - DATA, Unpooled.wrappedBuffer(data)));
                pump(front, back, front.flush());
                final ByteBuf back1 = Unpooled.buffer(DATA);
                pump(front, back, front.read(DISK - DATA, DATA, back1));
                final byte[] read = new byte[DATA];
                back1.readBytes(read);
                out.printf("  guest wrote 1 MiB at 3 MiB (crc32c %08x), flushed, read back crc32c %08x: %s%n",
                    crc(data), crc(read), java.util.Arrays.equals(data, read) ? "identical" : "DIFFERENT");
                out.println("  the file store made " + disk.nativeTransfers() + " of its reads and writes with pread/pwrite through FFM"
                    + (disk.nativeTransfers() == 0 ? " (no --enable-native-access=io.xen4j.blk: all through its FileChannel)" : ""));
                // The backend lets go of the ring first, so that the guest can end its grants.
                back.close();
                front.close();
            }
            final byte[] onDisk = Files.readAllBytes(file);
            out.printf("  the file itself holds crc32c %08x at 3 MiB%n", crc(java.util.Arrays.copyOfRange(onDisk, (int) (DISK - DATA), (int) DISK)));
        } catch (final IOException e) {
            throw new UncheckedIOException("blk demo: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (final IOException ignored) {
                // A temporary file: the OS cleans it up.
            }
        }
    }

    /** Polls both agents on this thread until the future is done. */
    private static <T> T pump(final BlkFront front, final BlkBack back, final CompletableFuture<T> future) throws BlockIoException {
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (!future.isDone() && System.nanoTime() < deadline) {
            if (front.doWork() + back.doWork() == 0) {
                Thread.onSpinWait();
            }
        }
        return io.xen4j.blk.BlockDevice.await(future);
    }

    private static long crc(final byte[] bytes) {
        final CRC32C c = new CRC32C();
        c.update(bytes);
        return c.getValue();
    }
}
